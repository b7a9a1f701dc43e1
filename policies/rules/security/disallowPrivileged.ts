import { forEachContainer, record } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** Checklist 1.1.3 and P.14 (Pod Security restricted). */
export const disallowPrivileged = defineRule({
    scope: "resource",
    name: "disallow-privileged",
    description: "No container runs privileged (with every capability and all host devices).",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove securityContext.privileged or set it to false.",
    checklist: ["1.1.3", "P.14"],
    peers: {
        polaris: ["runAsPrivileged"],
        "kube-score": ["container-security-context-privileged"],
        "kube-linter": ["privileged-container"],
        kyverno: ["disallow-privileged-containers"],
    },
    kinds: "workloads",
    check: (obj) =>
        forEachContainer(obj, (c) =>
            record(c.container.securityContext).privileged === true ? "runs privileged: set securityContext.privileged: false" : undefined,
        ),
});
