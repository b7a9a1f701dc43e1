import type * as k8s from "@pulumi/kubernetes";

/** Pod-level settings of the Pod Security "restricted" profile for a given UID (checklist 1.1.1, 1.1.3). */
export function restrictedPodSecurityContext(uid: number): k8s.types.input.core.v1.PodSecurityContext {
    return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, seccompProfile: { type: "RuntimeDefault" } };
}

/** Container-level settings: read-only root, no escalation, no capabilities (checklist 1.1.2, 1.1.3). */
export function restrictedContainerSecurityContext(): k8s.types.input.core.v1.SecurityContext {
    return { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ["ALL"] } };
}
