import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import type { K8sObject } from "./k8s";
import type { Patch } from "./fixes";
import { WAIVER_SETTINGS } from "./waivers";

export type Severity = "low" | "medium" | "high" | "critical";
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

/** Check names of the peer tools that a rule replaces (only where it judges the same thing). */
export interface Peers {
    readonly polaris?: readonly string[];
    readonly "kube-score"?: readonly string[];
    readonly "kube-linter"?: readonly string[];
    readonly kyverno?: readonly string[];
}

/** One setting of a rule: a JSON schema with the default the rule uses when the pack config gives none. */
export type Setting<T> = PolicyConfigJSONSchema & { readonly description: string; readonly default: T };

/** A rule's settings schema, one entry per field of its settings type, each with its typed default. */
export type SettingsSchema<C> = { readonly [K in keyof C]-?: Setting<C[K]> };

/**
 * A fix that is safe to apply without a person: it fills in what the object leaves unset and never
 * overrides an explicit choice. `patches` reads the object (a plain copy) and returns the fields to set,
 * none when there is nothing safe to change.
 */
export interface AutoFix<C> {
    /** What the fix does, for the docs. */
    readonly description: string;
    patches(obj: K8sObject, config: C): Patch[];
}

/** Where a rule's section of the generated policy reference is. */
export const POLICY_DOCS = "docs/policies.md";

interface RuleBase<C> {
    /** kebab-case, starting with a verb: require, disallow, enforce, limit. */
    readonly name: string;
    readonly description: string;
    readonly severity: Severity;
    readonly enforcementLevel: EnforcementLevel;
    readonly remediationSteps: string;
    /** Checklist and peer-check IDs this rule enforces (`1.1.3`, `P.14`). */
    readonly checklist: readonly string[];
    readonly peers: Peers;
    /** The rule's own settings (the waiver settings every rule takes are in `configSchema` only). */
    readonly settings: Readonly<Record<string, Setting<unknown>>>;
    /** The settings as CrossGuard receives them: the rule's own and the waiver settings (see `waivers.ts`). */
    readonly configSchema: { readonly properties: Record<string, PolicyConfigJSONSchema> };
    /** Settings when the pack config gives none (derived from the schema's defaults). */
    readonly defaults: C;
    /** The rule's section of the policy reference. */
    readonly url: string;
}

/** Judges one Kubernetes object on its own. Returns one message per problem, each naming the object. */
export interface ResourceRule<C = Record<string, never>> extends RuleBase<C> {
    readonly scope: "resource";
    /**
     * What the rule judges, so the evaluators hand it nothing else: a list of kinds, or `workloads`
     * (every object that runs pods, see `podTemplate`). Absent: every object.
     */
    readonly kinds?: readonly string[] | "workloads";
    check(obj: K8sObject, config: C): string[];
    /** The fix applied under the `remediate` enforcement level and by `check --fix`, where one is safe. */
    readonly fix?: AutoFix<C>;
}

export interface Finding {
    /** The object the problem is reported on. */
    readonly object: K8sObject;
    readonly message: string;
}

/** Judges the whole set of Kubernetes objects: rules that relate objects to each other. */
export interface StackRule<C = Record<string, never>> extends RuleBase<C> {
    readonly scope: "stack";
    check(objects: readonly K8sObject[], config: C): Finding[];
    /** A fix of one object at a time (CrossGuard remediates resources, not stacks), where one is safe. */
    readonly fix?: AutoFix<C>;
}

/** A Pulumi resource that is not a Kubernetes object (an S3 bucket, an EKS cluster, a KMS key). */
export interface CloudResource {
    /** Pulumi type token, e.g. `aws:s3/bucketV2:BucketV2`. */
    readonly type: string;
    /** The resource's Pulumi name. */
    readonly name: string;
    readonly props: Record<string, unknown>;
}

export interface CloudFinding {
    readonly resource: CloudResource;
    readonly message: string;
}

/** Judges the stack's cloud resources, together (a bucket's versioning and encryption are resources of their own). */
export interface CloudRule<C = Record<string, never>> extends RuleBase<C> {
    readonly scope: "cloud";
    check(resources: readonly CloudResource[], config: C): CloudFinding[];
}

// Rules are stored side by side whatever their settings type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Rule = ResourceRule<any> | StackRule<any> | CloudRule<any>;

type Definition<R extends Rule, C> = Omit<R, "configSchema" | "defaults" | "peers" | "settings" | "url"> & {
    readonly peers?: Peers;
    readonly settings?: SettingsSchema<C>;
};

/**
 * Defines a rule from one source of truth: its settings schema carries each setting's type, range,
 * description and default; CrossGuard's `configSchema` and the rule's `defaults` are derived from it,
 * together with the waiver settings every rule takes.
 */
export function defineRule<C = Record<string, never>>(def: Definition<ResourceRule<C>, C>): ResourceRule<C>;
export function defineRule<C = Record<string, never>>(def: Definition<StackRule<C>, C>): StackRule<C>;
export function defineRule<C = Record<string, never>>(def: Definition<CloudRule<C>, C>): CloudRule<C>;
export function defineRule<C>(def: Definition<Rule, C>): Rule {
    const { settings, peers, ...rest } = def;
    const own = (settings ?? {}) as Record<string, Setting<unknown>>;
    const properties: Record<string, Setting<unknown>> = { ...own, ...WAIVER_SETTINGS };
    const defaults = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, s.default]));
    return {
        ...rest,
        peers: peers ?? {},
        settings: own,
        configSchema: { properties },
        defaults,
        url: `${POLICY_DOCS}#${def.name}`,
    } as Rule;
}

const describeValue = (v: unknown): string => {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

const typeOk = (type: unknown, v: unknown): boolean => {
    switch (type) {
        case "string":
            return typeof v === "string";
        case "integer":
            return typeof v === "number" && Number.isInteger(v);
        case "number":
            return typeof v === "number" && Number.isFinite(v);
        case "boolean":
            return typeof v === "boolean";
        case "array":
            return Array.isArray(v);
        case "object":
            return typeof v === "object" && v !== null && !Array.isArray(v);
        default:
            return true;
    }
};

/**
 * Checks a setting's value against its schema as the Pulumi engine does before any policy runs:
 * type, enum, minimum/maximum, length, pattern, array items, object properties. Returns the problems found,
 * each naming the path (`minReplicas`, `workloads["voting-api/api"]`).
 */
export function settingProblems(schema: PolicyConfigJSONSchema, value: unknown, path: string): string[] {
    const s = schema as Record<string, unknown>;
    const types = Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type];
    if (types.length > 0 && !types.some((t) => typeOk(t, value))) {
        return [
            `${path} must be ${types.map((t) => (t === "integer" ? "an integer" : t === "array" ? "a list" : `a ${t}`)).join(" or ")}, not ${describeValue(value)}`,
        ];
    }
    const out: string[] = [];
    if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
        out.push(`${path} must be one of ${s.enum.map((e) => JSON.stringify(e)).join(", ")}, not ${describeValue(value)}`);
    }
    if (typeof value === "number") {
        if (typeof s.minimum === "number" && value < s.minimum) out.push(`${path} must be at least ${s.minimum}, not ${value}`);
        if (typeof s.maximum === "number" && value > s.maximum) out.push(`${path} must be at most ${s.maximum}, not ${value}`);
        if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum)
            out.push(`${path} must be above ${s.exclusiveMinimum}, not ${value}`);
    }
    if (typeof value === "string") {
        if (typeof s.minLength === "number" && value.length < s.minLength)
            out.push(s.minLength === 1 ? `${path} must not be empty` : `${path} must have at least ${s.minLength} characters`);
        if (typeof s.pattern === "string" && !new RegExp(s.pattern).test(value))
            out.push(`${path} must match ${s.pattern}, not ${describeValue(value)}`);
    }
    if (Array.isArray(value)) {
        if (typeof s.minItems === "number" && value.length < s.minItems) out.push(`${path} needs at least ${s.minItems} item(s)`);
        if (typeof s.maxItems === "number" && value.length > s.maxItems) out.push(`${path} takes at most ${s.maxItems} item(s)`);
        const items = s.items;
        if (items && typeof items === "object" && !Array.isArray(items)) {
            value.forEach((v, i) => {
                for (const p of settingProblems(items as PolicyConfigJSONSchema, v, `${path}[${i}]`)) out.push(p);
            });
        }
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const props = (s.properties ?? {}) as Record<string, PolicyConfigJSONSchema>;
        const extra = s.additionalProperties;
        for (const [k, v] of Object.entries(value)) {
            const sub =
                (Object.hasOwn(props, k) ? props[k] : undefined) ?? (typeof extra === "object" ? (extra as PolicyConfigJSONSchema) : undefined);
            if (sub) for (const p of settingProblems(sub, v, `${path}[${JSON.stringify(k)}]`)) out.push(p);
            else if (extra === false) out.push(`${path} has the unknown key ${JSON.stringify(k)}`);
        }
        for (const k of Array.isArray(s.required) ? (s.required as string[]) : []) {
            if (!Object.hasOwn(value, k)) out.push(`${path} needs the key ${JSON.stringify(k)}`);
        }
        if (typeof s.minProperties === "number" && Object.keys(value).length < s.minProperties) {
            out.push(`${path} needs at least ${s.minProperties} keys`);
        }
    }
    return out;
}
