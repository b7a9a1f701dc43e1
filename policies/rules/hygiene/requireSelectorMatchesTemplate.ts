import { describe, isEmptySelector, selectorMatches } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** P.5: a controller whose selector does not match its own template is refused by the API server, or adopts the wrong pods. */
export const requireSelectorMatchesTemplate = defineRule({
    scope: "resource",
    name: "require-selector-matches-template",
    description: "Every Deployment, StatefulSet, DaemonSet and ReplicaSet has a non-empty selector that matches its own pod template labels.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Build spec.selector.matchLabels and the template labels from the same helper, the selector a stable subset of the labels.",
    checklist: ["P.5"],
    peers: {
        "kube-score": [
            "deployment-pod-selector-labels-match-template-metadata-labels",
            "statefulset-pod-selector-labels-match-template-metadata-labels",
        ],
        "kube-linter": ["mismatching-selector"],
    },
    check: (obj) => {
        if (!["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].includes(obj.kind) || !obj.spec) return [];
        const selector = obj.spec.selector;
        if (!selector || isEmptySelector(selector))
            return [`${describe(obj)}: has no selector; set spec.selector.matchLabels to the template's stable labels`];
        return selectorMatches(selector, obj.spec.template?.metadata?.labels)
            ? []
            : [`${describe(obj)}: selector ${JSON.stringify(selector.matchLabels ?? selector)} does not match its pod template labels`];
    },
});
