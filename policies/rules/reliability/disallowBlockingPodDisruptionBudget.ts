import { describe, nameOf, namespaceOf, record, show } from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";
import { isKind, replicaFloor, resolveIntOrPercent, SCALABLE } from "../../lib/workloads";

/** Checklist 2.3.3: a budget that allows no eviction blocks every node drain and cluster upgrade. */
export const disallowBlockingPodDisruptionBudget = defineRule({
    scope: "stack",
    name: "disallow-blocking-pod-disruption-budget",
    description:
        "No PodDisruptionBudget forbids every voluntary eviction: maxUnavailable is not 0, minAvailable is not 100%, and minAvailable stays below the replicas (or the autoscalers' minimums) of the workloads it covers, counted together.",
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
            // The budget counts every pod its selector matches: a canary beside a Deployment adds to the pods it may evict.
            const covered = set
                .workloadsMatching(namespaceOf(pdb), record(pdb.spec).selector)
                .map(({ object: w }) => w)
                .filter((w) => isKind(w, SCALABLE));
            if (covered.length === 0) continue;
            const floor = covered.reduce((sum, w) => sum + replicaFloor(w, objects), 0);
            const need = resolveIntOrPercent(minAvailable, floor);
            if (need !== undefined && need >= floor) {
                const whose =
                    covered.length === 1
                        ? `${covered[0].kind} ${nameOf(covered[0])}'s`
                        : `the ${covered.map((w) => `${w.kind} ${nameOf(w)}`).join(" and ")}'s`;
                out.push({
                    object: pdb,
                    message: `${describe(pdb)}: minAvailable ${show(minAvailable)} of ${whose} ${floor} replica(s) allows no eviction; node drains would hang`,
                });
            }
        }
        return out;
    },
});
