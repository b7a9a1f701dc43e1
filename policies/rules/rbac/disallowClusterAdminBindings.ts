import { describe, nameOf } from "../../lib/k8s";
import { boundRole, isAdminEquivalent, isManagedName } from "../../lib/rbac";
import { defineRule, type Finding } from "../../lib/rule";

/** Checklist 6.5.2: nobody gets cluster-admin or its wildcard equivalent through the platform's bindings. */
export const disallowClusterAdminBindings = defineRule<{ managedPrefixes: string[] }>({
    scope: "stack",
    name: "disallow-cluster-admin-bindings",
    description:
        "No RoleBinding or ClusterRoleBinding grants cluster-admin, or a role with every verb on every resource of every API group (bindings Kubernetes or the cloud manages excepted).",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Bind the namespace-scoped built-in admin, edit or view ClusterRole with a RoleBinding, or a role listing the resources and verbs needed.",
    checklist: ["6.5.2"],
    peers: {
        polaris: ["clusterrolebindingClusterAdmin", "rolebindingClusterAdminClusterRole", "rolebindingClusterAdminRole"],
        "kube-linter": ["cluster-admin-role-binding"],
        kyverno: ["restrict-binding-clusteradmin"],
    },
    settings: {
        managedPrefixes: {
            type: "array",
            items: { type: "string" },
            description: "Name prefixes of bindings Kubernetes or the cloud manages.",
            default: ["system:", "gce:", "eks:", "aks:"],
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        for (const b of objects.filter((o) => o.kind === "RoleBinding" || o.kind === "ClusterRoleBinding")) {
            if (isManagedName(nameOf(b), cfg.managedPrefixes)) continue;
            const role = boundRole(b, objects);
            // In a cluster the name cluster-admin is always the built-in role, whatever a manifest defines.
            const clusterAdmin = b.roleRef?.kind === "ClusterRole" && b.roleRef?.name === "cluster-admin";
            if (role && (clusterAdmin || isAdminEquivalent(role.rules))) {
                out.push({
                    object: b,
                    message: `${describe(b)}: grants full control through ${b.roleRef.kind} ${role.name} (every verb on every resource); bind a narrower role`,
                });
            }
        }
        return out;
    },
});
