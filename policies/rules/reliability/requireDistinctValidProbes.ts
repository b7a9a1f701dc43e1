import { forEachContainer, record, records } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

type ProbeKind = "livenessProbe" | "readinessProbe" | "startupProbe";

function portOf(probe: unknown): unknown {
    const p = record(probe);
    return record(p.httpGet).port ?? record(p.tcpSocket).port ?? record(p.grpc).port;
}

/** P.7: a liveness probe identical to the readiness probe restarts pods that are merely busy; a probe on a missing port always fails. */
export const requireDistinctValidProbes = defineRule({
    scope: "resource",
    name: "require-distinct-valid-probes",
    description: "Liveness and readiness probes differ, and every probe targets a port the container declares.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps:
        "Point liveness at a check of the process alone and readiness at a check of its dependencies; name probe ports after entries of the container's ports list.",
    checklist: ["P.7"],
    peers: {
        "kube-score": ["pod-probes-identical"],
        "kube-linter": ["liveness-port", "readiness-port", "startup-port"],
        kyverno: ["ensure-probes-different"],
    },
    kinds: "workloads",
    check: (obj) =>
        forEachContainer(obj, (c) => {
            const out: string[] = [];
            const { livenessProbe: live, readinessProbe: ready } = c.container;
            if (live && ready && JSON.stringify(live) === JSON.stringify(ready)) {
                out.push("has identical liveness and readiness probes: a busy pod would be restarted instead of taken out of rotation");
            }
            const ports = records(c.container.ports);
            for (const kind of ["livenessProbe", "readinessProbe", "startupProbe"] as ProbeKind[]) {
                const port = portOf(c.container[kind]);
                // A port that is neither a number nor a string the API server refuses; nothing to compare.
                if (typeof port !== "number" && typeof port !== "string") continue;
                const named = typeof port === "string" && !/^\d+$/.test(port);
                const found = named ? ports.some((p) => p.name === port) : ports.length === 0 || ports.some((p) => p.containerPort === Number(port));
                if (!found) out.push(`has a ${kind} on port ${JSON.stringify(port)}, which the container does not declare`);
            }
            return out;
        }),
});
