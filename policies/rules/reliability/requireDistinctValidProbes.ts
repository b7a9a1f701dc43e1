import { forEachContainer, namespaceOf, nameOf, own, record, records, show, str } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

type ProbeKind = "livenessProbe" | "readinessProbe" | "startupProbe";

function portOf(probe: unknown): unknown {
    const p = record(probe);
    return record(p.httpGet).port ?? record(p.tcpSocket).port ?? record(p.grpc).port;
}

/** A named port as the number the container declares for it, so `http` and `8080` compare equal. */
function resolvePort(port: unknown, ports: readonly Record<string, unknown>[]): string {
    if (typeof port === "string" && !/^\d+$/.test(port)) {
        const found = ports.find((p) => p.name === port)?.containerPort;
        return found === undefined ? show(port) : show(found);
    }
    return typeof port === "string" ? port : show(port);
}

/**
 * The check a probe runs, without its timings: the handler decides what a failure means, timings only
 * when it is acted on. Undefined for a probe with no handler.
 */
export function probeCheck(probe: unknown, ports: readonly Record<string, unknown>[]): string | undefined {
    const p = record(probe);
    if (p.httpGet !== undefined && p.httpGet !== null) {
        const h = record(p.httpGet);
        const scheme = (str(h.scheme) ?? "HTTP").toUpperCase();
        const host = str(h.host);
        return `httpGet ${scheme === "HTTP" ? "" : `${scheme} `}${host ? `//${host}` : ""}${str(h.path) ?? "/"} on port ${resolvePort(h.port, ports)}`;
    }
    if (p.exec !== undefined && p.exec !== null) return `exec ${show(record(p.exec).command ?? [])}`;
    if (p.tcpSocket !== undefined && p.tcpSocket !== null) return `tcpSocket on port ${resolvePort(record(p.tcpSocket).port, ports)}`;
    if (p.grpc !== undefined && p.grpc !== null) {
        const g = record(p.grpc);
        return `grpc${g.service ? ` service ${show(g.service)}` : ""} on port ${resolvePort(g.port, ports)}`;
    }
    return undefined;
}

/**
 * P.7: a liveness probe that runs the readiness check restarts pods that only needed to leave rotation
 * (a busy pod, a dependency down); a probe on a missing port always fails.
 */
export const requireDistinctValidProbes = defineRule<{ sameCheckAllowed: Record<string, string> }>({
    scope: "resource",
    name: "require-distinct-valid-probes",
    description:
        "Liveness and readiness probes run different checks (handler compared without timings: httpGet path, port and scheme; exec command; tcpSocket port; grpc port and service), and every probe targets a port the container declares.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps:
        "Point liveness at a check of the process alone and readiness at a check that it can serve (its dependencies, its data loaded); name probe ports after entries of the container's ports list.",
    checklist: ["P.7"],
    peers: {
        "kube-score": ["pod-probes-identical"],
        "kube-linter": ["liveness-port", "readiness-port", "startup-port"],
        kyverno: ["ensure-probes-different"],
    },
    kinds: "workloads",
    settings: {
        sameCheckAllowed: {
            type: "object",
            additionalProperties: { type: "string" },
            description:
                "Workloads (namespace/name) whose liveness and readiness may run the same check, each with the reason, e.g. a static file server with no dependency to wait for.",
            default: {},
        },
    },
    check: (obj, cfg) => {
        const exempt = own(record(cfg.sameCheckAllowed), `${namespaceOf(obj)}/${nameOf(obj)}`) !== undefined;
        return forEachContainer(obj, (c) => {
            const out: string[] = [];
            const ports = records(c.container.ports);
            const live = probeCheck(c.container.livenessProbe, ports);
            if (!exempt && live !== undefined && live === probeCheck(c.container.readinessProbe, ports)) {
                out.push(
                    `runs the same check for liveness and readiness (${live}): whatever takes the pod out of rotation also gets it restarted; let liveness check only that the process answers`,
                );
            }
            for (const kind of ["livenessProbe", "readinessProbe", "startupProbe"] as ProbeKind[]) {
                const port = portOf(c.container[kind]);
                // A port that is neither a number nor a string the API server refuses; nothing to compare.
                if (typeof port !== "number" && typeof port !== "string") continue;
                const named = typeof port === "string" && !/^\d+$/.test(port);
                const found = named ? ports.some((p) => p.name === port) : ports.length === 0 || ports.some((p) => p.containerPort === Number(port));
                if (!found) out.push(`has a ${kind} on port ${JSON.stringify(port)}, which the container does not declare`);
            }
            return out;
        });
    },
});
