import { forEachContainer } from "../../lib/k8s";
import { effectiveRequest, sized } from "../../lib/resources";
import { defineRule } from "../../lib/rule";

/** Checklist 2.2.1: the scheduler places pods by their requests; none means "fits anywhere". */
export const requireResourceRequests = defineRule({
    scope: "resource",
    name: "require-resource-requests",
    description: "Every container requests CPU and memory, so the scheduler and the autoscalers can plan for it.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set resources.requests.cpu and resources.requests.memory on every container (API 200m/256Mi, consumer 100m/128Mi, frontend 50m/64Mi, PostgreSQL 250m/512Mi, Redis 100m/256Mi).",
    checklist: ["2.2.1"],
    peers: {
        polaris: ["cpuRequestsMissing", "memoryRequestsMissing"],
        "kube-score": ["container-resources"],
        "kube-linter": ["unset-cpu-requirements", "unset-memory-requirements"],
        kyverno: ["require-pod-requests-limits"],
    },
    kinds: "workloads",
    check: (obj) =>
        forEachContainer(obj, (c) =>
            sized(c)
                ? (["cpu", "memory"] as const)
                      .filter((res) => !(effectiveRequest(c, res)! > 0))
                      .map((res) => `requests no ${res}: set resources.requests.${res}`)
                : undefined,
        ),
});
