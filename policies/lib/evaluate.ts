import { cloudSubject, describe, isRecord, podTemplate, withObjectCache, type K8sObject } from "./k8s";
import { settingProblems, type CloudResource, type EnforcementLevel, type ResourceRule, type Rule } from "./rule";
import { judge as judgeWaiver, type Judgement, type Waiver } from "./waivers";

/** A pack config as `pulumi preview --policy-pack-config` reads it. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface ResolvedRule {
    readonly rule: Rule;
    readonly level: EnforcementLevel;
    readonly config: Record<string, unknown>;
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

const show = (v: unknown) => JSON.stringify(v) ?? String(v);

function levelOf(entry: unknown, name: string): EnforcementLevel | undefined {
    if (entry === undefined) return undefined;
    const level = typeof entry === "string" ? entry : isRecord(entry) ? entry.enforcementLevel : undefined;
    if (!isRecord(entry) && typeof entry !== "string") {
        throw new Error(`pack config gives "${name}" ${show(entry)}; give an enforcement level or an object of settings`);
    }
    if (level === undefined) return undefined;
    if (!LEVELS.includes(level as EnforcementLevel)) {
        throw new Error(`pack config gives "${name}" the unknown enforcement level ${show(level)}; use one of ${LEVELS.join(", ")}`);
    }
    return level as EnforcementLevel;
}

/**
 * Applies a pack config to the rules exactly as CrossGuard does: `all` sets every rule's level, a
 * rule's own entry (a level, or an object with `enforcementLevel` and settings) overrides it, and
 * settings not given take the schema defaults. Every setting is checked against its schema (type,
 * range, pattern) first, so no rule ever runs on a setting it cannot read.
 */
export function resolveRules(rules: readonly Rule[], packConfig: PackConfig = {}): ResolvedRule[] {
    if (!isRecord(packConfig)) throw new Error(`pack config is ${show(packConfig)}; it must be a JSON object keyed by policy name`);
    const names = new Set(rules.map((r) => r.name));
    for (const key of Object.keys(packConfig)) {
        if (key !== "all" && !names.has(key)) throw new Error(`pack config names an unknown policy "${key}"`);
    }
    const allLevel = levelOf(packConfig.all, "all");
    if (isRecord(packConfig.all)) {
        const extra = Object.keys(packConfig.all).filter((k) => k !== "enforcementLevel");
        if (extra.length > 0) throw new Error(`pack config gives "all" the setting "${extra[0]}"; "all" takes only enforcementLevel`);
    }
    return rules.map((rule) => {
        const own: unknown = Object.hasOwn(packConfig, rule.name) ? packConfig[rule.name] : undefined;
        const level = levelOf(own, rule.name) ?? allLevel ?? rule.enforcementLevel;
        const settings: Record<string, unknown> = isRecord(own) ? { ...own } : {};
        delete settings.enforcementLevel;
        for (const [key, value] of Object.entries(settings)) {
            const props = rule.configSchema?.properties ?? {};
            const schema = Object.hasOwn(props, key) ? props[key] : undefined;
            if (!schema) throw new Error(`pack config gives policy "${rule.name}" the unknown setting "${key}"`);
            const problems = settingProblems(schema, value, key);
            if (problems.length > 0) throw new Error(`pack config gives policy "${rule.name}" a bad setting: ${problems.join("; ")}`);
        }
        return { rule, level, config: { ...rule.defaults, ...settings } };
    });
}

export interface Violation {
    readonly policy: string;
    readonly checklist: readonly string[];
    readonly level: "advisory" | "mandatory";
    /** The object reported on; for a cloud resource, a stand-in naming its type and name (see `cloudSubject`). */
    readonly object: K8sObject;
    /** The cloud resource reported on, for findings of cloud rules. */
    readonly resource?: CloudResource;
    readonly message: string;
}

/** A finding that an object's waiver, or its policy's pack config, keeps from counting as a violation. */
export interface WaivedFinding extends Violation {
    readonly waiver: Waiver;
}

export interface Evaluation {
    readonly violations: Violation[];
    readonly waived: WaivedFinding[];
}

/** A rule that threw: a bug in the rule, reported with the rule and the object it was judging. */
export class RuleError extends Error {
    constructor(rule: string, subject: string, cause: unknown) {
        super(`policy ${rule} failed on ${subject}: ${cause instanceof Error ? cause.message : show(cause)}`);
        this.name = "RuleError";
    }
}

/** Whether a resource rule judges an object, by the kinds it declares. */
export function judges(rule: ResourceRule<unknown>, obj: K8sObject): boolean {
    const kinds = rule.kinds;
    if (kinds === undefined) return true;
    return kinds === "workloads" ? podTemplate(obj) !== undefined : kinds.includes(obj.kind);
}

/**
 * Runs every enabled rule over one resource set: its Kubernetes objects and its other (cloud) resources.
 * Findings an object waives are set apart, as CrossGuard's policies leave them unreported.
 */
export function evaluateAll(resolved: readonly ResolvedRule[], objects: readonly K8sObject[], cloud: readonly CloudResource[] = []): Evaluation {
    return withObjectCache(() => evaluateSet(resolved, objects, cloud));
}

/** The violations of one resource set (see `evaluateAll`, which also gives the waived findings). */
export function evaluate(resolved: readonly ResolvedRule[], objects: readonly K8sObject[], cloud: readonly CloudResource[] = []): Violation[] {
    return evaluateAll(resolved, objects, cloud).violations;
}

/**
 * Resource rules run object by object (each object is walked once for all the rules that judge it,
 * each rule handed only the kinds it declares); stack and cloud rules run once over the set. The
 * violations come out in rule order, then object order.
 */
function evaluateSet(resolved: readonly ResolvedRule[], objects: readonly K8sObject[], cloud: readonly CloudResource[]): Evaluation {
    const enabled = resolved.filter((r) => r.level !== "disabled");
    const found: Violation[][] = enabled.map(() => []);
    const waived: WaivedFinding[][] = enabled.map(() => []);
    const judgements: Map<K8sObject, Judgement>[] = enabled.map(() => new Map());
    const report = (i: number, object: K8sObject, message: string, resource?: CloudResource) => {
        const { rule, level, config } = enabled[i];
        let j = judgements[i].get(object);
        if (!j) {
            j = judgeWaiver(rule.name, config, object);
            judgements[i].set(object, j);
        }
        const v: Violation = {
            policy: rule.name,
            checklist: rule.checklist,
            level: level === "mandatory" || level === "remediate" ? "mandatory" : "advisory",
            object,
            message,
            ...(resource ? { resource } : {}),
        };
        if (j.waived) waived[i].push({ ...v, waiver: j.waived });
        else found[i].push(j.note ? { ...v, message: `${message} ${j.note}` } : v);
    };

    // The resource rules each kind is handed, worked out once per kind.
    const forKind = new Map<string, { any: number[]; workloads: number[] }>();
    const rulesFor = (kind: string) => {
        let r = forKind.get(kind);
        if (!r) {
            const any: number[] = [];
            const workloads: number[] = [];
            enabled.forEach(({ rule }, i) => {
                if (rule.scope !== "resource") return;
                if (rule.kinds === "workloads") workloads.push(i);
                else if (rule.kinds === undefined || rule.kinds.includes(kind)) any.push(i);
            });
            r = { any, workloads };
            forKind.set(kind, r);
        }
        return r;
    };
    const judge = (i: number, obj: K8sObject) => {
        const { rule, config } = enabled[i];
        let messages: string[];
        try {
            messages = (rule as ResourceRule<unknown>).check(obj, config);
        } catch (e) {
            throw new RuleError(rule.name, describe(obj), e);
        }
        for (const m of messages) report(i, obj, m);
    };
    for (const obj of objects) {
        const { any, workloads } = rulesFor(obj.kind);
        for (const i of any) judge(i, obj);
        if (workloads.length > 0 && podTemplate(obj) !== undefined) for (const i of workloads) judge(i, obj);
    }

    enabled.forEach(({ rule, config }, i) => {
        if (rule.scope === "stack") {
            let findings;
            try {
                findings = rule.check(objects, config);
            } catch (e) {
                throw new RuleError(rule.name, "the resource set", e);
            }
            for (const f of findings) report(i, f.object, f.message);
        } else if (rule.scope === "cloud") {
            for (const f of rule.check(cloud, config)) report(i, cloudSubject(f.resource), f.message, f.resource);
        }
    });
    const violations: Violation[] = [];
    for (const list of found) for (const v of list) violations.push(v);
    const waivedAll: WaivedFinding[] = [];
    for (const list of waived) for (const w of list) waivedAll.push(w);
    return { violations, waived: waivedAll };
}
