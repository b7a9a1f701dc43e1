import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ImageRef } from "../../config/types";
import { dataCaMount, dataCaVolume } from "../data/dataTls";
import { withEphemeralStorage } from "../ephemeralStorage";
import { APP_VERSION_LABEL, standardLabels, versionLabel } from "../labels";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../security";
import { imageName } from "../workloads/workload";

/** The options on the ballot: the rows of `votes`, and all that GET /api/results lists. */
export const BALLOT = ["cats", "dogs"] as const;

/** One step of the votes schema. Applied once, in order, recorded in `schema_migrations`. */
export interface Migration {
    readonly version: number;
    readonly name: string;
    readonly sql: string;
}

/**
 * The votes schema (checklist 7.3.3, 6.4.2): the running count per option that GET /api/results reads,
 * and one row per processed stream entry. The entry id is the primary key, so a redelivered entry is
 * never counted twice; `test_run` marks the votes the post-deploy checks send, so they can be removed.
 * `performance_baselines` keeps each release's post-deploy performance figures (checklist 5.3.1, 7.5.2)
 * past the check Job's 24-hour TTL: one row per run, so releases compare.
 * Each statement also tolerates objects that already exist, for databases the app created itself.
 */
export const MIGRATIONS: readonly Migration[] = [
    {
        version: 1,
        name: "votes",
        sql: `CREATE TABLE IF NOT EXISTS votes (
    option text PRIMARY KEY CHECK (option ~ '^[a-z][a-z0-9_-]{0,31}$'),
    count bigint NOT NULL DEFAULT 0 CHECK (count >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO votes (option) VALUES ${BALLOT.map((o) => `('${o}')`).join(", ")} ON CONFLICT (option) DO NOTHING;`,
    },
    {
        version: 2,
        name: "vote_events",
        sql: `CREATE TABLE IF NOT EXISTS vote_events (
    message_id text PRIMARY KEY,
    option text NOT NULL REFERENCES votes (option),
    test_run text,
    submitted_at timestamptz,
    processed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS vote_events_test_run ON vote_events (test_run) WHERE test_run IS NOT NULL;
CREATE INDEX IF NOT EXISTS vote_events_processed_at ON vote_events (processed_at);`,
    },
    {
        version: 3,
        name: "performance_baselines",
        sql: `CREATE TABLE IF NOT EXISTS performance_baselines (
    test_run text PRIMARY KEY,
    app_version text NOT NULL,
    measured_at timestamptz NOT NULL DEFAULT now(),
    requests integer NOT NULL CHECK (requests > 0),
    concurrency integer NOT NULL CHECK (concurrency > 0),
    failed integer NOT NULL CHECK (failed >= 0),
    p50_ms numeric NOT NULL,
    p95_ms numeric NOT NULL,
    p99_ms numeric NOT NULL,
    rate_rps numeric NOT NULL
);
CREATE INDEX IF NOT EXISTS performance_baselines_measured_at ON performance_baselines (measured_at);`,
    },
];

/** Serialises concurrent runs (two releases, a retried pod): the second waits, then finds nothing to do. */
const LOCK_KEY = 72_4_1_3;

/**
 * The migrations as one psql script, in one transaction under an advisory lock: each pending step runs
 * and is recorded; an applied one is skipped. Any error rolls the whole run back (ON_ERROR_STOP).
 */
export function migrationSql(migrations: readonly Migration[] = MIGRATIONS): string {
    const steps = migrations.map(
        (m) => `SELECT NOT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ${m.version}) AS pending \\gset
\\if :pending
${m.sql}
INSERT INTO schema_migrations (version, name) VALUES (${m.version}, '${m.name}');
\\echo applied migration ${m.version} (${m.name})
\\else
\\echo migration ${m.version} (${m.name}) is already applied
\\endif`,
    );
    return `SET client_min_messages = warning;
BEGIN;
SELECT pg_advisory_xact_lock(${LOCK_KEY}) \\g /dev/null
CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
);
${steps.join("\n")}
COMMIT;
SELECT 'schema at version ' || max(version) FROM schema_migrations \\g
`;
}

/**
 * Waits until PostgreSQL takes a session on DATABASE_URL (a fresh StatefulSet may still be starting),
 * then applies the migrations file. The session is opened as the migration opens it, so in prod the wait
 * already verifies the server's certificate and name (the URL's `sslmode=verify-full`), and when it gives
 * up it says why libpq refused. Reads DATABASE_URL and MIGRATIONS_FILE.
 */
export const MIGRATE_SCRIPT = `set -eu
attempt=0
until out=$(psql -X -q -A -t -d "$DATABASE_URL" -c 'SELECT 1' 2>&1); do
  attempt=$((attempt + 1))
  if [ "$attempt" -ge "\${ATTEMPTS:-30}" ]; then
    echo "PostgreSQL did not accept connections; no migration ran: $(printf '%s' "$out" | head -n 1)" >&2
    exit 1
  fi
  sleep "\${RETRY_SECONDS:-2}"
done
psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f "\${MIGRATIONS_FILE:-/migrations/migrate.sql}"
`;

export const MIGRATION_NAME = "schema-migrate";

/** psql's scratch (its HOME): the emptyDir that the container's ephemeral-storage limit covers. */
const TMP_SIZE = "16Mi";

export interface SchemaMigrationArgs {
    readonly namespace: string;
    readonly stack: string;
    /** PostgreSQL's image: psql. */
    readonly image: ImageRef;
    /** The release the schema belongs to: the API's image tag. */
    readonly appVersion: string;
    /** Suffix that makes the Job's name, and so the run, new every release. */
    readonly release: string;
    /** Secret in `namespace` holding DATABASE_URL. */
    readonly connectionSecret: string;
    readonly imagePullSecret?: string;
    readonly migrations?: readonly Migration[];
    /** Mount the data CA bundle, which DATABASE_URL's `sslrootcert` names (prod). */
    readonly tls?: boolean;
}

export function buildMigrationConfigMap(a: SchemaMigrationArgs): k8s.types.input.core.v1.ConfigMap {
    return {
        metadata: { name: MIGRATION_NAME, namespace: a.namespace, labels: standardLabels({ name: MIGRATION_NAME, component: "migration" }, a.stack) },
        data: { "migrate.sql": migrationSql(a.migrations) },
    };
}

export function buildMigrationJob(a: SchemaMigrationArgs): k8s.types.input.batch.v1.Job {
    const labels = {
        ...standardLabels({ name: MIGRATION_NAME, component: "migration" }, a.stack),
        ...versionLabel(a.image.tag),
        [APP_VERSION_LABEL]: versionLabel(a.appVersion)["app.kubernetes.io/version"],
    };
    return {
        metadata: { name: `${MIGRATION_NAME}-${a.release}`, namespace: a.namespace, labels },
        spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 600,
            ttlSecondsAfterFinished: 86400,
            template: {
                metadata: { labels },
                spec: {
                    restartPolicy: "Never",
                    serviceAccountName: MIGRATION_NAME,
                    automountServiceAccountToken: false,
                    securityContext: restrictedPodSecurityContext(999),
                    ...(a.imagePullSecret ? { imagePullSecrets: [{ name: a.imagePullSecret }] } : {}),
                    containers: [
                        {
                            name: "migrate",
                            image: imageName(a.image),
                            imagePullPolicy: a.image.digest ? "IfNotPresent" : "Always",
                            command: ["/bin/sh", "-c", MIGRATE_SCRIPT],
                            env: [
                                { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: a.connectionSecret, key: "DATABASE_URL" } } },
                                { name: "HOME", value: "/tmp" },
                            ],
                            resources: withEphemeralStorage({ requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "100m", memory: "128Mi" } }, [
                                TMP_SIZE,
                            ]),
                            securityContext: restrictedContainerSecurityContext(),
                            terminationMessagePolicy: "FallbackToLogsOnError",
                            volumeMounts: [
                                { name: "migrations", mountPath: "/migrations", readOnly: true },
                                { name: "tmp", mountPath: "/tmp" },
                                ...(a.tls ? [dataCaMount()] : []),
                            ],
                        },
                    ],
                    volumes: [
                        { name: "migrations", configMap: { name: MIGRATION_NAME } },
                        { name: "tmp", emptyDir: { sizeLimit: TMP_SIZE } },
                        ...(a.tls ? [dataCaVolume()] : []),
                    ],
                },
            },
        },
    };
}

/** Checklist 4.3.2: the schema migrates in a Job that finishes before the new API and consumer roll out. */
export class SchemaMigration extends pulumi.ComponentResource {
    public readonly job: k8s.batch.v1.Job;

    constructor(name: string, args: SchemaMigrationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:jobs:SchemaMigration", name, {}, opts);
        const sa = new k8s.core.v1.ServiceAccount(
            `${name}-sa`,
            {
                metadata: {
                    name: MIGRATION_NAME,
                    namespace: args.namespace,
                    labels: standardLabels({ name: MIGRATION_NAME, component: "migration" }, args.stack),
                },
                automountServiceAccountToken: false,
            },
            { parent: this },
        );
        const config = new k8s.core.v1.ConfigMap(`${name}-sql`, buildMigrationConfigMap(args), { parent: this });
        this.job = new k8s.batch.v1.Job(`${name}-job`, buildMigrationJob(args), { parent: this, dependsOn: [sa, config] });
        this.registerOutputs({});
    }
}
