import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CloudConfig, ImageRef } from "../../config/types";
import { dataCaMount, dataCaVolume, DATA_CA_BUNDLE } from "../data/dataTls";
import { standardLabels, versionLabel } from "../labels";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../security";
import { imageName } from "../workloads/workload";
import { withEphemeralStorage } from "../ephemeralStorage";

/**
 * Dumps the database in pg_dump's custom format (compressed, restorable table by table), checks that
 * pg_restore can read the archive, and records its name for the upload step. Reads the PG* variables.
 */
export const BACKUP_DUMP_SCRIPT = `set -eu
dir="\${BACKUP_DIR:-/backup}"
name="$PGDATABASE-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$dir/$name"
pg_restore --list "$dir/$name" >/dev/null
echo "$name" >"$dir/latest"
echo "dumped $PGDATABASE to $name ($(wc -c <"$dir/$name") bytes)"
`;

/**
 * Uploads the dump to `backup:$BUCKET/postgres/` (the remote comes from RCLONE_CONFIG_BACKUP_*), never
 * over an existing backup, and reads the listing back.
 */
export const BACKUP_UPLOAD_SCRIPT = `set -eu
dir="\${BACKUP_DIR:-/backup}"
rc() { rclone --config /dev/null "$@"; }
name=$(cat "$dir/latest")
if rc lsf "backup:$BUCKET/postgres/" | grep -qx "$name"; then echo "$name already exists in $BUCKET/postgres/; not overwriting it" >&2; exit 1; fi
rc copyto "$dir/$name" "backup:$BUCKET/postgres/$name"
rc lsf "backup:$BUCKET/postgres/" | grep -qx "$name"
echo "uploaded $name to $BUCKET/postgres/"
`;

/** Downloads a backup (BACKUP_NAME, or the newest) from the bucket for the restore step. */
export const RESTORE_DOWNLOAD_SCRIPT = `set -eu
dir="\${BACKUP_DIR:-/backup}"
rc() { rclone --config /dev/null "$@"; }
name="\${BACKUP_NAME:-$(rc lsf "backup:$BUCKET/postgres/" | sort | tail -n 1)}"
[ -n "$name" ] || { echo "no backup found in $BUCKET/postgres/" >&2; exit 1; }
rc copyto "backup:$BUCKET/postgres/$name" "$dir/$name"
echo "$name" >"$dir/latest"
echo "downloaded $name"
`;

/** Restores the downloaded dump over the database: objects are dropped and recreated, in one transaction. */
export const RESTORE_SCRIPT = `set -eu
dir="\${BACKUP_DIR:-/backup}"
name=$(cat "$dir/latest")
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$PGDATABASE" "$dir/$name"
echo "restored $name into $PGDATABASE"
`;

/**
 * rclone's remote `backup`, from the cloud the bucket lives on; credentials come from the pod's cloud identity.
 * Uploads carry no encryption headers: the bucket encrypts every object with its own key by default.
 */
export function rcloneRemoteEnv(cloud: CloudConfig, location: pulumi.Input<string>): k8s.types.input.core.v1.EnvVar[] {
    const env = (name: string, value: pulumi.Input<string>) => ({ name: `RCLONE_CONFIG_BACKUP_${name}`, value });
    const loc = pulumi.output(location);
    switch (cloud.provider) {
        case "aws":
            return [env("TYPE", "s3"), env("PROVIDER", "AWS"), env("ENV_AUTH", "true"), env("REGION", cloud.region), { name: "BUCKET", value: loc }];
        case "gcp":
            return [env("TYPE", "google cloud storage"), env("ENV_AUTH", "true"), env("BUCKET_POLICY_ONLY", "true"), { name: "BUCKET", value: loc }];
        case "azure":
            return [
                env("TYPE", "azureblob"),
                env("ENV_AUTH", "true"),
                env(
                    "ACCOUNT",
                    loc.apply((l) => l.split("/")[0]),
                ),
                { name: "BUCKET", value: loc.apply((l) => l.split("/")[1]) },
            ];
    }
}

/** The annotation that binds a ServiceAccount to a cloud identity (IRSA, GKE Workload Identity, Azure Workload Identity). */
export function identityAnnotation(cloud: CloudConfig, identity: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
    return cloud.provider === "aws"
        ? { "eks.amazonaws.com/role-arn": identity }
        : cloud.provider === "gcp"
          ? { "iam.gke.io/gcp-service-account": identity }
          : { "azure.workload.identity/client-id": identity };
}

export interface PostgresBackupArgs {
    readonly namespace: string;
    readonly stack: string;
    readonly schedule: string;
    readonly postgresImage: ImageRef;
    readonly rcloneImage: ImageRef;
    readonly imagePullSecret?: string;
    readonly cloud: CloudConfig;
    readonly location: pulumi.Input<string>;
    /** The cloud identity the Jobs act as: from config, or made with the cluster the stack creates. */
    readonly identity?: pulumi.Input<string>;
    /** Connect with verify-full against the data CA, whose certificate the PostgreSQL step mounts. */
    readonly tls: boolean;
}

export const BACKUP_NAME = "postgres-backup";
export const RESTORE_NAME = "postgres-restore";

function pgEnv(a: PostgresBackupArgs): k8s.types.input.core.v1.EnvVar[] {
    const secret = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: "postgres-auth", key } } });
    return [
        { name: "PGHOST", value: `postgres.${a.namespace}.svc.cluster.local` },
        { name: "PGPORT", value: "5432" },
        { name: "PGDATABASE", value: "votes" },
        ...(a.tls
            ? [
                  { name: "PGSSLMODE", value: "verify-full" },
                  { name: "PGSSLROOTCERT", value: DATA_CA_BUNDLE.file },
              ]
            : [{ name: "PGSSLMODE", value: "prefer" }]),
        secret("PGUSER", "POSTGRES_USER"),
        secret("PGPASSWORD", "POSTGRES_PASSWORD"),
    ];
}

/** One step of a backup pod; `dataCa` mounts the data CA for a step that connects to PostgreSQL over TLS. */
interface Step {
    readonly image: ImageRef;
    readonly script: string;
    readonly env: unknown[];
    readonly dataCa?: boolean;
}

/**
 * A two-step pod: one container runs `first`, then `second` runs with the same /backup emptyDir.
 * PostgreSQL's image has pg_dump and pg_restore; rclone's has rclone; neither has both.
 */
function twoStepPod(a: PostgresBackupArgs, name: string, first: Step, second: Step) {
    const labels = { ...standardLabels({ name, component: "backup" }, a.stack), ...versionLabel(a.postgresImage.tag) };
    const container = (n: string, step: Step, uid: number) => ({
        name: n,
        image: imageName(step.image),
        imagePullPolicy: step.image.digest ? "IfNotPresent" : "Always",
        command: ["/bin/sh", "-c", step.script],
        env: [...(step.env as k8s.types.input.core.v1.EnvVar[]), { name: "HOME", value: "/tmp" }],
        resources: withEphemeralStorage({ requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } }, ["2Gi", "64Mi"]),
        securityContext: { ...restrictedContainerSecurityContext(), runAsUser: uid },
        volumeMounts: [{ name: "backup", mountPath: "/backup" }, { name: "tmp", mountPath: "/tmp" }, ...(step.dataCa ? [dataCaMount()] : [])],
    });
    // Azure's workload identity webhook injects the federated token only into pods that ask for it.
    const identityLabel: Record<string, string> = a.cloud.provider === "azure" && a.identity ? { "azure.workload.identity/use": "true" } : {};
    return {
        metadata: { labels: { ...labels, ...identityLabel } },
        spec: {
            restartPolicy: "Never",
            serviceAccountName: name,
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(999),
            ...(a.imagePullSecret ? { imagePullSecrets: [{ name: a.imagePullSecret }] } : {}),
            initContainers: [container("first", first, 999)],
            containers: [container("second", second, 999)],
            volumes: [
                { name: "backup", emptyDir: { sizeLimit: "2Gi" } },
                { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
                ...(first.dataCa || second.dataCa ? [dataCaVolume()] : []),
            ],
        },
    };
}

/** Checklist 4.2.1: a dump at the configured time (02:00 UTC by default), uploaded off the cluster. */
export function buildBackupCronJob(a: PostgresBackupArgs): k8s.types.input.batch.v1.CronJob {
    const remote = rcloneRemoteEnv(a.cloud, a.location);
    const pod = twoStepPod(
        a,
        BACKUP_NAME,
        { image: a.postgresImage, script: BACKUP_DUMP_SCRIPT, env: pgEnv(a), dataCa: a.tls },
        { image: a.rcloneImage, script: BACKUP_UPLOAD_SCRIPT, env: remote },
    );
    pod.spec.initContainers[0].name = "dump";
    pod.spec.containers[0].name = "upload";
    return {
        metadata: { name: BACKUP_NAME, namespace: a.namespace, labels: pod.metadata.labels },
        spec: {
            schedule: a.schedule,
            timeZone: "Etc/UTC",
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: 3600,
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 3,
            jobTemplate: { spec: { backoffLimit: 2, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400, template: pod } },
        },
    };
}

/**
 * Checklist 4.2.4: the restore, kept suspended as a template. Run it with
 * `kubectl -n voting-data create job --from=cronjob/postgres-restore restore-$(date +%s)`.
 */
export function buildRestoreCronJob(a: PostgresBackupArgs): k8s.types.input.batch.v1.CronJob {
    const remote = rcloneRemoteEnv(a.cloud, a.location);
    const pod = twoStepPod(
        a,
        RESTORE_NAME,
        { image: a.rcloneImage, script: RESTORE_DOWNLOAD_SCRIPT, env: remote },
        { image: a.postgresImage, script: RESTORE_SCRIPT, env: pgEnv(a), dataCa: a.tls },
    );
    pod.spec.initContainers[0].name = "download";
    pod.spec.containers[0].name = "restore";
    return {
        metadata: { name: RESTORE_NAME, namespace: a.namespace, labels: pod.metadata.labels },
        spec: {
            schedule: "0 0 31 2 *",
            suspend: true,
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: 300,
            jobTemplate: { spec: { backoffLimit: 0, activeDeadlineSeconds: 7200, ttlSecondsAfterFinished: 604800, template: pod } },
        },
    };
}

/** Scheduled backups and the restore template, each with its own ServiceAccount bound to the cloud identity. */
export class PostgresBackup extends pulumi.ComponentResource {
    constructor(name: string, args: PostgresBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:jobs:PostgresBackup", name, {}, opts);
        for (const [job, build] of [
            [BACKUP_NAME, buildBackupCronJob],
            [RESTORE_NAME, buildRestoreCronJob],
        ] as const) {
            const sa = new k8s.core.v1.ServiceAccount(
                `${name}-${job}-sa`,
                {
                    metadata: {
                        name: job,
                        namespace: args.namespace,
                        labels: standardLabels({ name: job, component: "backup" }, args.stack),
                        ...(args.identity ? { annotations: identityAnnotation(args.cloud, args.identity) } : {}),
                    },
                    automountServiceAccountToken: false,
                },
                { parent: this },
            );
            new k8s.batch.v1.CronJob(`${name}-${job}`, build(args), { parent: this, dependsOn: [sa] });
        }
        this.registerOutputs({});
    }
}
