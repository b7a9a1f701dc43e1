import { defaultDenySettings, missingDefaultDeny } from "../../lib/defaultDeny";
import { PLATFORM_NAMESPACES } from "../../lib/platform";
import { defineRule } from "../../lib/rule";

/** Checklist 1.2.2 (both directions): without egress isolation a compromised pod can reach anything, the data layer included. */
export const requireDefaultDenyEgress = defineRule<{ namespaces: string[] }>({
    scope: "stack",
    name: "require-default-deny-egress",
    description:
        "Every namespace that runs pods, and every declared platform namespace, denies egress by default: a NetworkPolicy with policyTypes Egress selects all its pods (empty podSelector), so current and future pods are egress-isolated, and no namespace-wide rule allows everything.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add policyTypes: [Egress] to the namespace's default-deny NetworkPolicy, then allow DNS and each egress flow of the traffic matrix.",
    checklist: ["1.2.2"],
    peers: { polaris: ["missingNetworkPolicy"], "kube-score": ["pod-networkpolicy"] },
    settings: defaultDenySettings(PLATFORM_NAMESPACES),
    check: (objects, cfg) => missingDefaultDeny(objects, cfg.namespaces, "Egress"),
});
