import { containersOf, describe, integer, isRecord, nameOf, namespaceOf, own, podTemplate } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** Kubernetes' probe defaults: the first probe right away, every 10 s, three failures in a row. */
const DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, failureThreshold: 3 };

/**
 * Checklist 2.1.3: a slow starter (PostgreSQL replaying its WAL, Redis loading its append-only file)
 * gets a startup probe that waits long enough; until it succeeds the liveness probe does not run, so a
 * long start is not mistaken for a hang and killed in a restart loop. The time it allows is
 * initialDelaySeconds + failureThreshold × periodSeconds.
 */
export const requireStartupProbe = defineRule<{ workloads: Record<string, number> }>({
    scope: "resource",
    kinds: "workloads",
    name: "require-startup-probe",
    description:
        "Every container of each workload the pack config names has a startup probe allowing at least the configured seconds to start (initialDelaySeconds + failureThreshold × periodSeconds).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add a startupProbe that runs the readiness check with periodSeconds and failureThreshold whose product covers the slowest start (PostgreSQL 60 s, e.g. 2 s × 30; Redis 30 s, e.g. 2 s × 15).",
    checklist: ["2.1.3"],
    settings: {
        workloads: {
            type: "object",
            additionalProperties: { type: "integer", minimum: 1 },
            description: 'Seconds each workload may take to start, keyed by "namespace/name", e.g. {"voting-data/postgres": 60}.',
            default: {},
        },
    },
    check: (obj, cfg) => {
        const pod = podTemplate(obj);
        const want = pod ? integer(own(cfg.workloads, `${namespaceOf(obj)}/${nameOf(obj)}`)) : undefined;
        if (!pod || want === undefined) return [];
        const out: string[] = [];
        for (const c of containersOf(pod.spec).filter((x) => x.kind === "container")) {
            const probe = c.container.startupProbe;
            if (!isRecord(probe)) {
                out.push(`${describe(obj)}: ${c.label} has no startup probe; give it one that allows at least ${want} s to start`);
                continue;
            }
            const field = (k: keyof typeof DEFAULTS) => integer(probe[k]) ?? DEFAULTS[k];
            const [delay, threshold, period] = [field("initialDelaySeconds"), field("failureThreshold"), field("periodSeconds")];
            const allows = delay + threshold * period;
            if (allows >= want) continue;
            const sum = `${delay > 0 ? `initialDelaySeconds ${delay} + ` : ""}failureThreshold ${threshold} × periodSeconds ${period}`;
            out.push(`${describe(obj)}: ${c.label}'s startup probe allows ${allows} s to start (${sum}) where at least ${want} s are needed`);
        }
        return out;
    },
});
