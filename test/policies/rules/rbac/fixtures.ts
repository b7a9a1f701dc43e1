import type { K8sObject } from "../../../../policies/lib/k8s";

export const role = (name: string, rules: unknown[], kind = "Role", namespace = "voting-api"): K8sObject => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind,
    metadata: kind === "Role" ? { name, namespace } : { name },
    rules,
});

export const bind = (
    name: string,
    roleKind: string,
    roleName: string,
    subjects: unknown[] = [{ kind: "Group", name: "voting-developers" }],
    kind = "RoleBinding",
): K8sObject => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind,
    metadata: kind === "RoleBinding" ? { name, namespace: "voting-api" } : { name },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: roleKind, name: roleName },
    subjects,
});

export const STANDARD_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"];
export const readOnly = role("reader", [{ apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list", "watch"] }]);
