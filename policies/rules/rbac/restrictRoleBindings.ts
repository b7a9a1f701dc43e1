import { describe, record, text } from "../../lib/k8s";
import { boundRole, grantsPodExec, isManagedName, isManagedSubject, readsAnySecret, subjectsOf } from "../../lib/rbac";
import { defineRule, type Finding } from "../../lib/rule";

export interface BindingConfig {
    /** Subjects (`Group:voting-sre`, `ServiceAccount:ns/name`) that may be bound to exec-granting roles. */
    execSubjects: string[];
    /** Read-only subjects (developers): enforce-read-only-access judges what they are given, exec and Secrets included. */
    readOnlySubjects: string[];
    /** Subjects that may read every Secret of a namespace; when set, every other subject may read Secrets by name at most. */
    secretReaders: string[];
    managedPrefixes: string[];
}

/**
 * Checklist 6.5.1, 4.4.2: every binding names a role that exists; only allowed subjects get exec through
 * one; and, once the pack config names who may read Secrets (SRE), nobody else can read every Secret's
 * value (CI/CD may get the ones it writes, by name). What read-only subjects (developers) are given is
 * enforce-read-only-access's to judge, so that one binding is reported once for one reason.
 */
export const restrictRoleBindings = defineRule<BindingConfig>({
    scope: "stack",
    name: "restrict-role-bindings",
    description:
        "Every RoleBinding and ClusterRoleBinding names a role of the resource set or a built-in ClusterRole, binds exec/attach-granting roles only to allowed subjects, and (when secretReaders is set) lets no one else read Secrets other than by name; read-only subjects are left to enforce-read-only-access.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Create the role the binding names (or fix roleRef); keep admin/edit (which allow exec and Secret reads) for the SRE group; give CI/CD get on the Secrets it writes by resourceNames, never list, watch or every name.",
    checklist: ["6.5.1", "4.4.2"],
    peers: {
        polaris: ["clusterrolebindingPodExecAttach", "rolebindingClusterRolePodExecAttach", "rolebindingRolePodExecAttach"],
        "kube-linter": ["access-to-secrets"],
        kyverno: ["restrict-secret-role-verbs"],
    },
    settings: {
        execSubjects: {
            type: "array",
            items: { type: "string", pattern: "^[A-Za-z]+:\\S+$" },
            description: "Subjects allowed exec, e.g. Group:voting-sre.",
            default: [],
        },
        readOnlySubjects: {
            type: "array",
            items: { type: "string", pattern: "^[A-Za-z]+:\\S+$" },
            description:
                "Read-only subjects, e.g. Group:voting-developers: enforce-read-only-access judges their bindings (writes, exec, Secrets), so this policy does not report them again.",
            default: [],
        },
        secretReaders: {
            type: "array",
            items: { type: "string", pattern: "^[A-Za-z]+:\\S+$" },
            description: "Subjects that may read every Secret of a namespace, e.g. Group:voting-sre; empty: Secret reads are not judged.",
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
            // Read-only subjects are enforce-read-only-access's: it refuses their exec and Secret reads.
            const judged = subjectsOf(b).filter((s) => !cfg.readOnlySubjects.includes(s.id) && !isManagedSubject(s, cfg.managedPrefixes));
            const outsiders = judged.filter((s) => !cfg.execSubjects.includes(s.id)).map((s) => s.id);
            if (grantsPodExec(role.rules) && outsiders.length > 0) {
                out.push({
                    object: b,
                    message: `${describe(b)}: gives ${outsiders.join(", ")} exec/attach into pods through ${text(ref.kind)} ${role.name}; bind a role without pods/exec`,
                });
            }
            // Kubernetes' and the cloud's own users and groups read Secrets to run the cluster.
            const readers = judged.filter((s) => !cfg.secretReaders.includes(s.id)).map((s) => s.id);
            if (cfg.secretReaders.length > 0 && readers.length > 0 && readsAnySecret(role.rules)) {
                out.push({
                    object: b,
                    message: `${describe(b)}: lets ${readers.join(", ")} read the value of every Secret through ${text(ref.kind)} ${role.name}; only ${cfg.secretReaders.join(", ")} may, others get named Secrets at most`,
                });
            }
        }
        return out;
    },
});
