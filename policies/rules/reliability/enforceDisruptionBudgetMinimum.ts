import { describe, integer, type K8sObject, nameOf, namespaceOf, own, podTemplate, record, selectorMatches, text } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";
import { isKind, replicaFloor, resolveIntOrPercent, SCALABLE } from "../../lib/workloads";
import { resourceSet } from "../../lib/resourceSet";

export interface DisruptionBudgetConfig {
    /** `namespace/name` → the fewest pods a budget must keep available. */
    workloads: Record<string, number>;
    /** What a budget must keep for any other workload running more than one pod. */
    minAvailable: number;
}

/** How many pods a budget keeps at a given pod count, and how it says so: `minAvailable 1 of 3`. */
function guarantee(budget: K8sObject, pods: number): { keeps: number; how: string } {
    const spec = record(budget.spec);
    const quoted = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : text(v));
    if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
        return { keeps: resolveIntOrPercent(spec.minAvailable, pods) ?? 0, how: `minAvailable ${quoted(spec.minAvailable)} of ${pods}` };
    }
    if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
        const off = resolveIntOrPercent(spec.maxUnavailable, pods);
        return { keeps: off === undefined ? 0 : Math.max(0, pods - off), how: `maxUnavailable ${quoted(spec.maxUnavailable)} of ${pods}` };
    }
    return { keeps: 0, how: "neither minAvailable nor maxUnavailable" };
}

/**
 * Checklist 2.3.3: a budget that exists but keeps too few pods protects nothing (the API with
 * minAvailable 1 of 3 may lose two pods to one drain). Each workload's budget keeps at least its
 * configured number of pods available, judged at the workload's floor (its autoscaler's minimum), where
 * a percentage or maxUnavailable keeps the fewest.
 */
export const enforceDisruptionBudgetMinimum = defineRule<DisruptionBudgetConfig>({
    scope: "stack",
    name: "enforce-disruption-budget-minimum",
    description:
        "The PodDisruptionBudget of each workload the pack config names keeps at least its configured number of pods available during voluntary disruptions, and any other workload running more than one pod keeps at least minAvailable; judged at the workload's lowest replica count.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set the budget's minAvailable to at least the configured number (API 2, consumer 1), or lower its maxUnavailable; a budget may keep every pod but one, never all of them.",
    checklist: ["2.3.3"],
    settings: {
        workloads: {
            type: "object",
            additionalProperties: { type: "integer", minimum: 0 },
            description: 'Pods each budget must keep available, keyed by "namespace/name", e.g. {"voting-api/api": 2}.',
            default: {},
        },
        minAvailable: {
            type: "integer",
            minimum: 0,
            description: "Pods a budget must keep available for any other workload that runs more than one pod.",
            default: 1,
        },
    },
    check: (objects, cfg) => {
        const set = resourceSet(objects);
        const out: Finding[] = [];
        for (const obj of objects) {
            if (!isKind(obj, SCALABLE)) continue;
            const floor = integer(replicaFloor(obj, objects)) ?? 1;
            const want = integer(own(cfg.workloads, `${namespaceOf(obj)}/${nameOf(obj)}`)) ?? (floor > 1 ? cfg.minAvailable : undefined);
            if (want === undefined || want === 0) continue;
            const labels = podTemplate(obj)?.metadata.labels;
            const covering = set.inNamespace("PodDisruptionBudget", namespaceOf(obj)).filter((b) => selectorMatches(record(b.spec).selector, labels));
            if (covering.length === 0) {
                // require-pod-disruption-budget reports these kinds without a budget; only the others are said here.
                if (isKind(obj, ["Deployment", "StatefulSet", "Rollout"])) continue;
                out.push({
                    object: obj,
                    message: `${describe(obj)}: no PodDisruptionBudget selects its pods; one must keep at least ${want} available`,
                });
                continue;
            }
            const best = covering.map((b) => ({ b, ...guarantee(b, floor) })).sort((x, y) => y.keeps - x.keeps)[0];
            if (best.keeps >= want) continue;
            out.push({
                object: obj,
                message: `${describe(obj)}: PodDisruptionBudget ${nameOf(best.b)} keeps ${best.keeps} pod(s) available (${best.how}) where at least ${want} must stay`,
            });
        }
        return out;
    },
});
