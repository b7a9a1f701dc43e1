import { forEachContainer, record } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** Checklist 1.1.1 / 7.4.1: a container must be unable to run as UID 0. */
export const requireNonRoot = defineRule({
    scope: "resource",
    name: "require-non-root",
    description: "Every container runs as a non-root user: runAsNonRoot is true or runAsUser is non-zero, and nothing sets UID 0.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set securityContext.runAsNonRoot: true and a non-zero runAsUser (frontend 1000, API 65532, consumer 1000) on the pod or the container, and build images with a non-root USER.",
    checklist: ["1.1.1", "7.4.1"],
    peers: { polaris: ["runAsRootAllowed"], "kube-linter": ["run-as-non-root"], kyverno: ["require-run-as-nonroot", "require-run-as-non-root-user"] },
    kinds: "workloads",
    check: (obj) =>
        forEachContainer(obj, (c, pod) => {
            const mine = record(c.container.securityContext);
            const podLevel = record(pod.spec.securityContext);
            const user = mine.runAsUser ?? podLevel.runAsUser;
            const nonRoot = mine.runAsNonRoot ?? podLevel.runAsNonRoot;
            if (user === 0) return "runs as UID 0 (runAsUser: 0); use a non-zero UID";
            if (nonRoot === false && !(typeof user === "number" && user > 0)) return "sets runAsNonRoot: false; set it to true";
            if (nonRoot !== true && !(typeof user === "number" && user > 0)) {
                return "may run as root: set securityContext.runAsNonRoot: true (or a non-zero runAsUser)";
            }
            return undefined;
        }),
});
