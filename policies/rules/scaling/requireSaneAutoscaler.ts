import { describe, namespaceOf, num, record, text } from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

/** Checklist 5.1.1: an HPA that can actually scale, keeps a floor, and targets something that exists. */
export const requireSaneAutoscaler = defineRule<{ minReplicas: number }>({
    scope: "stack",
    name: "require-sane-autoscaler",
    description:
        "Every HorizontalPodAutoscaler keeps at least the configured minimum, can scale above it (maxReplicas > minReplicas), has metrics, and targets a workload of the resource set.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set minReplicas to at least 2 (API: 3), maxReplicas above it (API: 10), CPU and memory utilisation targets, and a scaleTargetRef naming an existing Deployment.",
    checklist: ["5.1.1"],
    peers: {
        polaris: ["hpaMinAvailability", "hpaMaxAvailability"],
        "kube-score": ["horizontalpodautoscaler-replicas", "horizontalpodautoscaler-has-target"],
        "kube-linter": ["hpa-minimum-three-replicas", "dangling-horizontalpodautoscaler"],
    },
    settings: { minReplicas: { type: "integer", minimum: 1, description: "Lowest minReplicas accepted.", default: 2 } },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        const set = resourceSet(objects);
        for (const hpa of set.ofKind("HorizontalPodAutoscaler")) {
            const spec = record(hpa.spec);
            // A minReplicas that is not a number is refused by the API server; Kubernetes' default stands in.
            const min = num(spec.minReplicas) ?? 1;
            const say = (message: string) => out.push({ object: hpa, message: `${describe(hpa)}: ${message}` });
            if (min < cfg.minReplicas) say(`minReplicas ${min} lets the workload fall below ${cfg.minReplicas} pods; raise minReplicas`);
            if (typeof spec.maxReplicas === "number" && spec.maxReplicas <= min) {
                say(`maxReplicas ${spec.maxReplicas} is not above minReplicas ${min}; it cannot scale out`);
            }
            if (hpa.apiVersion !== "autoscaling/v1" && (!Array.isArray(spec.metrics) || spec.metrics.length === 0)) {
                say("has no metrics; set CPU and memory utilisation targets");
            }
            const ref = record(spec.scaleTargetRef);
            const target = typeof ref.kind === "string" && typeof ref.name === "string" ? set.find(ref.kind, namespaceOf(hpa), ref.name) : undefined;
            if (!target) say(`targets ${text(ref.kind ?? "?")} ${text(ref.name ?? "?")}, which is not in the resource set`);
        }
        return out;
    },
});
