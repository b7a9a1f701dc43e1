/**
 * Every check of the peer tools, for the migration tables of docs/policies.md. Which rule replaces a
 * check is declared on the rule (`peers`); this catalog says only what a rule cannot: how a covering rule
 * differs (`note`), or why no rule covers a check (`notCovered`). A test keeps the two in step: every
 * check here is declared by a rule or says why not, and every declared check is here.
 */
import type { Peers } from "../../policies/lib/rule";

export type PeerTool = keyof Peers;

export interface PeerCheck {
    readonly check: string;
    /** How the pack's rule differs from the peer's check, where it does. */
    readonly note?: string;
    /** Why no rule of the pack replaces the check. */
    readonly notCovered?: string;
}

export const PEER_TOOLS: Record<PeerTool, { readonly title: string; readonly scope: string }> = {
    polaris: { title: "Polaris", scope: "every built-in check" },
    "kube-score": { title: "kube-score", scope: "every check, the optional ones included" },
    "kube-linter": { title: "kube-linter", scope: "every built-in check, the opt-in ones included" },
    kyverno: {
        title: "Kyverno",
        scope: "the best-practices and pod-security (baseline, restricted) policies of kyverno/policies, and the other policies a team most often adds",
    },
};

const EQUAL_LIMITS = "optional in the peer; the checklist sets limits at 2× the requests (Burstable QoS), which this check would refuse";
const PULL_ALWAYS =
    "the pack asks for Always only where a tag can move (require-image-pull-policy, P.12): an image pinned by digest is better pulled IfNotPresent, which this check refuses";
const SECRETS_AS_FILES =
    "the pack wants credentials from Secrets through env secretKeyRef (disallow-secrets-in-env); mounting them as files is a further step it does not require";

export const PEER_CATALOG: Record<PeerTool, readonly PeerCheck[]> = {
    polaris: [
        { check: "automountServiceAccountToken" },
        { check: "clusterrolePodExecAttach", note: "also refuses Kubernetes' own default roles (admin, edit) when a manifest carries them" },
        { check: "clusterrolebindingClusterAdmin" },
        { check: "clusterrolebindingPodExecAttach" },
        { check: "cpuLimitsMissing" },
        { check: "cpuRequestsMissing" },
        { check: "dangerousCapabilities", note: "stricter: drop ALL and add none back beyond an allow-list" },
        { check: "deploymentMissingReplicas" },
        { check: "hostIPCSet" },
        { check: "hostNetworkSet" },
        { check: "hostPIDSet" },
        { check: "hostPathSet" },
        { check: "hostPortSet" },
        { check: "hostProcess" },
        { check: "hpaMaxAvailability" },
        { check: "hpaMinAvailability" },
        { check: "insecureCapabilities", note: "stricter: drop ALL and add none back beyond an allow-list" },
        { check: "linuxHardening", note: "stricter: a seccomp profile is required; SELinux or AppArmor options alone do not pass" },
        { check: "livenessProbeMissing" },
        {
            check: "memoryLimitsMissing",
            note: "stricter: one rule requires both CPU and memory limits, so a memory-only limit is still reported (for CPU)",
        },
        {
            check: "memoryRequestsMissing",
            note: "stricter: one rule requires both CPU and memory requests, so a memory-only request is still reported (for CPU)",
        },
        {
            check: "metadataAndInstanceMismatched",
            note: "requires all five app.kubernetes.io labels; it does not tie app.kubernetes.io/instance to metadata.name, since the pack uses the instance label for the release, as Helm does",
        },
        { check: "missingNetworkPolicy", note: "judged per namespace: a default-deny policy for each direction, then the traffic matrix" },
        { check: "missingPodDisruptionBudget", note: "StatefulSets too" },
        { check: "notReadOnlyRootFilesystem" },
        { check: "pdbDisruptionsIsZero" },
        { check: "pdbMinAvailableGreaterThanHPAMinReplicas" },
        { check: "priorityClassNotSet" },
        { check: "privilegeEscalationAllowed" },
        { check: "procMount" },
        { check: "pullPolicyNotAlways", notCovered: PULL_ALWAYS },
        { check: "readinessProbeMissing" },
        { check: "rolePodExecAttach" },
        { check: "rolebindingClusterAdminClusterRole" },
        { check: "rolebindingClusterAdminRole" },
        { check: "rolebindingClusterRolePodExecAttach" },
        { check: "rolebindingRolePodExecAttach" },
        { check: "runAsPrivileged" },
        { check: "runAsRootAllowed" },
        { check: "sensitiveConfigmapContent" },
        { check: "sensitiveContainerEnvVar" },
        { check: "tagNotSpecified" },
        { check: "tlsSettingsMissing" },
        { check: "topologySpreadConstraint", note: "stricter: the constraint (or an anti-affinity term) must select the workload's own pods" },
    ],
    "kube-score": [
        { check: "container-cpu-requests-equal-limits", notCovered: EQUAL_LIMITS },
        { check: "container-ephemeral-storage-request-and-limit" },
        { check: "container-ephemeral-storage-request-equals-limit", notCovered: EQUAL_LIMITS },
        { check: "container-image-pull-policy", notCovered: PULL_ALWAYS },
        { check: "container-image-tag" },
        { check: "container-memory-requests-equal-limits", notCovered: EQUAL_LIMITS },
        { check: "container-ports-check", notCovered: "optional in kube-score; the API server refuses invalid port names and numbers" },
        { check: "container-resource-requests-equal-limits", notCovered: EQUAL_LIMITS },
        { check: "container-resources" },
        {
            check: "container-security-context-user-group-id",
            notCovered:
                "the pack requires a non-root user (require-non-root), not a UID above 10000: the checklist's UIDs (1000, 65532) are the images' own users",
        },
        { check: "container-security-context-privileged" },
        { check: "container-security-context-readonlyrootfilesystem" },
        { check: "container-seccomp-profile", note: "reads securityContext.seccompProfile, not the retired seccomp annotation" },
        { check: "cronjob-has-deadline" },
        { check: "cronjob-restartpolicy" },
        { check: "deployment-has-host-podantiaffinity", note: "a topology spread constraint on the node or zone key passes too" },
        { check: "deployment-has-poddisruptionbudget" },
        { check: "deployment-pod-selector-labels-match-template-metadata-labels" },
        { check: "deployment-replicas", note: "every Deployment and StatefulSet, not only those a Service targets; an autoscaler's minimum counts" },
        { check: "deployment-strategy" },
        { check: "deployment-targeted-by-hpa-does-not-have-replicas-configured" },
        { check: "environment-variable-key-duplication" },
        { check: "horizontalpodautoscaler-has-target" },
        { check: "horizontalpodautoscaler-replicas" },
        { check: "ingress-targets-service", note: "also checks that the Service is in the Ingress's namespace and exposes the port" },
        { check: "label-values", notCovered: "the API server refuses invalid label values" },
        { check: "networkpolicy-targets-pod", note: "also every peer selector and every allowed port" },
        { check: "pod-networkpolicy" },
        { check: "pod-probes" },
        { check: "pod-probes-identical" },
        { check: "pod-topology-spread-constraints" },
        { check: "poddisruptionbudget-has-policy" },
        { check: "service-targets-pod" },
        { check: "service-type" },
        { check: "stable-version" },
        { check: "statefulset-has-host-podantiaffinity", note: "a topology spread constraint on the node or zone key passes too" },
        { check: "statefulset-has-poddisruptionbudget" },
        { check: "statefulset-has-servicename", note: "the Service must exist and be headless" },
        { check: "statefulset-pod-selector-labels-match-template-metadata-labels" },
    ],
    "kube-linter": [
        {
            check: "access-to-create-pods",
            notCovered:
                "creating pods is what a deploy role is for; the pack bounds the grants that reach into running pods (exec, attach) and cluster-wide control",
        },
        {
            check: "access-to-secrets",
            note: "judged on bindings: only the subjects of secretReaders (the SRE group) may read every Secret; others may get named Secrets at most",
        },
        { check: "cluster-admin-role-binding" },
        { check: "dangling-horizontalpodautoscaler" },
        { check: "dangling-ingress" },
        { check: "dangling-networkpolicy" },
        { check: "dangling-networkpolicypeer-podselector" },
        { check: "dangling-service" },
        { check: "default-service-account", note: "stricter: a ServiceAccount two workloads share is refused too" },
        { check: "deprecated-service-account-field", notCovered: "the API server still copies serviceAccount into serviceAccountName" },
        { check: "docker-sock" },
        { check: "drop-net-raw-capability", note: "stricter: drop ALL" },
        { check: "duplicate-env-var" },
        { check: "env-value-from", notCovered: SECRETS_AS_FILES },
        { check: "env-var-secret" },
        { check: "exposed-services" },
        { check: "host-ipc" },
        { check: "host-network" },
        { check: "host-pid" },
        { check: "hpa-minimum-three-replicas", note: "the minimum is a setting (prod: 3)" },
        {
            check: "invalid-target-ports",
            notCovered:
                "the API server refuses invalid port names; require-service-selects-pods checks that each targetPort exists on the selected pods",
        },
        { check: "job-ttl-seconds-after-finished", note: "Jobs named per release (replacedEachRelease), which the next release deletes, need none" },
        { check: "latest-tag" },
        { check: "liveness-port" },
        { check: "minimum-three-replicas", note: "the minimum is a setting, per workload too (prod: 3 for the frontend and the API)" },
        { check: "mismatching-selector" },
        { check: "no-anti-affinity" },
        { check: "no-extensions-v1beta", note: "every API version the target Kubernetes version no longer serves" },
        { check: "no-liveness-probe" },
        {
            check: "no-node-affinity",
            notCovered:
                "which nodes a workload may use is the cluster's business; spreading over nodes (require-pod-spread) is what availability needs",
        },
        { check: "no-read-only-root-fs" },
        { check: "no-readiness-probe" },
        { check: "no-rolling-update-strategy" },
        {
            check: "non-existent-service-account",
            notCovered:
                "not judged on its own; disable-service-account-token-automount names a ServiceAccount missing from the resource set when it needs it",
        },
        { check: "non-isolated-pod" },
        { check: "pdb-max-unavailable" },
        { check: "pdb-min-available" },
        {
            check: "pdb-unhealthy-pod-eviction-policy",
            notCovered: "not judged yet: the platform's budgets keep the default unhealthyPodEvictionPolicy",
        },
        { check: "priority-class-name" },
        { check: "privilege-escalation-container" },
        { check: "privileged-container" },
        {
            check: "privileged-ports",
            notCovered: "with every capability dropped (require-drop-all-capabilities) a container cannot bind a port below 1024 in the first place",
        },
        { check: "read-secret-from-env-var", notCovered: SECRETS_AS_FILES },
        { check: "readiness-port" },
        {
            check: "required-annotation-email",
            notCovered: "an organisation's own convention; the pack requires the app.kubernetes.io labels (require-recommended-labels)",
        },
        {
            check: "required-label-owner",
            notCovered: "an organisation's own convention; the pack requires the app.kubernetes.io labels (require-recommended-labels)",
        },
        {
            check: "restart-policy",
            notCovered:
                "the API server accepts only Always for long-running workloads; require-job-limits judges the restartPolicy of Jobs and CronJobs",
        },
        { check: "run-as-non-root" },
        { check: "sensitive-host-mounts", note: "stricter: no hostPath at all" },
        { check: "ssh-port", notCovered: "what a pod listens on is not judged; the NetworkPolicies and the traffic matrix decide what can reach it" },
        { check: "startup-port" },
        { check: "unsafe-proc-mount" },
        { check: "unsafe-sysctls" },
        { check: "unset-cpu-requirements" },
        { check: "unset-memory-requirements" },
        { check: "use-namespace" },
        { check: "wildcard-in-rules" },
        { check: "writable-host-mount", note: "stricter: no hostPath at all" },
    ],
    kyverno: [
        { check: "add-network-policy", note: "requires the default-deny policy instead of generating it" },
        { check: "add-networkpolicy-dns", note: "requires the DNS egress rule instead of generating it" },
        { check: "add-ns-quota", note: "requires the ResourceQuota and LimitRange instead of generating them" },
        { check: "add-rolebinding", notCovered: "a generate policy; the platform binds its roles itself (components/rbac)" },
        { check: "add-safe-to-evict", notCovered: "a mutation for the cluster autoscaler; nothing to judge" },
        { check: "add-ttl-jobs", note: "requires ttlSecondsAfterFinished instead of adding it" },
        {
            check: "allowed-base-images",
            note: "judged offline on the image reference, by repository and tag patterns with a reason for each exception; Kyverno reads the image's org.opencontainers.image.base.name annotation from the registry",
        },
        {
            check: "block-pod-exec-*",
            notCovered: "a CrossGuard pack judges what is deployed, not API calls; disallow-pod-exec-grants refuses the roles that would allow exec",
        },
        { check: "check-deprecated-apis" },
        { check: "deployment-replicas-higher-than-pdb" },
        { check: "disallow-capabilities" },
        { check: "disallow-capabilities-strict" },
        { check: "disallow-cri-sock-mount", note: "stricter: no hostPath at all" },
        { check: "disallow-default-namespace" },
        {
            check: "disallow-empty-ingress-host",
            notCovered: "not judged: an Ingress rule without a host serves the default backend; require-ingress-tls covers every host it names",
        },
        { check: "disallow-helm-tiller", notCovered: "Tiller went with Helm 2; nothing left to judge" },
        { check: "disallow-host-namespaces" },
        { check: "disallow-host-path" },
        { check: "disallow-host-ports" },
        { check: "disallow-host-process" },
        { check: "disallow-latest-tag" },
        { check: "disallow-privilege-escalation" },
        { check: "disallow-privileged-containers" },
        { check: "disallow-proc-mount" },
        { check: "disallow-secrets-from-env-vars", notCovered: SECRETS_AS_FILES },
        {
            check: "disallow-selinux",
            notCovered: "SELinux options are not judged; the pack requires seccomp RuntimeDefault and drops every capability",
        },
        { check: "ensure-probes-different" },
        { check: "memory-requests-equal-limits", notCovered: EQUAL_LIMITS },
        { check: "pdb-maxunavailable" },
        { check: "require-deployments-have-multiple-replicas" },
        { check: "require-drop-all" },
        { check: "require-drop-cap-net-raw", note: "stricter: drop ALL" },
        { check: "require-emptydir-requests-limits", note: "stricter: every container, whether or not it mounts an emptyDir" },
        { check: "require-ingress-https" },
        { check: "require-labels", note: "all five app.kubernetes.io labels, not only name" },
        { check: "require-netpol" },
        { check: "require-pdb" },
        { check: "require-pod-priorityclassname" },
        { check: "require-pod-requests-limits" },
        { check: "require-probes" },
        { check: "require-reasonable-pdbs" },
        { check: "require-ro-rootfs" },
        { check: "require-run-as-non-root-user" },
        { check: "require-run-as-nonroot" },
        {
            check: "restrict-apparmor-profiles",
            notCovered: "AppArmor profiles are not judged; the pack requires seccomp RuntimeDefault and drops every capability",
        },
        { check: "restrict-automount-sa-token" },
        { check: "restrict-binding-clusteradmin" },
        { check: "restrict-image-registries" },
        {
            check: "restrict-networkpolicy-empty-podselector",
            notCovered:
                "the pack's default-deny policies select every pod with an empty podSelector on purpose; require-network-policy-targets refuses a selector that selects no pod instead",
        },
        { check: "restrict-node-port" },
        { check: "restrict-seccomp" },
        { check: "restrict-seccomp-strict" },
        {
            check: "restrict-secret-role-verbs",
            note: "judged on bindings: only the subjects of secretReaders (the SRE group) may get, list or watch every Secret; others may get named Secrets at most",
        },
        { check: "restrict-service-external-ips" },
        { check: "restrict-sysctls" },
        {
            check: "restrict-volume-types",
            notCovered: "disallow-host-path refuses hostPath, the dangerous type; the other volume types are not restricted",
        },
        { check: "spread-pods-across-topology" },
    ],
};
