import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CloudConfig, ImageRef } from "../../config/types";
import { maxGapMinutes } from "../../policies/lib/cron";
import { dataCaMount, dataCaVolume, DATA_CA_BUNDLE } from "../data/dataTls";
import { standardLabels, versionLabel } from "../labels";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../security";
import { imageName } from "../workloads/workload";
import { withEphemeralStorage } from "../ephemeralStorage";
import { BACKUP_RETENTION_ANNOTATION } from "../../policies/lib/annotations";

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
 * Checklist 4.2.2 ("test the restore procedure quarterly"): restores the downloaded dump into a scratch
 * database, never the live one, and checks it: the dump is no older than MAX_AGE_MINUTES (when set), each
 * of EXPECTED_TABLES exists and holds at least MIN_ROWS rows. The scratch database is dropped whatever
 * happens; any failure exits 1 with one line saying what failed.
 */
export const RESTORE_VERIFY_SCRIPT = `set -eu
dir="\${BACKUP_DIR:-/backup}"
name=$(cat "$dir/latest")
fail() { echo "restore test FAILED: $*" >&2; exit 1; }
taken=\${name%Z.dump}
taken=\${taken##*-}
case "$taken" in
  [0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]) ;;
  *) fail "$name does not carry the time it was taken" ;;
esac
hms=\${taken#*T}
age=$(( ($(date -u +%s) - $(date -u -d "\${taken%T*} $(echo "$hms" | sed 's/^\\(..\\)\\(..\\)/\\1:\\2:/')" +%s)) / 60 ))
if [ -n "\${MAX_AGE_MINUTES:-}" ] && [ "$age" -gt "$MAX_AGE_MINUTES" ]; then
  fail "the newest backup, $name, is $age minutes old: more than $MAX_AGE_MINUTES, so backups have stopped"
fi
# No $$ (PID) in the name: Kubernetes reads $$ in a command as an escaped $. Runs never overlap (Forbid).
scratch="restore_test_$(date -u +%Y%m%d%H%M%S)"
drop() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \\"$scratch\\"" >/dev/null || echo "could not drop scratch database $scratch" >&2; }
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \\"$scratch\\"" >/dev/null || fail "cannot create scratch database $scratch"
trap drop EXIT
pg_restore --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$scratch" "$dir/$name" 2>"$dir/restore.err" \\
  || fail "pg_restore could not restore $name: $(head -n 1 "$dir/restore.err")"
for table in $EXPECTED_TABLES; do
  rows=$(psql -X -tA -v ON_ERROR_STOP=1 -d "$scratch" -c "SELECT count(*) FROM \\"$table\\"" 2>/dev/null) || fail "$name has no table $table"
  [ "$rows" -ge "\${MIN_ROWS:-1}" ] || fail "table $table of $name holds $rows row(s), fewer than \${MIN_ROWS:-1}"
  echo "table $table: $rows row(s)"
done
echo "restore test passed: $name ($age minutes old) restored into $scratch, which is dropped"
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
    /** Days the backup storage keeps each dump (its lifecycle rule); declared on the CronJob for the pack to check. */
    readonly retentionDays?: number;
}

export const BACKUP_NAME = "postgres-backup";

/**
 * How late a backup run may start and how long it may take (checklist 4.2.4). With the schedule's largest
 * gap they bound the data a restore can lose: every 30 minutes, 30 + 5 + 15 = 50 minutes at worst.
 */
export const BACKUP_RUN_LIMITS = { startingDeadlineSeconds: 300, activeDeadlineSeconds: 900 } as const;
export const RESTORE_NAME = "postgres-restore";
export const RESTORE_TEST_NAME = "postgres-restore-test";

/**
 * The quarterly restore test: 04:15 UTC on the first day of January, April, July and October, after the
 * 04:00 dump. @default tables ["votes"], at least 1 row each
 */
export const RESTORE_TEST = { schedule: "15 4 1 1,4,7,10 *", expectedTables: ["votes"], minRows: 1 } as const;

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

/**
 * Checklist 4.2.1, 4.2.4: a dump on the configured schedule (02:00 UTC by default; prod every 30 minutes,
 * which includes 02:00), uploaded off the cluster.
 */
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
        metadata: {
            name: BACKUP_NAME,
            namespace: a.namespace,
            labels: pod.metadata.labels,
            ...(a.retentionDays !== undefined ? { annotations: { [BACKUP_RETENTION_ANNOTATION]: String(a.retentionDays) } } : {}),
        },
        spec: {
            schedule: a.schedule,
            timeZone: "Etc/UTC",
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: BACKUP_RUN_LIMITS.startingDeadlineSeconds,
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 3,
            jobTemplate: {
                spec: {
                    backoffLimit: 2,
                    activeDeadlineSeconds: BACKUP_RUN_LIMITS.activeDeadlineSeconds,
                    ttlSecondsAfterFinished: 86400,
                    template: pod,
                },
            },
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

/**
 * Checklist 4.2.2, 4.2.4: every quarter, the newest dump is restored into a scratch database and checked
 * (tables, rows, age), and the scratch database dropped. The newest dump may be as old as the schedule's
 * worst case (largest gap, late start, run time); older means backups have stopped. No retry: a failure
 * is meant to be seen.
 */
export function buildRestoreTestCronJob(a: PostgresBackupArgs): k8s.types.input.batch.v1.CronJob {
    const remote = rcloneRemoteEnv(a.cloud, a.location);
    const maxAge = maxGapMinutes(a.schedule) + (BACKUP_RUN_LIMITS.startingDeadlineSeconds + BACKUP_RUN_LIMITS.activeDeadlineSeconds) / 60;
    const check = [
        { name: "EXPECTED_TABLES", value: RESTORE_TEST.expectedTables.join(" ") },
        { name: "MIN_ROWS", value: String(RESTORE_TEST.minRows) },
        { name: "MAX_AGE_MINUTES", value: String(Math.ceil(maxAge)) },
    ];
    const pod = twoStepPod(
        a,
        RESTORE_TEST_NAME,
        { image: a.rcloneImage, script: RESTORE_DOWNLOAD_SCRIPT, env: remote },
        { image: a.postgresImage, script: RESTORE_VERIFY_SCRIPT, env: [...pgEnv(a), ...check], dataCa: a.tls },
    );
    pod.spec.initContainers[0].name = "download";
    pod.spec.containers[0].name = "restore-and-verify";
    return {
        metadata: {
            name: RESTORE_TEST_NAME,
            namespace: a.namespace,
            labels: { ...standardLabels({ name: RESTORE_TEST_NAME, component: "backup" }, a.stack), ...versionLabel(a.postgresImage.tag) },
        },
        spec: {
            schedule: RESTORE_TEST.schedule,
            timeZone: "Etc/UTC",
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: 3600,
            successfulJobsHistoryLimit: 1,
            failedJobsHistoryLimit: 1,
            jobTemplate: { spec: { backoffLimit: 0, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 2592000, template: pod } },
        },
    };
}

/** Scheduled backups, the restore template and the quarterly restore test, each with its own ServiceAccount bound to the cloud identity. */
export class PostgresBackup extends pulumi.ComponentResource {
    constructor(name: string, args: PostgresBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:jobs:PostgresBackup", name, {}, opts);
        for (const [job, build] of [
            [BACKUP_NAME, buildBackupCronJob],
            [RESTORE_NAME, buildRestoreCronJob],
            [RESTORE_TEST_NAME, buildRestoreTestCronJob],
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
