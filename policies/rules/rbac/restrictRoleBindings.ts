import { describe, nameOf } from "../../lib/k8s";
import { boundRole, grantsPodExec, isManagedName, subjectsOf } from "../../lib/rbac";
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
        execSubjects: { type: "array", items: { type: "string" }, description: "Subjects allowed exec, e.g. Group:voting-sre.", default: [] },
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
            if (!role) {
                out.push({
                    object: b,
                    message: `${describe(b)}: binds ${b.roleRef?.kind} ${b.roleRef?.name}, which does not exist; fix roleRef or create the role`,
                });
                continue;
            }
            const outsiders = subjectsOf(b).filter((s) => !cfg.execSubjects.includes(s));
            if (grantsPodExec(role.rules) && outsiders.length > 0) {
                out.push({
                    object: b,
                    message: `${describe(b)}: gives ${outsiders.join(", ")} exec/attach into pods through ${b.roleRef.kind} ${role.name}; bind a role without pods/exec`,
                });
            }
        }
        return out;
    },
});
