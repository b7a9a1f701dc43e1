import { describe, nameOf, namespaceOf, own } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";
import { autoscalerFor, isKind, replicaFloor, SCALABLE } from "../../lib/workloads";

export interface ReplicasConfig {
    minReplicas: number;
    /** `namespace/name` → the fewest replicas that workload may run. */
    workloads: Record<string, number>;
}

/** Checklist 2.3.1: enough replicas (or an autoscaler floor) that one pod's loss is not an outage. */
export const requireReplicas = defineRule<ReplicasConfig>({
    scope: "stack",
    name: "require-replicas",
    description:
        "Every scalable workload keeps at least the configured number of pods, counting its HPA's or ScaledObject's minimum when an autoscaler owns it.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Raise spec.replicas, or the autoscaler's minReplicas (HPA) / minReplicaCount (KEDA): frontend 3, API 3, consumer 2 in prod.",
    checklist: ["2.3.1"],
    peers: {
        polaris: ["deploymentMissingReplicas"],
        "kube-score": ["deployment-replicas"],
        "kube-linter": ["minimum-three-replicas"],
        kyverno: ["require-deployments-have-multiple-replicas"],
    },
    settings: {
        minReplicas: { type: "integer", minimum: 1, description: "Fewest replicas of any scalable workload.", default: 2 },
        workloads: {
            type: "object",
            additionalProperties: { type: "integer", minimum: 1 },
            description: 'Per-workload minimums keyed by "namespace/name", e.g. {"voting-api/api": 3}.',
            default: {},
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        for (const obj of objects) {
            if (!isKind(obj, SCALABLE)) continue;
            const want = own(cfg.workloads, `${namespaceOf(obj)}/${nameOf(obj)}`) ?? cfg.minReplicas;
            const floor = replicaFloor(obj, objects);
            if (floor >= want) continue;
            const scaler = autoscalerFor(obj, objects);
            const source = scaler
                ? `its ${scaler.kind} ${nameOf(scaler.object)} allows ${floor}`
                : obj.spec?.replicas === undefined
                  ? "it sets no replicas (Kubernetes runs 1)"
                  : `it runs ${floor}`;
            out.push({ object: obj, message: `${describe(obj)}: keeps as few as ${floor} replica(s) where ${want} are required: ${source}` });
        }
        return out;
    },
});
