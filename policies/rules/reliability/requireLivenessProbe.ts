import { forEachContainer, isSidecar, num, record } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";
import { isLongRunning } from "../../lib/workloads";

/** Checklist 2.1.1: a long-running container has a liveness probe that tolerates brief hiccups. */
export const requireLivenessProbe = defineRule<{ minFailureThreshold: number }>({
    scope: "resource",
    name: "require-liveness-probe",
    description: "Every long-running container has a liveness probe, with a failureThreshold of at least 3 so one slow answer does not restart it.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add a livenessProbe that checks the process itself (API GET /health, frontend GET /, consumer GET /health) with failureThreshold: 3. Jobs and CronJobs need none.",
    checklist: ["2.1.1"],
    peers: { polaris: ["livenessProbeMissing"], "kube-score": ["pod-probes"], "kube-linter": ["no-liveness-probe"], kyverno: ["require-probes"] },
    settings: {
        minFailureThreshold: { type: "integer", minimum: 1, description: "Fewest consecutive failures before a restart.", default: 3 },
    },
    kinds: "workloads",
    check: (obj, cfg) =>
        isLongRunning(obj)
            ? forEachContainer(obj, (c) => {
                  if (c.kind === "ephemeralContainer" || (c.kind === "initContainer" && !isSidecar(c))) return undefined;
                  const probe = c.container.livenessProbe;
                  if (!probe) return "has no liveness probe: add livenessProbe (e.g. httpGet /health)";
                  const ft = num(record(probe).failureThreshold) ?? 3;
                  return ft < cfg.minFailureThreshold
                      ? `restarts after ${ft} failed liveness probe(s); set livenessProbe.failureThreshold to at least ${cfg.minFailureThreshold}`
                      : undefined;
              })
            : [],
});
