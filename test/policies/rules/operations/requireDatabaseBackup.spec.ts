import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { BACKUP_RETENTION_ANNOTATION } from "../../../../policies/lib/annotations";
import { requireDatabaseBackup } from "../../../../policies/rules/operations/requireDatabaseBackup";
import { asPodKind, backupCronJob, containerOf, headlessService, postgresStatefulSet } from "../../../helpers/dataFixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const PG = "StatefulSet voting-data/postgres";
const BACKUP = "CronJob voting-data/postgres-backup";
const NONE = `${PG}: no CronJob backs up its PostgreSQL: none connects to it (PGHOST or a postgres URL naming its Service) and runs pg_dump, pg_dumpall or pg_basebackup`;
const stack = (backup: K8sObject | null = backupCronJob()) => [postgresStatefulSet(), headlessService("postgres", 5432), ...(backup ? [backup] : [])];
const check = (objects: K8sObject[], cfg: Record<string, unknown> = {}) => violations(requireDatabaseBackup, objects, cfg);
const dumpEnv = (x: K8sObject) => x.spec.jobTemplate.spec.template.spec.containers[0].env;

describe(requireDatabaseBackup.name, () => {
    it("accepts PostgreSQL dumped daily by a CronJob through its Service, keeping 7 days", () => {
        assert.deepStrictEqual(check(stack()), []);
    });

    it("refuses PostgreSQL with no backup CronJob", () => {
        assert.deepStrictEqual(check(stack(null)), [NONE]);
    });

    it("counts only a CronJob that runs a dump tool against this server: not a Job, another host, or a restore", () => {
        assert.deepStrictEqual(check(stack(asPodKind("Job", backupCronJob()))), [NONE]);
        const elsewhere = withChange(backupCronJob(), (x) => (dumpEnv(x)[0].value = "postgres.other.svc.cluster.local"));
        assert.deepStrictEqual(check(stack(elsewhere)), [NONE]);
        const restore = withChange(
            backupCronJob(),
            (x) => (x.spec.jobTemplate.spec.template.spec.containers[0].command[2] = "pg_restore /backup/votes.dump"),
        );
        assert.deepStrictEqual(check(stack(restore)), [NONE]);
    });

    it("finds the server through every host form cluster DNS resolves, and through a URL in a Secret", () => {
        for (const host of ["postgres", "postgres.voting-data", "postgres.voting-data.svc", "postgres-0.postgres.voting-data.svc.cluster.local"]) {
            assert.deepStrictEqual(check(stack(withChange(backupCronJob(), (x) => (dumpEnv(x)[0].value = host)))), [], host);
        }
        const viaSecret = withChange(
            backupCronJob(),
            (x) => (dumpEnv(x)[0] = { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "dump", key: "url" } } }),
        );
        const secret: K8sObject = {
            apiVersion: "v1",
            kind: "Secret",
            metadata: { name: "dump", namespace: "voting-data" },
            data: { url: Buffer.from("postgresql://backup:pw@postgres:5432/votes?sslmode=verify-full").toString("base64") },
        };
        assert.deepStrictEqual(check([...stack(viaSecret), secret]), []);
    });

    it("counts pg_basebackup, pgBackRest and WAL-G as backups", () => {
        for (const tool of ["pg_basebackup -D /backup", "pgbackrest backup", "wal-g backup-push /var/lib/postgresql/data"]) {
            const other = withChange(backupCronJob(), (x) => (x.spec.jobTemplate.spec.template.spec.containers[0].command[2] = tool));
            assert.deepStrictEqual(check(stack(other)), [], tool);
        }
    });

    it("names every suspended backup CronJob of a server", () => {
        const suspended = (name: string) =>
            withChange(backupCronJob(), (x) => {
                x.spec.suspend = true;
                x.metadata!.name = name;
            });
        assert.deepStrictEqual(check([...stack(suspended("nightly")), suspended("hourly")]), [
            `${PG}: its backup CronJob nightly, hourly is suspended, so no backup is taken; set suspend false`,
        ]);
    });

    it("refuses a suspended backup, and one without a schedule", () => {
        assert.deepStrictEqual(check(stack(withChange(backupCronJob(), (x) => (x.spec.suspend = true)))), [
            `${PG}: its backup CronJob postgres-backup is suspended, so no backup is taken; set suspend false`,
        ]);
        assert.deepStrictEqual(check(stack(withChange(backupCronJob(), (x) => (x.spec.schedule = " ")))), [
            `${BACKUP}: backs up ${PG} but has no schedule; set one`,
        ]);
        assert.deepStrictEqual(check(stack(withChange(backupCronJob(), (x) => delete x.spec.schedule))), [
            `${BACKUP}: backs up ${PG} but has no schedule; set one`,
        ]);
    });

    it("refuses a backup that declares no retention, one that is not a number, and one a day short", () => {
        const annotated = (v?: string) =>
            withChange(backupCronJob(), (x) =>
                v === undefined ? delete x.metadata!.annotations : (x.metadata!.annotations![BACKUP_RETENTION_ANNOTATION] = v),
            );
        assert.deepStrictEqual(check(stack(annotated())), [
            `${BACKUP}: declares no retention for the backups of ${PG}; set the annotation voting-platform.io/backup-retention-days to the days they are kept`,
        ]);
        assert.deepStrictEqual(check(stack(annotated("7d"))), [
            `${BACKUP}: declares retention "7d", which is not a number of days (voting-platform.io/backup-retention-days)`,
        ]);
        assert.deepStrictEqual(check(stack(annotated("6"))), [`${BACKUP}: keeps the backups of ${PG} 6 day(s) where at least 7 are required`]);
        assert.deepStrictEqual(check(stack(annotated("30")), { minRetentionDays: 30 }), []);
    });

    it("judges PostgreSQL in any long-running kind, and asks nothing when no server runs", () => {
        for (const kind of ["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet"] as const) {
            assert.deepStrictEqual(check([asPodKind(kind, postgresStatefulSet()), headlessService("postgres", 5432)]), [
                NONE.replace("StatefulSet", kind),
            ]);
        }
        const client = withChange(postgresStatefulSet(), (x) => (containerOf(x).command = ["psql"]));
        assert.deepStrictEqual(check([client]), []);
        // A server a Job or CronJob starts (a restore drill, say) holds nothing that outlives it.
        for (const kind of ["Job", "CronJob"] as const)
            assert.deepStrictEqual(check([asPodKind(kind, postgresStatefulSet()), headlessService("postgres", 5432)]), [], kind);
    });

    it("blocks the registry's mutants of 2.4.3 and 4.2.1 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("2.4.3", "the backup CronJob is removed"), [`require-database-backup: ${NONE}`]);
        assert.deepStrictEqual(await registryMutantBlockers("4.2.1", "prod's backup CronJob is suspended"), [
            `require-database-backup: ${PG}: its backup CronJob postgres-backup is suspended, so no backup is taken; set suspend false`,
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("4.2.1", "the backups are kept 3 days where the checklist asks 7"), [
            `require-database-backup: ${BACKUP}: keeps the backups of ${PG} 3 day(s) where at least 7 are required`,
        ]);
    });
});
