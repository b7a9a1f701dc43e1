import { forEachPod } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";
import { isLongRunning } from "../../lib/workloads";

/** P.10: under node pressure the scheduler evicts pods without a priority first. */
export const requirePriorityClass = defineRule({
    scope: "resource",
    name: "require-priority-class",
    description: "Long-running pods name a priorityClassName, so the platform is not the first thing evicted under pressure.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Set spec.priorityClassName to the platform's PriorityClass (voting-platform).",
    checklist: ["P.10"],
    peers: { polaris: ["priorityClassNotSet"], "kube-linter": ["priority-class-name"], kyverno: ["require-pod-priorityclassname"] },
    kinds: "workloads",
    check: (obj) =>
        isLongRunning(obj)
            ? forEachPod(obj, (pod) => (pod.spec.priorityClassName ? [] : ["sets no priorityClassName; name the platform's PriorityClass"]))
            : [],
});
