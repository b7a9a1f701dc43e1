import { namespaceOf, type K8sObject } from "./k8s";
import { records, str } from "./read";

/**
 * The subjects a RoleBinding or ClusterRoleBinding binds, as settings name them: `Group:voting-sre`,
 * `User:alice`, `ServiceAccount:voting-api/ci` (a ServiceAccount without a namespace is the binding's).
 * Entries that are not objects with a string kind and name, which the API server refuses, are left out.
 */
export function subjectIds(binding: K8sObject): string[] {
    return records(binding.subjects).flatMap((s) => {
        const kind = str(s.kind);
        const name = str(s.name);
        if (kind === undefined || name === undefined) return [];
        return [kind === "ServiceAccount" ? `ServiceAccount:${str(s.namespace) ?? namespaceOf(binding)}/${name}` : `${kind}:${name}`];
    });
}
