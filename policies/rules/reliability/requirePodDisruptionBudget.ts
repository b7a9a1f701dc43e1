import { describe, type K8sObject, namespaceOf, record } from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";
import { isKind } from "../../lib/workloads";

/** Checklist 2.3.3: voluntary disruptions (drains, upgrades) respect a budget for every long-running workload. */
export const requirePodDisruptionBudget = defineRule({
    scope: "stack",
    name: "require-pod-disruption-budget",
    description: "Every Deployment and StatefulSet is covered by a PodDisruptionBudget in its namespace whose selector matches its pods.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add a policy/v1 PodDisruptionBudget selecting the pod template's labels (API minAvailable 2, consumer minAvailable 1, others replicas - 1).",
    checklist: ["2.3.3"],
    peers: {
        polaris: ["missingPodDisruptionBudget"],
        "kube-score": ["deployment-has-poddisruptionbudget", "statefulset-has-poddisruptionbudget"],
        kyverno: ["require-pdb"],
    },
    check: (objects) => {
        const set = resourceSet(objects);
        const covered = new Set<K8sObject>();
        for (const b of set.ofKind("PodDisruptionBudget")) {
            for (const pod of set.workloadsMatching(namespaceOf(b), record(b.spec).selector)) covered.add(pod.object);
        }
        const out: Finding[] = [];
        for (const obj of objects) {
            if (!isKind(obj, ["Deployment", "StatefulSet", "Rollout"]) || covered.has(obj)) continue;
            out.push({ object: obj, message: `${describe(obj)}: no PodDisruptionBudget selects its pods` });
        }
        return out;
    },
});
