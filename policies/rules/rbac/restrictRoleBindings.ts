import { describe, record, text } from "../../lib/k8s";
import { boundRole, grantsPodExec, isManagedName, isManagedSubject, subjectsOf } from "../../lib/rbac";
import { defineRule, type Finding } from "../../lib/rule";

export interface BindingConfig {
    /** Subjects (`Group:voting-sre`, `ServiceAccount:ns/name`) that may be bound to exec-granting roles. */
    execSubjects: string[];
    managedPrefixes: string[];
}

/** Checklist 6.5.1, 4.4.2: every binding names a role that exists, and only allowed subjects get exec through one. */
export const restrictRoleBindings = defineRule<BindingConfig>({
    scope: "stack",
    name: "restrict-role-bindings",
    description:
        "Every RoleBinding and ClusterRoleBinding names a role of the resource set or a built-in ClusterRole, and binds exec/attach-granting roles only to allowed subjects.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Create the role the binding names (or fix roleRef); bind developers to a read-only role and keep admin/edit (which allow exec) for the SRE group.",
    checklist: ["6.5.1", "4.4.2"],
    peers: { polaris: ["clusterrolebindingPodExecAttach", "rolebindingClusterRolePodExecAttach", "rolebindingRolePodExecAttach"] },
    settings: {
        execSubjects: {
            type: "array",
            items: { type: "string", pattern: "^[A-Za-z]+:\\S+$" },
            description: "Subjects allowed exec, e.g. Group:voting-sre.",
            default: [],
        },
        managedPrefixes: {
            type: "array",
            items: { type: "string", minLength: 1 },
            description:
                "Name prefixes of the users, groups and ClusterRoles Kubernetes or the cloud manages: their subjects may hold exec, and a managed ClusterRole absent from the set is not dangling (system:authenticated and the like are never exempt).",
            default: ["system:", "gce:", "eks:", "aks:"],
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        for (const b of objects.filter((o) => o.kind === "RoleBinding" || o.kind === "ClusterRoleBinding")) {
            const role = boundRole(b, objects);
            const ref = record(b.roleRef);
            if (!role) {
                // A managed ClusterRole the set does not hold (system:controller:…) is Kubernetes' own, not dangling.
                if (ref.kind === "ClusterRole" && typeof ref.name === "string" && isManagedName(ref.name, cfg.managedPrefixes)) continue;
                out.push({
                    object: b,
                    message: `${describe(b)}: binds ${text(ref.kind)} ${text(ref.name)}, which does not exist; fix roleRef or create the role`,
                });
                continue;
            }
            const outsiders = subjectsOf(b)
                .filter((s) => !cfg.execSubjects.includes(s.id) && !isManagedSubject(s, cfg.managedPrefixes))
                .map((s) => s.id);
            if (grantsPodExec(role.rules) && outsiders.length > 0) {
                out.push({
                    object: b,
                    message: `${describe(b)}: gives ${outsiders.join(", ")} exec/attach into pods through ${text(ref.kind)} ${role.name}; bind a role without pods/exec`,
                });
            }
        }
        return out;
    },
});
