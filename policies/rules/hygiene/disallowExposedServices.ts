import { describe, list, nameOf, namespaceOf, record } from "../../lib/k8s";
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
    settings: {
        allowed: {
            type: "array",
            items: { type: "string", pattern: "^[^/\\s]+/[^/\\s]+$" },
            description: 'Exceptions as "namespace/name".',
            default: [],
        },
    },
    kinds: ["Service"],
    check: (obj, cfg) => {
        if (obj.kind !== "Service" || cfg.allowed.includes(`${namespaceOf(obj)}/${nameOf(obj)}`)) return [];
        const out: string[] = [];
        const spec = record(obj.spec);
        if (spec.type === "NodePort" || spec.type === "LoadBalancer")
            out.push(`${describe(obj)}: is a ${spec.type}, exposed outside the cluster; use ClusterIP behind the Ingress`);
        if (list(spec.externalIPs).length > 0) out.push(`${describe(obj)}: sets externalIPs; remove them`);
        return out;
    },
});
