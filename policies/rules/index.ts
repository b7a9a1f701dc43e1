import type { Rule } from "../lib/rule";
import { disallowDebugLogging } from "./app/disallowDebugLogging";
import { disallowWildcardCors } from "./app/disallowWildcardCors";
import { requireClusterSecretEncryption } from "./cloud/requireClusterSecretEncryption";
import { requireClusterAuditLogs } from "./cloud/requireClusterAuditLogs";
import { restrictClusterEndpoint } from "./cloud/restrictClusterEndpoint";
import { requireSupportedClusterVersion } from "./cloud/requireSupportedClusterVersion";
import { requireClusterAutoscaling } from "./cloud/requireClusterAutoscaling";
import { requireMetricsServer } from "./cloud/requireMetricsServer";
import { requireBucketEncryption } from "./cloud/requireBucketEncryption";
import { requireBucketVersioning } from "./cloud/requireBucketVersioning";
import { disallowPublicBuckets } from "./cloud/disallowPublicBuckets";
import { requireBucketReplication } from "./cloud/requireBucketReplication";
import { requireBucketRetention } from "./cloud/requireBucketRetention";
import { requireKeyRotation } from "./cloud/requireKeyRotation";
import { limitSecretRotationPeriod } from "./cloud/limitSecretRotationPeriod";
import { requireSecretRotationHandler } from "./cloud/requireSecretRotationHandler";
import { disallowDefaultNamespace } from "./architecture/disallowDefaultNamespace";
import { requireMinimumKubernetesVersion } from "./architecture/requireMinimumKubernetesVersion";
import { requireNamespaceLayout } from "./architecture/requireNamespaceLayout";
import { disallowDeprecatedApis } from "./operations/disallowDeprecatedApis";
import { limitBackupInterval } from "./operations/limitBackupInterval";
import { requireCriticalAlerts } from "./observability/requireCriticalAlerts";
import { requireMetricsScraping } from "./observability/requireMetricsScraping";
import { disallowClusterAdminBindings } from "./rbac/disallowClusterAdminBindings";
import { disallowWildcardGrants } from "./rbac/disallowWildcardGrants";
import { disallowPodExecGrants } from "./rbac/disallowPodExecGrants";
import { restrictRoleBindings } from "./rbac/restrictRoleBindings";
import { disallowDuplicateEnv } from "./hygiene/disallowDuplicateEnv";
import { disallowExposedServices } from "./hygiene/disallowExposedServices";
import { requireJobLimits } from "./hygiene/requireJobLimits";
import { requirePriorityClass } from "./hygiene/requirePriorityClass";
import { requireRecommendedLabels } from "./hygiene/requireRecommendedLabels";
import { requireSelectorMatchesTemplate } from "./hygiene/requireSelectorMatchesTemplate";
import { requireServiceSelectsPods } from "./hygiene/requireServiceSelectsPods";
import { requireIngressBackends } from "./ingress/requireIngressBackends";
import { requireIngressHsts } from "./ingress/requireIngressHsts";
import { requireIngressTls } from "./ingress/requireIngressTls";
import { enforceTrafficMatrix } from "./network/enforceTrafficMatrix";
import { requireDefaultDenyEgress } from "./network/requireDefaultDenyEgress";
import { requireDefaultDenyIngress } from "./network/requireDefaultDenyIngress";
import { requireDnsEgress } from "./network/requireDnsEgress";
import { requireEnforcingCni } from "./network/requireEnforcingCni";
import { requireNetworkPolicyTargets } from "./network/requireNetworkPolicyTargets";
import { requireRollingUpdate } from "./operations/requireRollingUpdate";
import { requireVersionLabel } from "./operations/requireVersionLabel";
import { requireAwaitedRollout } from "./operations/requireAwaitedRollout";
import { disallowBlockingPodDisruptionBudget } from "./reliability/disallowBlockingPodDisruptionBudget";
import { disallowOverlappingDisruptionBudgets } from "./reliability/disallowOverlappingDisruptionBudgets";
import { requireDistinctValidProbes } from "./reliability/requireDistinctValidProbes";
import { requireLivenessProbe } from "./reliability/requireLivenessProbe";
import { requirePodDisruptionBudget } from "./reliability/requirePodDisruptionBudget";
import { requirePodSpread } from "./reliability/requirePodSpread";
import { requireReadinessProbe } from "./reliability/requireReadinessProbe";
import { requireReplicas } from "./reliability/requireReplicas";
import { disallowBestEffortQos } from "./resources/disallowBestEffortQos";
import { requireResourceLimits } from "./resources/requireResourceLimits";
import { requireResourceRequests } from "./resources/requireResourceRequests";
import { disallowOverlappingAutoscalers } from "./scaling/disallowOverlappingAutoscalers";
import { disallowReplicasWithAutoscaler } from "./scaling/disallowReplicasWithAutoscaler";
import { requireSaneAutoscaler } from "./scaling/requireSaneAutoscaler";
import { requireStreamLagAutoscaling } from "./scaling/requireStreamLagAutoscaling";
import { disableServiceAccountTokenAutomount } from "./security/disableServiceAccountTokenAutomount";
import { requireDedicatedServiceAccount } from "./security/requireDedicatedServiceAccount";
import { disallowHostNamespaces } from "./security/disallowHostNamespaces";
import { disallowHostPath } from "./security/disallowHostPath";
import { disallowHostPorts } from "./security/disallowHostPorts";
import { disallowHostProcess } from "./security/disallowHostProcess";
import { disallowPrivilegeEscalation } from "./security/disallowPrivilegeEscalation";
import { disallowPrivileged } from "./security/disallowPrivileged";
import { disallowSecretsInConfigMaps } from "./security/disallowSecretsInConfigMaps";
import { disallowSecretsInEnv } from "./security/disallowSecretsInEnv";
import { disallowUnconfinedAppArmor } from "./security/disallowUnconfinedAppArmor";
import { disallowUnsafeProcMountAndSysctls } from "./security/disallowUnsafeProcMountAndSysctls";
import { requireDropAllCapabilities } from "./security/requireDropAllCapabilities";
import { requireNonRoot } from "./security/requireNonRoot";
import { requireReadOnlyRootFilesystem } from "./security/requireReadOnlyRootFilesystem";
import { requireMinimalImages } from "./security/requireMinimalImages";
import { requireSeccompProfile } from "./security/requireSeccompProfile";
import { requireVerifiedDataTls } from "./security/requireVerifiedDataTls";
import { requireImagePullPolicy } from "./supply-chain/requireImagePullPolicy";
import { requireImagePullSecrets } from "./supply-chain/requireImagePullSecrets";
import { requirePullSecretSource } from "./supply-chain/requirePullSecretSource";
import { requireImageDigest } from "./supply-chain/requireImageDigest";
import { requireHeadlessServiceForStatefulSet } from "./hygiene/requireHeadlessServiceForStatefulSet";
import { requirePinnedImageTag } from "./supply-chain/requirePinnedImageTag";
import { restrictImageRegistries } from "./supply-chain/restrictImageRegistries";
import { requireValidWaivers } from "./hygiene/requireValidWaivers";
import { requirePodDisruptionBudgetPolicy } from "./reliability/requirePodDisruptionBudgetPolicy";
import { requireValidTopologySpread } from "./reliability/requireValidTopologySpread";
import { requireEphemeralStorage } from "./resources/requireEphemeralStorage";
import { requirePairedRequestsAndLimits } from "./resources/requirePairedRequestsAndLimits";
import { enforceMinimumRequests } from "./resources/enforceMinimumRequests";
import { enforceDisruptionBudgetMinimum } from "./reliability/enforceDisruptionBudgetMinimum";
import { requireStartupProbe } from "./reliability/requireStartupProbe";
import { requirePersistentStorage } from "./reliability/requirePersistentStorage";
import { requireRetainedStorage } from "./reliability/requireRetainedStorage";
import { requireDatabaseBackup } from "./operations/requireDatabaseBackup";
import { requireRedisPersistence } from "./operations/requireRedisPersistence";
import { enforceAutoscalerTargets } from "./scaling/enforceAutoscalerTargets";
import { enforceConnectionPoolBudget } from "./scaling/enforceConnectionPoolBudget";
import { requirePostgresPasswordAuth } from "./security/requirePostgresPasswordAuth";
import { requireStrongGeneratedPasswords } from "./security/requireStrongGeneratedPasswords";
import { requireRedisAuth } from "./security/requireRedisAuth";
import { requireDataServerTls } from "./security/requireDataServerTls";
import { requireExternalSecrets } from "./security/requireExternalSecrets";
import { requireSecretReload } from "./security/requireSecretReload";
import { enforceReadOnlyAccess } from "./rbac/enforceReadOnlyAccess";
import { requireNamespaceAdminAccess } from "./rbac/requireNamespaceAdminAccess";

/** The rules that judge objects, in checklist order (peer checks last). */
const CHECKS: readonly Rule[] = [
    requireNonRoot,
    requireReadOnlyRootFilesystem,
    disallowPrivilegeEscalation,
    requireDropAllCapabilities,
    disallowPrivileged,
    requireSeccompProfile,
    disallowUnconfinedAppArmor,
    disallowHostNamespaces,
    disallowHostPath,
    disallowHostPorts,
    disallowUnsafeProcMountAndSysctls,
    disallowHostProcess,
    requireMinimalImages,
    requireEnforcingCni,
    requireDefaultDenyIngress,
    requireDefaultDenyEgress,
    requireDnsEgress,
    enforceTrafficMatrix,
    requireNetworkPolicyTargets,
    requireIngressTls,
    disallowWildcardCors,
    requireVerifiedDataTls,
    requirePostgresPasswordAuth,
    requireStrongGeneratedPasswords,
    requireRedisAuth,
    requireDataServerTls,
    requireLivenessProbe,
    requireReadinessProbe,
    requireStartupProbe,
    requireResourceRequests,
    enforceMinimumRequests,
    requireResourceLimits,
    disallowBestEffortQos,
    requirePairedRequestsAndLimits,
    requireReplicas,
    requirePodSpread,
    requireValidTopologySpread,
    requirePodDisruptionBudget,
    disallowBlockingPodDisruptionBudget,
    disallowOverlappingDisruptionBudgets,
    requirePodDisruptionBudgetPolicy,
    enforceDisruptionBudgetMinimum,
    requirePersistentStorage,
    requireRetainedStorage,
    requireDatabaseBackup,
    requireRedisPersistence,
    disallowDebugLogging,
    requireMetricsScraping,
    requireCriticalAlerts,
    requireRollingUpdate,
    limitBackupInterval,
    requireVersionLabel,
    requireAwaitedRollout,
    requirePinnedImageTag,
    requireImageDigest,
    requireSaneAutoscaler,
    disallowReplicasWithAutoscaler,
    disallowOverlappingAutoscalers,
    requireStreamLagAutoscaling,
    enforceAutoscalerTargets,
    enforceConnectionPoolBudget,
    disallowSecretsInEnv,
    disallowSecretsInConfigMaps,
    requireExternalSecrets,
    requireSecretReload,
    requireIngressHsts,
    restrictImageRegistries,
    requireImagePullSecrets,
    requirePullSecretSource,
    disableServiceAccountTokenAutomount,
    requireDedicatedServiceAccount,
    disallowPodExecGrants,
    restrictRoleBindings,
    disallowClusterAdminBindings,
    enforceReadOnlyAccess,
    requireNamespaceAdminAccess,
    disallowWildcardGrants,
    requireNamespaceLayout,
    requireMinimumKubernetesVersion,
    disallowDeprecatedApis,
    requireServiceSelectsPods,
    requireIngressBackends,
    requireJobLimits,
    disallowDuplicateEnv,
    requireHeadlessServiceForStatefulSet,
    requireSelectorMatchesTemplate,
    requireDistinctValidProbes,
    disallowExposedServices,
    disallowDefaultNamespace,
    requirePriorityClass,
    requireRecommendedLabels,
    requireImagePullPolicy,
    requireEphemeralStorage,
    // The cloud: cluster, keys, secrets and backup storage on AWS, GCP and Azure.
    requireClusterSecretEncryption,
    requireClusterAuditLogs,
    restrictClusterEndpoint,
    requireSupportedClusterVersion,
    requireClusterAutoscaling,
    requireMetricsServer,
    requireBucketEncryption,
    requireBucketVersioning,
    disallowPublicBuckets,
    requireBucketReplication,
    requireBucketRetention,
    requireKeyRotation,
    limitSecretRotationPeriod,
    requireSecretRotationHandler,
];

/**
 * Every rule of the pack: the checks, then the rule that judges waivers of them. The pack, the offline
 * checker, the docs and the checklist registry all read this list.
 */
export const RULES: readonly Rule[] = [...CHECKS, requireValidWaivers(CHECKS.map((r) => r.name))];
