/** What RBAC roles grant, for roles in the resource set and the built-in ClusterRoles they may name. */
import { namespaceOf, nameOf, type K8sObject } from "./k8s";

export interface PolicyRule {
    readonly apiGroups?: readonly string[];
    readonly resources?: readonly string[];
    readonly verbs?: readonly string[];
    readonly nonResourceURLs?: readonly string[];
}

/** Read, write and delete: holding all of them on everything is full control, with or without deletecollection. */
const STANDARD_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"];
const EXEC = ["pods/exec", "pods/attach"];

/** The built-in ClusterRoles bindings commonly name, as far as these rules care. */
export const BUILT_IN_ROLES: Readonly<Record<string, readonly PolicyRule[]>> = {
    "cluster-admin": [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }],
    admin: [{ apiGroups: [""], resources: ["pods/exec", "pods/attach"], verbs: ["create", "get"] }],
    edit: [{ apiGroups: [""], resources: ["pods/exec", "pods/attach"], verbs: ["create", "get"] }],
    view: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }],
};

const has = (list: readonly string[] | undefined, ...values: string[]) => (list ?? []).some((v) => values.includes(v));

/** Full control: every verb on every resource of every API group. */
export function isAdminEquivalent(rules: readonly PolicyRule[]): boolean {
    return rules.some(
        (r) => has(r.apiGroups, "*") && has(r.resources, "*") && (has(r.verbs, "*") || STANDARD_VERBS.every((v) => (r.verbs ?? []).includes(v))),
    );
}

/** Whether the rules let a subject exec into or attach to pods (create or get on pods/exec, pods/attach). */
export function grantsPodExec(rules: readonly PolicyRule[]): boolean {
    return rules.some(
        (r) =>
            has(r.apiGroups, "", "*") &&
            (has(r.resources, "*", "pods/*") || EXEC.some((e) => has(r.resources, e))) &&
            has(r.verbs, "*", "create", "get"),
    );
}

export const rulesOf = (role: K8sObject): PolicyRule[] => (Array.isArray(role.rules) ? role.rules : []);

/** The role a binding names: from the resource set, else a built-in ClusterRole, else undefined (dangling). */
export function boundRole(
    binding: K8sObject,
    objects: readonly K8sObject[],
): { name: string; rules: readonly PolicyRule[]; builtIn: boolean } | undefined {
    const ref = binding.roleRef ?? {};
    const found = objects.find(
        (o) => o.kind === ref.kind && nameOf(o) === ref.name && (ref.kind === "ClusterRole" || namespaceOf(o) === namespaceOf(binding)),
    );
    if (found) return { name: ref.name, rules: rulesOf(found), builtIn: false };
    if (ref.kind === "ClusterRole" && BUILT_IN_ROLES[ref.name]) return { name: ref.name, rules: BUILT_IN_ROLES[ref.name], builtIn: true };
    return undefined;
}

export const subjectsOf = (binding: K8sObject): string[] =>
    (Array.isArray(binding.subjects) ? binding.subjects : []).map((s: { kind?: string; name?: string; namespace?: string }) =>
        s.kind === "ServiceAccount" ? `ServiceAccount:${s.namespace ?? namespaceOf(binding)}/${s.name}` : `${s.kind}:${s.name}`,
    );

/** Bindings Kubernetes or the cloud manages (system:, gce:, eks:, aks:): not the platform's to judge. */
export const isManagedName = (name: string, prefixes: readonly string[]): boolean => prefixes.some((p) => name.startsWith(p));
