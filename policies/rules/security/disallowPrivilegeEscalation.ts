import { isWindowsPod, patchContainers } from "../../lib/fixes";
import { forEachContainer, record } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** Checklist 1.1.3. Unset means allowed (the Kubernetes default), so it must be false explicitly. */
export const disallowPrivilegeEscalation = defineRule({
    scope: "resource",
    name: "disallow-privilege-escalation",
    description: "No container may gain more privileges than its parent process: allowPrivilegeEscalation is false.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set securityContext.allowPrivilegeEscalation: false on every container (the pod-level field does not exist).",
    checklist: ["1.1.3"],
    peers: { polaris: ["privilegeEscalationAllowed"], "kube-linter": ["privilege-escalation-container"], kyverno: ["disallow-privilege-escalation"] },
    kinds: "workloads",
    check: (obj) =>
        forEachContainer(obj, (c) =>
            record(c.container.securityContext).allowPrivilegeEscalation === false
                ? undefined
                : "allows privilege escalation: set securityContext.allowPrivilegeEscalation: false",
        ),
    fix: {
        description:
            "Sets securityContext.allowPrivilegeEscalation: false on each container that leaves it unset, except privileged containers and containers that add SYS_ADMIN (the API server refuses the combination); an explicit true and Windows pods are left alone.",
        patches: (obj) =>
            patchContainers(obj, (c, pod, _, say) => {
                const sc = c.container.securityContext ?? {};
                const adds: unknown[] = Array.isArray(sc.capabilities?.add) ? sc.capabilities.add : [];
                const sysAdmin = adds.some((a) => /^(CAP_)?SYS_ADMIN$/i.test(String(a)));
                if (isWindowsPod(pod) || sc.allowPrivilegeEscalation !== undefined || sc.privileged === true || sysAdmin) return undefined;
                return say("securityContext.allowPrivilegeEscalation", false);
            }),
    },
});
