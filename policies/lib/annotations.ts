/**
 * Annotation names the pack reads, in one place: the program writes them (components import these
 * constants) and the rules, the docs and the waiver parser read them from here.
 */

/** On a Namespace: the cluster's CNI, which must enforce NetworkPolicy (checklist 1.2.1). */
export const CNI_ANNOTATION = "networking.voting-platform.io/cni";

/** On a Namespace: the cluster's Kubernetes version (checklist 7.1.1). */
export const K8S_VERSION_ANNOTATION = "voting-platform.io/kubernetes-version";

/** On a backup CronJob: the days its storage keeps each dump, which the storage's lifecycle rule applies (checklist 4.2.1). */
export const BACKUP_RETENTION_ANNOTATION = "voting-platform.io/backup-retention-days";

/** On a workload: the reference of a passed image scan, accepted instead of a digest (checklist 1.1.4). */
export const IMAGE_SCAN_ANNOTATION = "voting-platform.io/image-scan";

/**
 * Prefix of a waiver: `waiver.voting-platform.io/<policy>: "<reason> (expires YYYY-MM-DD)"` on an
 * object waives that policy's findings on that object.
 */
export const WAIVER_PREFIX = "waiver.voting-platform.io/";

/**
 * On a Deployment, StatefulSet or DaemonSet: the Secrets (comma-separated, each a whole-name pattern) whose
 * change makes Stakater Reloader roll it (checklist 6.1.3).
 */
export const SECRET_RELOAD_ANNOTATION = "secret.reloader.stakater.com/reload";
