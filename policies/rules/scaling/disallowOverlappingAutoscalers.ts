import { describe, isRecord, namespaceOf, record, type K8sObject, type PodTemplate } from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

/** An autoscaler and what it acts on: its target, and the pods that target's selector matches. */
interface Scaler {
    readonly object: K8sObject;
    readonly target: K8sObject;
    readonly pods: readonly PodTemplate[];
}

/**
 * The selector an autoscaler reads pods by: its target's, as the scale subresource reports it. A
 * ReplicationController's selector is a plain map of labels.
 */
function selectorOf(target: K8sObject): unknown {
    const selector = record(target.spec).selector;
    return target.kind === "ReplicationController" && isRecord(selector) ? { matchLabels: selector } : selector;
}

/**
 * Checklist 5.1.1, 5.1.2: one autoscaler per pod. Since Kubernetes 1.26 the HPA controller refuses to act
 * on a pod that two autoscalers select and stops both (ScalingActive False, AmbiguousSelector); a KEDA
 * ScaledObject acts through an HPA of its own, so it counts as one.
 */
export const disallowOverlappingAutoscalers = defineRule({
    scope: "stack",
    name: "disallow-overlapping-autoscalers",
    description:
        "No two autoscalers (HorizontalPodAutoscalers, KEDA ScaledObjects) act on the same pods: neither targets the workload the other targets, and neither target's selector matches the pods of a workload the other one's matches. Kubernetes stops both autoscalers of such a pod.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Give each autoscaled workload pods that only its own selector matches (for a canary, a label of its own that the stable selector excludes, or a selector the stable pods fail), or let one autoscaler own the workload.",
    checklist: ["5.1.1", "5.1.2"],
    check: (objects) => {
        const out: Finding[] = [];
        const set = resourceSet(objects);
        const scalers: Scaler[] = [];
        for (const o of [...set.ofKind("HorizontalPodAutoscaler"), ...set.ofKind("ScaledObject")]) {
            const ref = record(record(o.spec).scaleTargetRef);
            // KEDA's default target kind is a Deployment; an HPA names its target's kind.
            const kind = ref.kind ?? (o.kind === "ScaledObject" ? "Deployment" : undefined);
            if (typeof kind !== "string" || typeof ref.name !== "string") continue;
            const target = set.find(kind, namespaceOf(o), ref.name);
            // A dangling target is require-sane-autoscaler's finding.
            if (!target) continue;
            scalers.push({ object: o, target, pods: set.workloadsMatching(namespaceOf(o), selectorOf(target)) });
        }
        for (const [i, b] of scalers.entries()) {
            for (const a of scalers.slice(0, i)) {
                const pair = `${describe(b.object)} and ${describe(a.object)}`;
                const stop = "the HPA controller stops both (ScalingActive False, AmbiguousSelector)";
                if (a.target === b.target) {
                    out.push({ object: b.object, message: `${pair} both target ${describe(a.target)}: ${stop}; keep one` });
                    continue;
                }
                const shared = b.pods.filter((p) => a.pods.some((q) => q.object === p.object));
                if (shared.length === 0) continue;
                out.push({
                    object: b.object,
                    message: `${pair} both act on the pods of ${shared.map((p) => describe(p.object)).join(", ")}, which the selectors of ${describe(b.target)} and ${describe(a.target)} both match: ${stop}; give each target's pods a label the other's selector excludes`,
                });
            }
        }
        return out;
    },
});
