import { isWindowsPod, patchPod } from "../../lib/fixes";
import { containersOf, forEachContainer, podTemplate, record, show } from "../../lib/k8s";
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
    peers: { polaris: ["linuxHardening"], "kube-score": ["container-seccomp-profile"], kyverno: ["restrict-seccomp-strict", "restrict-seccomp"] },
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
    fix: {
        description:
            "Sets the pod's securityContext.seccompProfile.type to RuntimeDefault when neither the pod nor some container chooses a profile; an explicit profile (Unconfined included) and Windows pods are left alone.",
        patches: (obj) => {
            const pod = podTemplate(obj);
            if (!pod || isWindowsPod(pod) || pod.spec.securityContext?.seccompProfile?.type !== undefined) return [];
            if (containersOf(pod.spec).every((c) => c.container.securityContext?.seccompProfile?.type !== undefined)) return [];
            return [patchPod(obj, pod, "securityContext.seccompProfile.type", "RuntimeDefault")];
        },
    },
});
