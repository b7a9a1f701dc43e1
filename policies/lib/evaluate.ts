import { cloudSubject, type K8sObject } from "./k8s";
import { settingProblems, type CloudResource, type EnforcementLevel, type Rule } from "./rule";
import { judge, type Judgement, type Waiver } from "./waivers";

/** A pack config as `pulumi preview --policy-pack-config` reads it. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface ResolvedRule {
    readonly rule: Rule;
    readonly level: EnforcementLevel;
    readonly config: Record<string, unknown>;
}

const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/**
 * Applies a pack config to the rules exactly as CrossGuard does: `all` sets every rule's level, a
 * rule's own entry (a level, or an object with `enforcementLevel` and settings) overrides it, and
 * settings not given take the schema defaults.
 */
export function resolveRules(rules: readonly Rule[], packConfig: PackConfig = {}): ResolvedRule[] {
    const names = new Set(rules.map((r) => r.name));
    for (const key of Object.keys(packConfig)) {
        if (key !== "all" && !names.has(key)) throw new Error(`pack config names an unknown policy "${key}"`);
    }
    const all = packConfig.all;
    const allLevel = typeof all === "string" ? all : all?.enforcementLevel;
    return rules.map((rule) => {
        const own = packConfig[rule.name];
        const ownLevel = typeof own === "string" ? own : own?.enforcementLevel;
        const level = ownLevel ?? allLevel ?? rule.enforcementLevel;
        if (!LEVELS.includes(level)) throw new Error(`pack config gives policy "${rule.name}" the unknown enforcement level "${level}"`);
        const settings = typeof own === "object" ? { ...own } : {};
        delete settings.enforcementLevel;
        for (const [key, value] of Object.entries(settings)) {
            const schema = rule.configSchema?.properties[key];
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

/**
 * Runs every enabled rule over one resource set: its Kubernetes objects and its other (cloud) resources.
 * Findings an object waives are set apart, as CrossGuard's policies leave them unreported.
 */
export function evaluateAll(resolved: readonly ResolvedRule[], objects: readonly K8sObject[], cloud: readonly CloudResource[] = []): Evaluation {
    const violations: Violation[] = [];
    const waived: WaivedFinding[] = [];
    for (const { rule, level, config } of resolved) {
        if (level === "disabled") continue;
        const lvl = level === "mandatory" || level === "remediate" ? "mandatory" : "advisory";
        const judged = new Map<K8sObject, Judgement>();
        const push = (object: K8sObject, message: string, resource?: CloudResource) => {
            if (!judged.has(object)) judged.set(object, judge(rule.name, config, object));
            const j = judged.get(object)!;
            const v = { policy: rule.name, checklist: rule.checklist, level: lvl, object, ...(resource ? { resource } : {}) } as const;
            if (j.waived) waived.push({ ...v, message, waiver: j.waived });
            else violations.push({ ...v, message: j.note ? `${message} ${j.note}` : message });
        };
        if (rule.scope === "resource") {
            for (const obj of objects) for (const m of rule.check(obj, config)) push(obj, m);
        } else if (rule.scope === "stack") {
            for (const f of rule.check(objects, config)) push(f.object, f.message);
        } else {
            const subjects = new Map<CloudResource, K8sObject>();
            for (const f of rule.check(cloud, config)) {
                if (!subjects.has(f.resource)) subjects.set(f.resource, cloudSubject(f.resource));
                push(subjects.get(f.resource)!, f.message, f.resource);
            }
        }
    }
    return { violations, waived };
}

/** The violations of one resource set (see `evaluateAll`, which also gives the waived findings). */
export function evaluate(resolved: readonly ResolvedRule[], objects: readonly K8sObject[], cloud: readonly CloudResource[] = []): Violation[] {
    return evaluateAll(resolved, objects, cloud).violations;
}
