import { anchorFor, KNOWN_OUTSIDE, modelOf } from "../../lib/matrix";
import { canConnect, type PodPort } from "../../lib/reachability";
import { defineRule, type Finding } from "../../lib/rule";

const DNS = KNOWN_OUTSIDE["kube-dns"];

/** Checklist 1.2.3: an egress-isolated pod that cannot reach kube-dns cannot resolve any Service name. */
export const requireDnsEgress = defineRule<{ dnsNamespace: string; dnsLabels: Record<string, string> }>({
    scope: "stack",
    name: "require-dns-egress",
    description: "Every pod of the resource set can reach kube-dns on port 53 over UDP and TCP, whatever egress isolation applies to it.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Allow egress to namespaceSelector {kubernetes.io/metadata.name: kube-system} AND podSelector {k8s-app: kube-dns} on 53/UDP and 53/TCP in one peer (not a hand-set `name` label, which Kubernetes does not set).",
    checklist: ["1.2.3"],
    peers: { kyverno: ["add-networkpolicy-dns"] },
    settings: {
        dnsNamespace: { type: "string", minLength: 1, description: "Namespace of the cluster DNS pods.", default: DNS.namespace },
        dnsLabels: {
            type: "object",
            additionalProperties: { type: "string" },
            description: "Labels of the cluster DNS pods.",
            default: DNS.labels,
        },
    },
    check: (objects, cfg) => {
        const dns = { ...DNS, namespace: cfg.dnsNamespace, labels: cfg.dnsLabels, id: `${cfg.dnsNamespace}/dns` };
        const model = modelOf(objects, { outside: [dns] });
        const dnsPod = model.byId.get(dns.id)!;
        const out: Finding[] = [];
        for (const pod of model.cluster.pods) {
            if (pod === dnsPod) continue;
            const blocked = (["UDP", "TCP"] as const).filter((protocol) => {
                const port: PodPort = { port: 53, protocol };
                return !canConnect(model.cluster, pod, { pod: dnsPod }, port).allowed;
            });
            if (blocked.length > 0) {
                out.push({
                    object: anchorFor(objects, pod.id),
                    message: `${pod.id} cannot resolve names: no egress rule allows ${cfg.dnsNamespace} DNS pods on 53/${blocked.join(" and 53/")}`,
                });
            }
        }
        return out;
    },
});
