import type { PolicyConfigSchema } from "@pulumi/policy";
import type { K8sObject } from "./k8s";

export type Severity = "low" | "medium" | "high" | "critical";
export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";

interface RuleBase<C> {
    /** kebab-case, starting with a verb: require, disallow, enforce, limit. */
    readonly name: string;
    readonly description: string;
    readonly severity: Severity;
    readonly enforcementLevel: EnforcementLevel;
    readonly remediationSteps: string;
    /** Checklist and peer-check IDs this rule enforces (`1.1.3`, `P.14`). */
    readonly checklist: readonly string[];
    readonly configSchema?: PolicyConfigSchema;
    /** Settings when the pack config gives none (the schema's defaults, typed). */
    readonly defaults: C;
}

/** Judges one object on its own. Returns one message per problem, each naming the object. */
export interface ResourceRule<C = Record<string, never>> extends RuleBase<C> {
    readonly scope: "resource";
    check(obj: K8sObject, config: C): string[];
}

export interface Finding {
    /** The object the problem is reported on. */
    readonly object: K8sObject;
    readonly message: string;
}

/** Judges the whole resource set: rules that relate objects to each other. */
export interface StackRule<C = Record<string, never>> extends RuleBase<C> {
    readonly scope: "stack";
    check(objects: readonly K8sObject[], config: C): Finding[];
}

// Rules are stored side by side whatever their settings type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Rule = ResourceRule<any> | StackRule<any>;
