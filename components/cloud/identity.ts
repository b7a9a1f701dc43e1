import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";

/** A Kubernetes ServiceAccount that a cloud identity trusts. */
export interface ServiceAccountRef {
    readonly namespace: string;
    readonly name: string;
}

/** External Secrets Operator's own account, which reads the secret manager (README prerequisites). */
export const EXTERNAL_SECRETS_ACCOUNT: ServiceAccountRef = { namespace: "external-secrets", name: "external-secrets" };
/** The backup and restore Jobs' accounts (components/jobs/postgresBackup.ts), which write and read the bucket. */
export const BACKUP_ACCOUNTS: readonly ServiceAccountRef[] = [
    { namespace: "voting-data", name: "postgres-backup" },
    { namespace: "voting-data", name: "postgres-restore" },
];

/**
 * A cloud identity that pods of the given ServiceAccounts act as (IRSA role, Google service account,
 * Azure managed identity with federated credentials). Resources grant access to `principal` beside
 * themselves, so every grant sits next to what it opens.
 */
export interface WorkloadIdentity {
    readonly accounts: readonly ServiceAccountRef[];
    /** What the ServiceAccount annotation names: role ARN, service account email or client id. */
    readonly annotation: pulumi.Output<string>;
    /** Whom grants name: IAM role name (AWS), `serviceAccount:<email>` (GCP), principal id (Azure). */
    readonly principal: pulumi.Output<string>;
}

/** What a created cluster gives the rest of the stack. */
export interface ClusterHandle {
    /** Kubeconfig of the new cluster (a secret): the stack's Kubernetes provider is built from it. */
    readonly kubeconfig: pulumi.Output<string>;
    readonly provider: k8s.Provider;
    readonly identities: { readonly externalSecrets: WorkloadIdentity; readonly backupWriter: WorkloadIdentity };
}

/** `system:serviceaccount:<namespace>:<name>`, the subject of a ServiceAccount's projected token. */
export const subjectOf = (a: ServiceAccountRef) => `system:serviceaccount:${a.namespace}:${a.name}`;
