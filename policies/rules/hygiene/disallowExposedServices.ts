import { describe, namespaceOf, nameOf } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** P.8: public traffic enters through the Ingress (TLS, rate limits); a NodePort or LoadBalancer bypasses all of it. */
export const disallowExposedServices = defineRule<{ allowed: string[] }>({
    scope: "resource",
    name: "disallow-exposed-services",
    description: "No Service is a NodePort or LoadBalancer or sets externalIPs, unless listed as an exception.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Use type ClusterIP behind the Ingress, or list the Service (namespace/name) in the pack config's allowed exceptions after review.",
    checklist: ["P.8"],
    peers: { "kube-score": ["service-type"], "kube-linter": ["exposed-services"], kyverno: ["restrict-node-port", "restrict-service-external-ips"] },
    settings: { allowed: { type: "array", items: { type: "string" }, description: 'Exceptions as "namespace/name".', default: [] } },
    check: (obj, cfg) => {
        if (obj.kind !== "Service" || cfg.allowed.includes(`${namespaceOf(obj)}/${nameOf(obj)}`)) return [];
        const out: string[] = [];
        if (obj.spec?.type === "NodePort" || obj.spec?.type === "LoadBalancer")
            out.push(`${describe(obj)}: is a ${obj.spec.type}, exposed outside the cluster; use ClusterIP behind the Ingress`);
        if (Array.isArray(obj.spec?.externalIPs) && obj.spec.externalIPs.length > 0) out.push(`${describe(obj)}: sets externalIPs; remove them`);
        return out;
    },
});
