import { describe } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

const isSet = (v: unknown) => v !== undefined && v !== null;

/**
 * Checklist 2.3.3: a policy/v1 PodDisruptionBudget with neither minAvailable nor maxUnavailable guards
 * nothing (the disruption controller then lets every pod be evicted), yet it reads as protection.
 */
export const requirePodDisruptionBudgetPolicy = defineRule({
    scope: "resource",
    name: "require-pod-disruption-budget-policy",
    description: "Every PodDisruptionBudget sets exactly one of minAvailable and maxUnavailable; one with neither lets every pod be evicted.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set maxUnavailable: 1 (or minAvailable: replicas - 1) on the PodDisruptionBudget; the API server refuses both at once.",
    checklist: ["2.3.3"],
    peers: { "kube-score": ["poddisruptionbudget-has-policy"] },
    check: (obj) => {
        if (obj.kind !== "PodDisruptionBudget") return [];
        const min = isSet(obj.spec?.minAvailable);
        const max = isSet(obj.spec?.maxUnavailable);
        if (min && max) return [`${describe(obj)}: sets both minAvailable and maxUnavailable; the API server accepts only one, keep maxUnavailable`];
        if (!min && !max)
            return [`${describe(obj)}: sets neither minAvailable nor maxUnavailable, so it lets every pod be evicted; set maxUnavailable: 1`];
        return [];
    },
});
