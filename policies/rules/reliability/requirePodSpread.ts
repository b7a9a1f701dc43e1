import { describe, podTemplate, record, records, selectorMatches } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";
import { isKind } from "../../lib/workloads";

const SPREAD_KEYS = ["kubernetes.io/hostname", "topology.kubernetes.io/zone", "topology.kubernetes.io/region"];

/** Checklist 2.3.2: replicas spread over nodes, by anti-affinity or a topology spread constraint that selects the workload's own pods. */
export const requirePodSpread = defineRule({
    scope: "resource",
    name: "require-pod-spread",
    description:
        "Every Deployment and StatefulSet spreads its pods across nodes or zones: a pod anti-affinity term or topology spread constraint whose selector matches its own pods.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add preferredDuringScheduling pod anti-affinity on kubernetes.io/hostname and a topologySpreadConstraint on topology.kubernetes.io/zone, both selecting the workload's own labels.",
    checklist: ["2.3.2"],
    peers: {
        polaris: ["topologySpreadConstraint"],
        "kube-score": ["deployment-has-host-podantiaffinity", "statefulset-has-host-podantiaffinity"],
        "kube-linter": ["no-anti-affinity"],
        kyverno: ["spread-pods-across-topology"],
    },
    kinds: ["Deployment", "StatefulSet", "Rollout"],
    check: (obj) => {
        if (!isKind(obj, ["Deployment", "StatefulSet", "Rollout"])) return [];
        const pod = podTemplate(obj);
        if (!pod) return [];
        const labels = pod.metadata.labels;
        const anti = record(record(pod.spec.affinity).podAntiAffinity);
        const terms = [
            ...records(anti.requiredDuringSchedulingIgnoredDuringExecution),
            ...records(anti.preferredDuringSchedulingIgnoredDuringExecution).map((t) => record(t.podAffinityTerm)),
        ];
        const spreads = records(pod.spec.topologySpreadConstraints);
        const selfSelecting = (t: Record<string, unknown>) =>
            typeof t.topologyKey === "string" && SPREAD_KEYS.includes(t.topologyKey) && selectorMatches(t.labelSelector, labels);
        if (terms.some(selfSelecting) || spreads.some(selfSelecting)) return [];
        const why =
            terms.length + spreads.length === 0
                ? "has no pod anti-affinity or topology spread constraint"
                : "has anti-affinity or spread rules, but none selects its own pods on a node, zone or region key";
        return [`${describe(obj)}: ${why}; all replicas may land on one node`];
    },
});
