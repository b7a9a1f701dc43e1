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
    kinds: "workloads",
    check: (obj) =>
        forEachContainer(obj, (c) =>
            record(c.container.securityContext).allowPrivilegeEscalation === false
                ? undefined
                : "allows privilege escalation: set securityContext.allowPrivilegeEscalation: false",
        ),
});
