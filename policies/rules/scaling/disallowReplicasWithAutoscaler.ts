import { describe, nameOf, record, text } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";
import { autoscalerFor, isKind, SCALABLE } from "../../lib/workloads";

/** Checklist 5.1.1: a workload an autoscaler owns does not also set replicas, or every deploy resets the count the autoscaler chose. */
export const disallowReplicasWithAutoscaler = defineRule({
    scope: "stack",
    name: "disallow-replicas-with-autoscaler",
    description: "A workload targeted by an HPA or a KEDA ScaledObject leaves spec.replicas unset, so a deploy never fights the autoscaler.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove spec.replicas from the workload; the autoscaler's minimum sets the floor.",
    checklist: ["5.1.1"],
    peers: { "kube-score": ["deployment-targeted-by-hpa-does-not-have-replicas-configured"] },
    check: (objects) => {
        const out: Finding[] = [];
        for (const w of objects) {
            if (!isKind(w, SCALABLE) || record(w.spec).replicas === undefined) continue;
            const scaler = autoscalerFor(w, objects);
            if (scaler) {
                out.push({
                    object: w,
                    message: `${describe(w)}: sets replicas ${text(w.spec.replicas)} while ${scaler.kind} ${nameOf(scaler.object)} owns its scale; remove spec.replicas`,
                });
            }
        }
        return out;
    },
});
