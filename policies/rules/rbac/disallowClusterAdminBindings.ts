import { describe, record, text } from "../../lib/k8s";
import { bindsOnlyManagedSubjects, boundRole, isAdminEquivalent } from "../../lib/rbac";
import { defineRule, type Finding } from "../../lib/rule";

/** Checklist 6.5.2: nobody gets cluster-admin or its wildcard equivalent through the platform's bindings. */
export const disallowClusterAdminBindings = defineRule<{ managedPrefixes: string[] }>({
    scope: "stack",
    name: "disallow-cluster-admin-bindings",
    description:
        "No RoleBinding or ClusterRoleBinding grants cluster-admin, or a role with every verb on every resource of every API group (bindings of only Kubernetes' or the cloud's own users and groups excepted, whatever the binding's name).",
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
            items: { type: "string", minLength: 1 },
            description:
                "Name prefixes of the users and groups Kubernetes or the cloud manages: a binding is exempt only when every subject it binds has one (system:authenticated, system:serviceaccounts and the like never are).",
            default: ["system:", "gce:", "eks:", "aks:"],
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        for (const b of objects.filter((o) => o.kind === "RoleBinding" || o.kind === "ClusterRoleBinding")) {
            if (bindsOnlyManagedSubjects(b, cfg.managedPrefixes)) continue;
            const role = boundRole(b, objects);
            const ref = record(b.roleRef);
            // In a cluster the name cluster-admin is always the built-in role, whatever a manifest defines.
            const clusterAdmin = ref.kind === "ClusterRole" && ref.name === "cluster-admin";
            if (role && (clusterAdmin || isAdminEquivalent(role.rules))) {
                out.push({
                    object: b,
                    message: `${describe(b)}: grants full control through ${text(ref.kind)} ${role.name} (every verb on every resource); bind a narrower role`,
                });
            }
        }
        return out;
    },
});
