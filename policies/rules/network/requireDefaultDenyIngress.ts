import { defaultDenySettings, missingDefaultDeny } from "../../lib/defaultDeny";
import { PLATFORM_NAMESPACES } from "../../lib/platform";
import { defineRule } from "../../lib/rule";

/** Checklist 1.2.2: every namespace that runs pods (and every declared one) has a default-deny ingress policy. */
export const requireDefaultDenyIngress = defineRule<{ namespaces: string[] }>({
    scope: "stack",
    name: "require-default-deny-ingress",
    description:
        "Every namespace that runs pods, and every declared platform namespace, denies ingress by default: a NetworkPolicy with policyTypes Ingress selects all its pods (empty podSelector), so current and future pods are ingress-isolated, and no namespace-wide rule allows everything.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress] (and Egress) and no rules in the namespace, then allow each flow of the traffic matrix explicitly.",
    checklist: ["1.2.2"],
    peers: {
        polaris: ["missingNetworkPolicy"],
        "kube-score": ["pod-networkpolicy"],
        "kube-linter": ["non-isolated-pod"],
        kyverno: ["add-network-policy", "require-netpol"],
    },
    settings: defaultDenySettings(PLATFORM_NAMESPACES),
    check: (objects, cfg) => missingDefaultDeny(objects, cfg.namespaces, "Ingress"),
});
