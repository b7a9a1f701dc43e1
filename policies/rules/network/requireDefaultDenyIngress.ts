import { defaultDenyConfigSchema, missingDefaultDeny } from "../../lib/defaultDeny";
import { PLATFORM_NAMESPACES } from "../../lib/platform";
import type { StackRule } from "../../lib/rule";

/** Checklist 1.2.2: every namespace that runs pods (and every declared one) has a default-deny ingress policy. */
export const requireDefaultDenyIngress: StackRule<{ namespaces: string[] }> = {
    scope: "stack",
    name: "require-default-deny-ingress",
    description:
        "Every namespace that runs pods, and every declared platform namespace, has a default-deny ingress NetworkPolicy (empty podSelector, policyTypes [Ingress], no rules).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress] (and Egress) and no rules in the namespace, then allow each flow of the traffic matrix explicitly.",
    checklist: ["1.2.2"],
    configSchema: defaultDenyConfigSchema(PLATFORM_NAMESPACES),
    defaults: { namespaces: PLATFORM_NAMESPACES },
    check: (objects, cfg) => missingDefaultDeny(objects, cfg.namespaces, "Ingress"),
};
