import { forEachContainer, record, show } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

const ALLOWED = ["RuntimeDefault", "Localhost"];

/** Checklist 1.1.3: the container's own profile wins over the pod's; Unconfined or none fails. */
export const requireSeccompProfile = defineRule({
    scope: "resource",
    name: "require-seccomp-profile",
    description: "Every container runs under a seccomp profile: RuntimeDefault (or a Localhost profile).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set spec.securityContext.seccompProfile: {type: RuntimeDefault} on the pod (or on each container).",
    checklist: ["1.1.3"],
    kinds: "workloads",
    check: (obj) =>
        forEachContainer(obj, (c, pod) => {
            const type =
                record(record(c.container.securityContext).seccompProfile).type ?? record(record(pod.spec.securityContext).seccompProfile).type;
            if (ALLOWED.includes(type)) return undefined;
            return type === undefined
                ? "has no seccomp profile: set securityContext.seccompProfile.type: RuntimeDefault"
                : `uses seccomp profile ${show(type)}: use RuntimeDefault`;
        }),
});
