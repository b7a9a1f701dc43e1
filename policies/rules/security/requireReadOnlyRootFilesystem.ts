import { forEachContainer, record } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** Checklist 1.1.2. The field exists only on containers: a pod-level value is ignored by Kubernetes. */
export const requireReadOnlyRootFilesystem = defineRule({
    scope: "resource",
    name: "require-read-only-root-filesystem",
    description: "Every container mounts its root filesystem read-only; writable paths are emptyDir volumes.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set securityContext.readOnlyRootFilesystem: true on each container and mount an emptyDir only where the process writes (/tmp, /var/run, nginx's cache).",
    checklist: ["1.1.2"],
    peers: {
        polaris: ["notReadOnlyRootFilesystem"],
        "kube-score": ["container-security-context-readonlyrootfilesystem"],
        "kube-linter": ["no-read-only-root-fs"],
        kyverno: ["require-ro-rootfs"],
    },
    kinds: "workloads",
    check: (obj) =>
        forEachContainer(obj, (c) =>
            record(c.container.securityContext).readOnlyRootFilesystem === true
                ? undefined
                : "has a writable root filesystem: set securityContext.readOnlyRootFilesystem: true",
        ),
});
