import { integer, isRecord, type K8sObject, nameOf, own, record, records, text, str } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";
import { autoscalerFor, SCALABLE } from "../../lib/workloads";
import { resourceSet } from "../../lib/resourceSet";

export interface AutoscalerTargets {
    minReplicas?: number;
    maxReplicas?: number;
    cpuUtilization?: number;
    memoryUtilization?: number;
}

/** The CPU utilisation an HPA without metrics scales on. */
const DEFAULT_CPU_UTILIZATION = 80;

/** The utilisation targets (percent of the request) an HPA or a KEDA ScaledObject scales a resource on. */
function utilisationTargets(scaler: K8sObject, resource: "cpu" | "memory"): number[] {
    const spec = record(scaler.spec);
    if (scaler.kind === "ScaledObject") {
        return records(spec.triggers)
            .filter((t) => t.type === resource && (str(t.metricType) ?? str(record(t.metadata).type) ?? "Utilization") === "Utilization")
            .map((t) => integer(record(t.metadata).value))
            .filter((v): v is number => v !== undefined);
    }
    if (!Array.isArray(spec.metrics)) {
        // The API server gives an HPA without metrics a CPU target of 80%, as autoscaling/v1 defaults targetCPUUtilizationPercentage.
        const v = resource === "cpu" ? integer(spec.targetCPUUtilizationPercentage ?? DEFAULT_CPU_UTILIZATION) : undefined;
        return v === undefined ? [] : [v];
    }
    return records(spec.metrics)
        .map((m) => (m.type === "Resource" ? record(m.resource) : m.type === "ContainerResource" ? record(m.containerResource) : {}))
        .filter((r) => r.name === resource && record(r.target).type === "Utilization")
        .map((r) => integer(record(r.target).averageUtilization))
        .filter((v): v is number => v !== undefined);
}

/**
 * Checklist 5.1.1: the API's HPA keeps at least 3 pods, can reach 10, and scales out by 70% CPU and 80%
 * memory of the requests. Per workload, the pack config gives the floor, the ceiling it must reach and
 * the highest utilisation targets (a lower target scales out sooner and is accepted).
 */
export const enforceAutoscalerTargets = defineRule<{ workloads: Record<string, AutoscalerTargets> }>({
    scope: "stack",
    name: "enforce-autoscaler-targets",
    description:
        "Each workload the pack config names is scaled by a HorizontalPodAutoscaler (or KEDA ScaledObject) whose minimum is at least its floor, whose maximum reaches at least its ceiling, and whose CPU and memory utilisation targets are set and at most the configured percentages.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Give the workload an autoscaling/v2 HorizontalPodAutoscaler with minReplicas and maxReplicas of at least the configured numbers (API 3 and 10) and Resource metrics for cpu and memory with averageUtilization at most the configured targets (70 and 80).",
    checklist: ["5.1.1"],
    settings: {
        workloads: {
            type: "object",
            additionalProperties: {
                type: "object",
                properties: {
                    minReplicas: { type: "integer", minimum: 1 },
                    maxReplicas: { type: "integer", minimum: 1 },
                    cpuUtilization: { type: "integer", minimum: 1, maximum: 100 },
                    memoryUtilization: { type: "integer", minimum: 1, maximum: 100 },
                },
                additionalProperties: false,
            },
            description:
                'Autoscaling keyed by "namespace/name", e.g. {"voting-api/api": {"minReplicas": 3, "maxReplicas": 10, "cpuUtilization": 70, "memoryUtilization": 80}}.',
            default: {},
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        for (const [ref, raw] of Object.entries(cfg.workloads)) {
            const want: Record<string, unknown> = isRecord(raw) ? { ...raw } : {};
            const [ns, name] = ref.split("/");
            const set = resourceSet(objects);
            const workload = SCALABLE.map((kind) => set.find(kind, ns, name)).find((o) => o !== undefined);
            if (!workload) {
                const anchor: K8sObject = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: ns } };
                out.push({ object: anchor, message: `workload ${ref} is named for autoscaling but is not in the resource set` });
                continue;
            }
            const say = (message: string) => out.push({ object: workload, message: `${workload.kind} ${ref}: ${message}` });
            const scaler = autoscalerFor(workload, objects);
            if (!scaler) {
                say("is not scaled by a HorizontalPodAutoscaler or ScaledObject");
                continue;
            }
            const by = `its ${scaler.kind} ${nameOf(scaler.object)}`;
            const min = integer(own(want, "minReplicas"));
            const max = integer(own(want, "maxReplicas"));
            const [floor, ceiling] = [integer(scaler.min), integer(scaler.max)];
            if (min !== undefined && !(floor !== undefined && floor >= min))
                say(`${by} keeps as few as ${floor ?? text(scaler.min)} pod(s) where at least ${min} are required`);
            if (max !== undefined && !(ceiling !== undefined && ceiling >= max))
                say(`${by} scales to at most ${ceiling ?? "an unset number of"} pod(s) where it must reach ${max}`);
            for (const [resource, key] of [
                ["cpu", "cpuUtilization"],
                ["memory", "memoryUtilization"],
            ] as const) {
                const limit = integer(own(want, key));
                if (limit === undefined) continue;
                const targets = utilisationTargets(scaler.object, resource);
                if (targets.length === 0) say(`${by} has no ${resource} utilisation target; scale on ${resource} at ${limit}% of the request`);
                else if (Math.min(...targets) > limit)
                    say(`${by} scales on ${resource} only at ${Math.min(...targets)}% of the request; scale out by ${limit}%`);
            }
        }
        return out;
    },
});
