import { forEachContainer, isSidecar } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";
import { isLongRunning } from "../../lib/workloads";

/** Checklist 2.1.2: traffic reaches a pod only once it says it can serve it. */
export const requireReadinessProbe = defineRule({
    scope: "resource",
    name: "require-readiness-probe",
    description: "Every long-running container has a readiness probe, so Services send traffic only to pods that can serve it.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add a readinessProbe that checks the dependencies the pod needs to serve (API GET /ready checks PostgreSQL and Redis), with initialDelaySeconds: 10.",
    checklist: ["2.1.2"],
    peers: { polaris: ["readinessProbeMissing"], "kube-score": ["pod-probes"], "kube-linter": ["no-readiness-probe"], kyverno: ["require-probes"] },
    kinds: "workloads",
    check: (obj) =>
        isLongRunning(obj)
            ? forEachContainer(obj, (c) => {
                  if (c.kind === "ephemeralContainer" || (c.kind === "initContainer" && !isSidecar(c))) return undefined;
                  return c.container.readinessProbe ? undefined : "has no readiness probe: add readinessProbe (e.g. httpGet /ready)";
              })
            : [],
});
