import { forEachContainer } from "../../lib/k8s";
import { effectiveRequest, limitOf, sized } from "../../lib/resources";
import { defineRule } from "../../lib/rule";

/** Checklist 2.2.2: limits set, not below the request, and at most `maxLimitToRequestRatio` times it. */
export const requireResourceLimits = defineRule<{ maxLimitToRequestRatio: number }>({
    scope: "resource",
    name: "require-resource-limits",
    description: "Every container sets CPU and memory limits, at or above its requests and within a bounded ratio of them.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set resources.limits.cpu and resources.limits.memory on every container; the checklist uses 2× the requests (API 400m/512Mi).",
    checklist: ["2.2.2"],
    peers: {
        polaris: ["cpuLimitsMissing", "memoryLimitsMissing"],
        "kube-score": ["container-resources"],
        "kube-linter": ["unset-cpu-requirements", "unset-memory-requirements"],
        kyverno: ["require-pod-requests-limits"],
    },
    settings: {
        maxLimitToRequestRatio: {
            type: "number",
            minimum: 1,
            description: "Largest limit/request ratio accepted (the checklist's is 2).",
            default: 4,
        },
    },
    kinds: "workloads",
    check: (obj, cfg) =>
        forEachContainer(obj, (c) => {
            if (!sized(c)) return undefined;
            const out: string[] = [];
            for (const res of ["cpu", "memory"] as const) {
                const limit = limitOf(c, res);
                const request = effectiveRequest(c, res);
                if (!(limit! > 0)) {
                    out.push(`has no ${res} limit: set resources.limits.${res}`);
                } else if (request !== undefined && limit! < request) {
                    out.push(`has a ${res} limit below its request: raise resources.limits.${res} to at least the request`);
                } else if (request !== undefined && request > 0 && limit! / request > cfg.maxLimitToRequestRatio) {
                    // Rounded up, so a ratio just over the maximum never reads as the maximum itself.
                    out.push(
                        `has a ${res} limit ${Math.ceil((limit! / request) * 100) / 100}× its request; keep it within ${cfg.maxLimitToRequestRatio}×`,
                    );
                }
            }
            return out;
        }),
});
