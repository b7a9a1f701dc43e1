import { describe, type K8sObject, namespaceOf, record } from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

/**
 * Checklist 2.3.3: a budget only protects a drain if the drain can evict. The eviction API refuses a pod
 * that two PodDisruptionBudgets select ("This pod has more than one PodDisruptionBudget, which the
 * eviction subresource does not support"), so `kubectl drain` and node upgrades retry it for ever.
 */
export const disallowOverlappingDisruptionBudgets = defineRule({
    scope: "stack",
    name: "disallow-overlapping-disruption-budgets",
    description:
        "No pod is selected by more than one PodDisruptionBudget of its namespace: the eviction API refuses to evict such a pod, so node drains and upgrades stop at it. A canary or second instance of a workload gets a budget of its own whose selector the first budget does not match.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Keep one PodDisruptionBudget per set of pods: narrow each budget's selector to its own workload (name and instance labels), or merge the budgets into one.",
    checklist: ["2.3.3"],
    check: (objects) => {
        const set = resourceSet(objects);
        const budgets = new Map<K8sObject, K8sObject[]>();
        for (const pdb of set.ofKind("PodDisruptionBudget")) {
            for (const w of set.workloadsMatching(namespaceOf(pdb), record(pdb.spec).selector)) {
                budgets.set(w.object, [...(budgets.get(w.object) ?? []), pdb]);
            }
        }
        const out: Finding[] = [];
        for (const w of set.workloads) {
            const over = budgets.get(w.object) ?? [];
            if (over.length < 2) continue;
            const names = over.map(describe);
            out.push({
                object: w.object,
                message: `${describe(w.object)}: its pods are selected by ${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}; the eviction API refuses to evict a pod that more than one budget selects, so node drains stop at them; keep one budget per pod`,
            });
        }
        return out;
    },
});
