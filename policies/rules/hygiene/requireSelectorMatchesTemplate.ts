import { describe, isEmptySelector, isRecord, record, selectorMatches, show, stringMap } from "../../lib/k8s";
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
    kinds: ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Rollout"],
    check: (obj) => {
        if (!["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Rollout"].includes(obj.kind) || !isRecord(obj.spec)) return [];
        const selector = obj.spec.selector;
        // A Rollout that points at a Deployment's template (workloadRef) has no template of its own to select.
        if (obj.kind === "Rollout" && obj.spec.template === undefined) return [];
        if (!selector || isEmptySelector(selector))
            return [`${describe(obj)}: has no selector; set spec.selector.matchLabels to the template's stable labels`];
        return selectorMatches(selector, stringMap(record(record(obj.spec.template).metadata).labels))
            ? []
            : [`${describe(obj)}: selector ${show(record(selector).matchLabels ?? selector)} does not match its pod template labels`];
    },
});
