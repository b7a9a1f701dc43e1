/** What RBAC roles grant, matched as the API server's authorizer matches them, for roles in the resource set and the built-in ClusterRoles bindings name. */
import { list, namespaceOf, record, records, show, str, strings, type K8sObject } from "./k8s";
import { resourceSet } from "./resourceSet";

export interface PolicyRule {
    readonly apiGroups: readonly string[];
    readonly resources: readonly string[];
    readonly verbs: readonly string[];
    /** Names the rule is limited to; empty: every object of the resources. */
    readonly resourceNames: readonly string[];
}

/** Read, write and delete: holding all of them on everything is full control, with or without deletecollection. */
const STANDARD_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"];

/** The built-in ClusterRoles bindings commonly name, as far as these rules care. */
export const BUILT_IN_ROLES: Readonly<Record<string, readonly PolicyRule[]>> = {
    "cluster-admin": [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"], resourceNames: [] }],
    admin: [
        { apiGroups: [""], resources: ["pods/exec", "pods/attach"], verbs: ["create", "get"], resourceNames: [] },
        { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"], resourceNames: [] },
    ],
    edit: [
        { apiGroups: [""], resources: ["pods/exec", "pods/attach"], verbs: ["create", "get"], resourceNames: [] },
        { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"], resourceNames: [] },
    ],
    view: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"], resourceNames: [] }],
};

/** A role's rules, each field a list of strings (anything else in them, which the API server refuses, dropped). */
export const rulesOf = (role: K8sObject): PolicyRule[] =>
    records(role.rules).map((r) => ({
        apiGroups: strings(r.apiGroups),
        resources: strings(r.resources),
        verbs: strings(r.verbs),
        resourceNames: strings(r.resourceNames),
    }));

/**
 * Whether a rule matches a request, as RBAC's authorizer does: `*` matches every group, verb and
 * resource (subresources included); `*\/exec` matches the exec subresource of every resource. Nothing
 * else is a wildcard: `pods/*` names a subresource called `*`, which exists on no resource.
 */
export function ruleMatches(r: PolicyRule, req: { group: string; resource: string; subresource?: string; verb: string }): boolean {
    const combined = req.subresource === undefined ? req.resource : `${req.resource}/${req.subresource}`;
    return (
        (r.apiGroups.includes("*") || r.apiGroups.includes(req.group)) &&
        (r.verbs.includes("*") || r.verbs.includes(req.verb)) &&
        r.resources.some((res) => res === "*" || res === combined || (req.subresource !== undefined && res === `*/${req.subresource}`))
    );
}

/** Full control: every verb on every resource of every API group. */
export function isAdminEquivalent(rules: readonly PolicyRule[]): boolean {
    return rules.some(
        (r) => r.apiGroups.includes("*") && r.resources.includes("*") && (r.verbs.includes("*") || STANDARD_VERBS.every((v) => r.verbs.includes(v))),
    );
}

/** Whether the rules let a subject exec into or attach to pods (create or get on pods/exec, pods/attach). */
export function grantsPodExec(rules: readonly PolicyRule[]): boolean {
    return rules.some((r) =>
        ["exec", "attach"].some((subresource) =>
            ["create", "get"].some((verb) => ruleMatches(r, { group: "", resource: "pods", subresource, verb })),
        ),
    );
}

/**
 * Whether the rules let a subject read the value of any Secret it likes: get, list or watch (or `*`) on
 * secrets, not limited to named ones. `list` and `watch` return values too.
 */
export function readsAnySecret(rules: readonly PolicyRule[]): boolean {
    const on = (r: PolicyRule, verb: string) => ruleMatches(r, { group: "", resource: "secrets", verb });
    return rules.some((r) => on(r, "list") || on(r, "watch") || (on(r, "get") && r.resourceNames.length === 0));
}

/** The role a binding names: from the resource set, else a built-in ClusterRole, else undefined (dangling). */
export function boundRole(
    binding: K8sObject,
    objects: readonly K8sObject[],
): { name: string; rules: readonly PolicyRule[]; builtIn: boolean } | undefined {
    const ref = record(binding.roleRef);
    const name = str(ref.name);
    if (name === undefined || (ref.kind !== "ClusterRole" && ref.kind !== "Role")) return undefined;
    const set = resourceSet(objects);
    const found = ref.kind === "ClusterRole" ? set.find("ClusterRole", undefined, name) : set.find("Role", namespaceOf(binding), name);
    if (found) return { name, rules: rulesOf(found), builtIn: false };
    if (ref.kind === "ClusterRole" && Object.hasOwn(BUILT_IN_ROLES, name)) return { name, rules: BUILT_IN_ROLES[name], builtIn: true };
    return undefined;
}

export interface Subject {
    readonly kind: string;
    readonly name: string;
    /** `Group:voting-sre`, `ServiceAccount:voting-api/ci`: how settings and messages name a subject. */
    readonly id: string;
}

/** The subjects a binding binds (entries that are not objects, which the API server refuses, dropped). */
export function subjectsOf(binding: K8sObject): Subject[] {
    return records(binding.subjects).map((s) => {
        const kind = str(s.kind) ?? show(s.kind);
        const name = str(s.name) ?? show(s.name);
        const id = kind === "ServiceAccount" ? `ServiceAccount:${str(s.namespace) ?? namespaceOf(binding)}/${name}` : `${kind}:${name}`;
        return { kind, name, id };
    });
}

/** Names with a managed prefix (system:, gce:, eks:, aks:): Kubernetes' or the cloud's own. */
export const isManagedName = (name: string, prefixes: readonly string[]): boolean => prefixes.some((p) => p !== "" && name.startsWith(p));

/**
 * System groups and users that stand for many principals or for ones anyone may become: every
 * (un)authenticated user, every ServiceAccount, every node, bootstrap tokens, one ServiceAccount by its
 * user name. A managed prefix never exempts them.
 */
const BROAD = /^system:(authenticated|unauthenticated|anonymous|serviceaccounts?(:.*)?|nodes?(:.*)?|bootstrappers?(:.*)?)$/;

/** A user or group only Kubernetes' control plane or the cloud holds (system:masters, eks:addon-manager). */
export function isManagedSubject(s: Subject, prefixes: readonly string[]): boolean {
    return (s.kind === "User" || s.kind === "Group") && isManagedName(s.name, prefixes) && !BROAD.test(s.name);
}

/**
 * Whether a binding is Kubernetes' or the cloud's own: it binds at least one subject and only managed
 * users and groups. Its name proves nothing (anyone may name a binding `system:anything`).
 */
export function bindsOnlyManagedSubjects(binding: K8sObject, prefixes: readonly string[]): boolean {
    const subjects = subjectsOf(binding);
    return subjects.length > 0 && list(binding.subjects).length === subjects.length && subjects.every((s) => isManagedSubject(s, prefixes));
}
