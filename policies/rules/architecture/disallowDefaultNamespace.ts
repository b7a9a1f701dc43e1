import { describe, isClusterScoped, type K8sObject, record } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** P.9: objects in `default` escape the namespace's quotas, policies and RBAC design. */
export const disallowDefaultNamespace = defineRule({
    scope: "resource",
    name: "disallow-default-namespace",
    description: "Nothing is deployed to the default namespace.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Set metadata.namespace to one of the platform's namespaces.",
    checklist: ["P.9"],
    peers: { "kube-linter": ["use-namespace"], kyverno: ["disallow-default-namespace"] },
    check: (obj: K8sObject) => {
        if (isClusterScoped(obj)) return [];
        const ns = record(obj.metadata).namespace;
        if (ns === "default") return [`${describe(obj)}: is in the default namespace; move it to a platform namespace`];
        return [];
    },
});
