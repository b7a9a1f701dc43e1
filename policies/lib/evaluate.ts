import { cloudSubject, describe, isRecord, podTemplate, type K8sObject } from "./k8s";
import { settingProblems, type CloudResource, type EnforcementLevel, type ResourceRule, type Rule } from "./rule";

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

/** The objects a resource rule judges, from the set grouped by kind once. */
function dispatch(rule: ResourceRule<unknown>, objects: readonly K8sObject[], byKind: () => Map<string, K8sObject[]>, workloads: () => K8sObject[]) {
    if (rule.kinds === undefined) return objects;
    if (rule.kinds === "workloads") return workloads();
    const map = byKind();
    // Input order, whatever order the kinds are listed in.
    if (rule.kinds.length === 1) return map.get(rule.kinds[0]) ?? [];
    const wanted = new Set(rule.kinds);
    return objects.filter((o) => wanted.has(o.kind));
}

/** Runs every enabled rule over one resource set: its Kubernetes objects and its other (cloud) resources. */
export function evaluate(resolved: readonly ResolvedRule[], objects: readonly K8sObject[], cloud: readonly CloudResource[] = []): Violation[] {
    const out: Violation[] = [];
    let kinds: Map<string, K8sObject[]> | undefined;
    const byKind = () => {
        if (!kinds) {
            kinds = new Map();
            for (const o of objects) {
                const l = kinds.get(o.kind);
                if (l) l.push(o);
                else kinds.set(o.kind, [o]);
            }
        }
        return kinds;
    };
    let pods: K8sObject[] | undefined;
    const workloads = () => (pods ??= objects.filter((o) => podTemplate(o) !== undefined));
    for (const { rule, level, config } of resolved) {
        if (level === "disabled") continue;
        const lvl = level === "mandatory" || level === "remediate" ? "mandatory" : "advisory";
        const push = (object: K8sObject, message: string, resource?: CloudResource) =>
            out.push({ policy: rule.name, checklist: rule.checklist, level: lvl, object, message, ...(resource ? { resource } : {}) });
        if (rule.scope === "resource") {
            for (const obj of dispatch(rule, objects, byKind, workloads)) {
                let messages: string[];
                try {
                    messages = rule.check(obj, config);
                } catch (e) {
                    throw new RuleError(rule.name, describe(obj), e);
                }
                for (const m of messages) push(obj, m);
            }
        } else if (rule.scope === "stack") {
            let findings;
            try {
                findings = rule.check(objects, config);
            } catch (e) {
                throw new RuleError(rule.name, "the resource set", e);
            }
            for (const f of findings) push(f.object, f.message);
        } else {
            for (const f of rule.check(cloud, config)) push(cloudSubject(f.resource), f.message, f.resource);
        }
    }
    return out;
}
