import { describe, nameOf, namespaceOf, record, show } from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";
import { isKind, replicaFloor, resolveIntOrPercent, SCALABLE } from "../../lib/workloads";

/** Checklist 2.3.3: a budget that allows no eviction blocks every node drain and cluster upgrade. */
export const disallowBlockingPodDisruptionBudget = defineRule({
    scope: "stack",
    name: "disallow-blocking-pod-disruption-budget",
    description:
        "No PodDisruptionBudget forbids every voluntary eviction: maxUnavailable is not 0, minAvailable is not 100%, and minAvailable stays below the replicas (or the autoscaler's minimum) of the workload it covers.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Lower minAvailable below the workload's replica floor, or use maxUnavailable: 1.",
    checklist: ["2.3.3"],
    peers: {
        polaris: ["pdbDisruptionsIsZero", "pdbMinAvailableGreaterThanHPAMinReplicas"],
        "kube-linter": ["pdb-max-unavailable", "pdb-min-available"],
        kyverno: ["pdb-maxunavailable", "deployment-replicas-higher-than-pdb", "require-reasonable-pdbs"],
    },
    check: (objects) => {
        const out: Finding[] = [];
        const set = resourceSet(objects);
        for (const pdb of set.ofKind("PodDisruptionBudget")) {
            const { minAvailable, maxUnavailable } = record(pdb.spec);
            if (maxUnavailable !== undefined && resolveIntOrPercent(maxUnavailable, 100) === 0) {
                out.push({
                    object: pdb,
                    message: `${describe(pdb)}: maxUnavailable ${show(maxUnavailable)} allows no eviction; node drains would hang`,
                });
                continue;
            }
            if (minAvailable === "100%") {
                out.push({ object: pdb, message: `${describe(pdb)}: minAvailable "100%" allows no eviction; node drains would hang` });
                continue;
            }
            if (minAvailable === undefined) continue;
            for (const { object: w } of set.workloadsMatching(namespaceOf(pdb), record(pdb.spec).selector)) {
                if (!isKind(w, SCALABLE)) continue;
                const floor = replicaFloor(w, objects);
                const need = resolveIntOrPercent(minAvailable, floor);
                if (need !== undefined && need >= floor) {
                    out.push({
                        object: pdb,
                        message: `${describe(pdb)}: minAvailable ${show(minAvailable)} of ${w.kind} ${nameOf(w)}'s ${floor} replica(s) allows no eviction; node drains would hang`,
                    });
                }
            }
        }
        return out;
    },
});
