import { describe, namespaceOf, record, records, text, strings } from "../../lib/k8s";
import { boundRole } from "../../lib/rbac";
import { subjectsOf } from "../../lib/rbac";
import { defineRule, type Finding } from "../../lib/rule";
import { resourceSet } from "../../lib/resourceSet";

export interface AdminAccessConfig {
    /** Subjects (`Group:voting-sre`) that run the platform. */
    adminSubjects: string[];
    /** Namespaces they run it in. */
    namespaces: string[];
}

const FULL_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"];
/** What full control of a namespace's workloads needs at least: pods and the controllers that make them. */
const WORKLOAD_RESOURCES: readonly [group: string, resource: string][] = [
    ["", "pods"],
    ["apps", "deployments"],
    ["apps", "statefulsets"],
];

/** Whether a role's rules allow every standard verb on pods, Deployments and StatefulSets (the built-in admin and edit do). */
function fullOnWorkloads(rules: readonly unknown[]): boolean {
    return WORKLOAD_RESOURCES.every(([group, resource]) =>
        FULL_VERBS.every((verb) =>
            records(rules).some(
                (r) =>
                    strings(r.apiGroups).some((g) => g === "*" || g === group) &&
                    strings(r.resources).some((x) => x === "*" || x === resource) &&
                    strings(r.verbs).some((v) => v === "*" || v === verb),
            ),
        ),
    );
}

/**
 * Checklist 6.5.1, 4.4.1: the people who run the platform (SRE) have full control of each of its
 * namespaces, granted there by a RoleBinding (the built-in admin or edit, or a role with every verb on
 * pods, Deployments and StatefulSets), and no ClusterRoleBinding widens any write access to every
 * namespace of the cluster. cluster-admin is disallow-cluster-admin-bindings' to refuse.
 */
export const requireNamespaceAdminAccess = defineRule<AdminAccessConfig>({
    scope: "stack",
    name: "require-namespace-admin-access",
    description:
        "Each subject the pack config names as an operator (SRE) is bound in each configured namespace, by a RoleBinding, to a role with full control of its workloads, and gets no write access cluster-wide through a ClusterRoleBinding.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "In each platform namespace, bind the SRE group with a RoleBinding to the built-in admin ClusterRole; remove ClusterRoleBindings that give it write access everywhere.",
    checklist: ["6.5.1", "4.4.1"],
    settings: {
        adminSubjects: {
            type: "array",
            items: { type: "string" },
            description: "Subjects that run the platform, e.g. Group:voting-sre.",
            default: [],
        },
        namespaces: { type: "array", items: { type: "string" }, description: "Namespaces they need full control of.", default: [] },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        const bindings = objects.filter((o) => o.kind === "RoleBinding" || o.kind === "ClusterRoleBinding");
        for (const subject of cfg.adminSubjects) {
            const own = bindings.filter(
                (b) =>
                    typeof record(b.roleRef).name === "string" &&
                    subjectsOf(b)
                        .map((s) => s.id)
                        .includes(subject),
            );
            for (const ns of cfg.namespaces) {
                const full = own.some((b) => {
                    if (b.kind !== "RoleBinding" || namespaceOf(b) !== ns) return false;
                    const role = boundRole(b, objects);
                    return role !== undefined && (["admin", "edit"].includes(text(role.name)) ? role.builtIn : fullOnWorkloads(role.rules));
                });
                if (full) continue;
                const anchor = resourceSet(objects).find("Namespace", undefined, ns) ?? {
                    apiVersion: "v1",
                    kind: "Namespace",
                    metadata: { name: ns },
                };
                out.push({
                    object: anchor,
                    message: `Namespace ${ns}: ${subject} has no full control here; bind it with a RoleBinding to the built-in admin ClusterRole`,
                });
            }
            for (const b of own.filter((x) => x.kind === "ClusterRoleBinding")) {
                // The built-in roles' rules are modelled too: admin, edit and cluster-admin write, view does not.
                const role = boundRole(b, objects);
                if (role?.rules.some((r) => r.verbs.some((v) => !["get", "list", "watch"].includes(v))))
                    out.push({
                        object: b,
                        message: `${describe(b)}: gives ${subject} write access in every namespace through ClusterRole ${role.name}; grant it per namespace with RoleBindings`,
                    });
            }
        }
        return out;
    },
});
