import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    BACKUP_DUMP_SCRIPT,
    BACKUP_UPLOAD_SCRIPT,
    RESTORE_DOWNLOAD_SCRIPT,
    RESTORE_SCRIPT,
    RESTORE_VERIFY_SCRIPT,
} from "../../../components/jobs/postgresBackup";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";
import { postgresBinDir, requireBinary, startPostgres, type PostgresServer } from "../../helpers/servers";

function sh(script: string, env: Record<string, string>) {
    const r = spawnSync("/bin/sh", ["-c", script], { env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("PostgreSQL backup and restore (4.2.1, 4.2.2, 4.2.4)", () => {
    describe("their shell, against a real PostgreSQL and rclone", function () {
        let pg: PostgresServer;
        let bucket: string;
        const pgEnv = () => ({ ...pg.env, PGDATABASE: "votes" });
        const remote = () => ({ RCLONE_CONFIG_BACKUP_TYPE: "local", BUCKET: bucket, HOME: os.tmpdir() });

        before(async function () {
            if (!postgresBinDir()) requireBinary(this, "initdb", "postgresql");
            for (const [bin, pkg] of [
                ["pg_dump", "postgresql-client"],
                ["pg_restore", "postgresql-client"],
                ["psql", "postgresql-client"],
                ["rclone", "rclone"],
            ]) {
                requireBinary(this, bin, pkg);
            }
            pg = await startPostgres();
            pg.sql("postgres", "CREATE DATABASE votes");
            pg.sql(
                "votes",
                "CREATE TABLE votes (option text PRIMARY KEY, count integer NOT NULL); INSERT INTO votes VALUES ('cats', 41), ('dogs', 37)",
            );
            bucket = fs.mkdtempSync(path.join(os.tmpdir(), "bucket-"));
        });
        after(() => pg?.stop());

        it("dumps, uploads, and restores what was dumped after the data is lost", () => {
            const work = fs.mkdtempSync(path.join(os.tmpdir(), "backup-"));
            const dump = sh(BACKUP_DUMP_SCRIPT, { ...pgEnv(), BACKUP_DIR: work });
            assert.strictEqual(dump.code, 0, dump.stderr);
            assert.match(dump.stdout, /^dumped votes to votes-\d{8}T\d{6}Z\.dump \(\d+ bytes\)\n$/);

            const upload = sh(BACKUP_UPLOAD_SCRIPT, { ...remote(), BACKUP_DIR: work });
            assert.strictEqual(upload.code, 0, upload.stderr);
            const stored = fs.readdirSync(path.join(bucket, "postgres"));
            assert.deepStrictEqual(stored, [fs.readFileSync(path.join(work, "latest"), "utf8").trim()]);

            pg.sql("votes", "UPDATE votes SET count = 0; DELETE FROM votes WHERE option = 'dogs'");

            const restoreDir = fs.mkdtempSync(path.join(os.tmpdir(), "restore-"));
            const download = sh(RESTORE_DOWNLOAD_SCRIPT, { ...remote(), BACKUP_DIR: restoreDir });
            assert.strictEqual(download.code, 0, download.stderr);
            const restore = sh(RESTORE_SCRIPT, { ...pgEnv(), BACKUP_DIR: restoreDir });
            assert.strictEqual(restore.code, 0, restore.stderr);
            assert.strictEqual(pg.sql("votes", "SELECT string_agg(option || '=' || count, ',' ORDER BY option) FROM votes"), "cats=41,dogs=37");
        });

        it("refuses to overwrite an existing backup of the same name", () => {
            const work = fs.mkdtempSync(path.join(os.tmpdir(), "backup-"));
            const name = fs.readdirSync(path.join(bucket, "postgres"))[0];
            fs.writeFileSync(path.join(work, name), "different bytes");
            fs.writeFileSync(path.join(work, "latest"), `${name}\n`);
            const upload = sh(BACKUP_UPLOAD_SCRIPT, { ...remote(), BACKUP_DIR: work });
            assert.deepStrictEqual([upload.code, upload.stderr], [1, `${name} already exists in ${bucket}/postgres/; not overwriting it\n`]);
            assert.notStrictEqual(fs.readFileSync(path.join(bucket, "postgres", name), "utf8"), "different bytes");
        });

        it("fails the restore when the bucket holds no backup", () => {
            const empty = fs.mkdtempSync(path.join(os.tmpdir(), "bucket-"));
            fs.mkdirSync(path.join(empty, "postgres"));
            const r = sh(RESTORE_DOWNLOAD_SCRIPT, {
                RCLONE_CONFIG_BACKUP_TYPE: "local",
                BUCKET: empty,
                HOME: os.tmpdir(),
                BACKUP_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "r-")),
            });
            assert.deepStrictEqual([r.code, r.stderr.trim()], [1, `no backup found in ${empty}/postgres/`]);
        });
    });

    describe("the quarterly restore test, against a real PostgreSQL and rclone", function () {
        let pg: PostgresServer;
        let bucket: string;
        let newest: string;
        const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
        const check = { EXPECTED_TABLES: "votes", MIN_ROWS: "1", MAX_AGE_MINUTES: "50" };

        /** Downloads the newest dump of `from` and restores it into a scratch database, as the CronJob's two containers do. */
        function restoreTest(env: Record<string, string> = {}, from = bucket) {
            const work = tmp("restore-test-");
            const download = sh(RESTORE_DOWNLOAD_SCRIPT, { RCLONE_CONFIG_BACKUP_TYPE: "local", BUCKET: from, HOME: os.tmpdir(), BACKUP_DIR: work });
            assert.strictEqual(download.code, 0, download.stderr);
            return sh(RESTORE_VERIFY_SCRIPT, { ...pg.env, PGDATABASE: "votes", BACKUP_DIR: work, ...check, ...env });
        }
        const scratchDatabases = () => pg.sql("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'restore_test_%'");
        /** A bucket holding one file under postgres/, named and filled as given. */
        function bucketWith(name: string, bytes: Buffer | string) {
            const b = tmp("bucket-");
            fs.mkdirSync(path.join(b, "postgres"));
            fs.writeFileSync(path.join(b, "postgres", name), bytes);
            return b;
        }

        before(async function () {
            if (!postgresBinDir()) requireBinary(this, "initdb", "postgresql");
            for (const [bin, pkg] of [
                ["pg_dump", "postgresql-client"],
                ["pg_restore", "postgresql-client"],
                ["psql", "postgresql-client"],
                ["rclone", "rclone"],
            ]) {
                requireBinary(this, bin, pkg);
            }
            pg = await startPostgres();
            pg.sql("postgres", "CREATE DATABASE votes");
            pg.sql(
                "votes",
                "CREATE TABLE votes (option text PRIMARY KEY, count integer NOT NULL); INSERT INTO votes VALUES ('cats', 41), ('dogs', 37)",
            );
            bucket = tmp("bucket-");
            const work = tmp("backup-");
            assert.strictEqual(sh(BACKUP_DUMP_SCRIPT, { ...pg.env, PGDATABASE: "votes", BACKUP_DIR: work }).code, 0);
            assert.strictEqual(
                sh(BACKUP_UPLOAD_SCRIPT, { RCLONE_CONFIG_BACKUP_TYPE: "local", BUCKET: bucket, HOME: os.tmpdir(), BACKUP_DIR: work }).code,
                0,
            );
            newest = fs.readFileSync(path.join(work, "latest"), "utf8").trim();
        });
        after(() => pg?.stop());

        it("restores the newest dump into a scratch database, checks its tables and rows, and drops it", () => {
            const r = restoreTest();
            assert.strictEqual(r.code, 0, r.stderr);
            assert.match(
                r.stdout,
                new RegExp(
                    `^table votes: 2 row\\(s\\)\nrestore test passed: ${newest.replace(/\./g, "\\.")} \\([01] minutes old\\) restored into restore_test_\\d{14}, which is dropped\n$`,
                ),
            );
            assert.strictEqual(scratchDatabases(), "0");
            assert.strictEqual(pg.sql("votes", "SELECT string_agg(option || '=' || count, ',' ORDER BY option) FROM votes"), "cats=41,dogs=37");
        });

        it("fails loudly when an expected table is missing, and still drops the scratch database", () => {
            const r = restoreTest({ EXPECTED_TABLES: "votes ballots" });
            assert.deepStrictEqual([r.code, r.stderr], [1, `restore test FAILED: ${newest} has no table ballots\n`]);
            assert.strictEqual(scratchDatabases(), "0");
        });

        it("fails when a table holds fewer rows than expected", () => {
            const r = restoreTest({ MIN_ROWS: "3" });
            assert.deepStrictEqual([r.code, r.stderr], [1, `restore test FAILED: table votes of ${newest} holds 2 row(s), fewer than 3\n`]);
            assert.strictEqual(scratchDatabases(), "0");
        });

        it("fails when the newest backup is older than the schedule allows: backups have stopped", () => {
            const old = bucketWith("votes-20200101T000000Z.dump", fs.readFileSync(path.join(bucket, "postgres", newest)));
            const r = restoreTest({}, old);
            assert.strictEqual(r.code, 1);
            assert.match(
                r.stderr,
                /^restore test FAILED: the newest backup, votes-20200101T000000Z\.dump, is \d+ minutes old: more than 50, so backups have stopped\n$/,
            );
        });

        it("fails when the dump cannot be restored, and when its name carries no time", () => {
            const now = new Date()
                .toISOString()
                .replace(/[-:]/g, "")
                .replace(/\.\d+Z$/, "Z");
            const corrupt = restoreTest({}, bucketWith(`votes-${now}.dump`, "not a dump"));
            assert.strictEqual(corrupt.code, 1);
            assert.match(
                corrupt.stderr,
                new RegExp(`^restore test FAILED: pg_restore could not restore votes-${now}\\.dump: pg_restore: error: .+\n$`),
            );
            assert.strictEqual(scratchDatabases(), "0");
            const unnamed = restoreTest({}, bucketWith("votes-latest.dump", "x"));
            assert.deepStrictEqual(
                [unnamed.code, unnamed.stderr],
                [1, "restore test FAILED: votes-latest.dump does not carry the time it was taken\n"],
            );
        });
    });

    it("renders the quarterly restore test: after the 04:00 dump on the first day of each quarter, no retry, its own ServiceAccount", async () => {
        for (const [stack, maxAge] of [
            ["prod", "50"],
            ["staging", "1460"],
        ]) {
            const objs = kubernetesObjects(await rendered(stack));
            const test = objs.find((o) => o.kind === "CronJob" && o.metadata?.name === "postgres-restore-test")!;
            assert.deepStrictEqual([test.spec.schedule, test.spec.timeZone, test.spec.suspend], ["15 4 1 1,4,7,10 *", "Etc/UTC", undefined]);
            const job = test.spec.jobTemplate.spec;
            assert.deepStrictEqual([job.backoffLimit, job.template.spec.serviceAccountName], [0, "postgres-restore-test"]);
            const pod = job.template.spec;
            assert.deepStrictEqual([pod.initContainers[0].name, pod.containers[0].name], ["download", "restore-and-verify"]);
            const env = Object.fromEntries(
                pod.containers[0].env
                    .filter((e: { value?: string }) => e.value !== undefined)
                    .map((e: { name: string; value: string }) => [e.name, e.value]),
            );
            assert.deepStrictEqual([env.EXPECTED_TABLES, env.MIN_ROWS, env.MAX_AGE_MINUTES, env.PGDATABASE], ["votes", "1", maxAge, "votes"], stack);
            const sa = objs.find((o) => o.kind === "ServiceAccount" && o.metadata?.name === "postgres-restore-test")!;
            assert.strictEqual(sa.automountServiceAccountToken, false);
        }
    });

    it("renders prod's dump every 30 minutes in UTC, bounded to start within 5 minutes and finish within 15, never overlapping, and a suspended restore template", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        const backup = objs.find((o) => o.kind === "CronJob" && o.metadata?.name === "postgres-backup")!;
        assert.deepStrictEqual(
            [backup.spec.schedule, backup.spec.timeZone, backup.spec.concurrencyPolicy, backup.spec.startingDeadlineSeconds],
            ["*/30 * * * *", "Etc/UTC", "Forbid", 300],
        );
        assert.strictEqual(backup.spec.jobTemplate.spec.activeDeadlineSeconds, 900);
        const pod = backup.spec.jobTemplate.spec.template.spec;
        assert.deepStrictEqual([pod.initContainers[0].name, pod.containers[0].name], ["dump", "upload"]);
        assert.deepStrictEqual(
            pod.containers[0].env.filter((e: { name: string }) => e.name.startsWith("RCLONE_CONFIG_BACKUP_") || e.name === "BUCKET"),
            [
                { name: "RCLONE_CONFIG_BACKUP_TYPE", value: "s3" },
                { name: "RCLONE_CONFIG_BACKUP_PROVIDER", value: "AWS" },
                { name: "RCLONE_CONFIG_BACKUP_ENV_AUTH", value: "true" },
                { name: "RCLONE_CONFIG_BACKUP_REGION", value: "eu-west-1" },
                { name: "BUCKET", value: "voting-backups-voting-backups" },
            ],
        );
        const sa = objs.find((o) => o.kind === "ServiceAccount" && o.metadata?.name === "postgres-backup")!;
        // The role made with prod's EKS cluster, which trusts this ServiceAccount (components/cloud/aws/cluster.ts).
        assert.deepStrictEqual(sa.metadata?.annotations, { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/voting-cluster-backup" });
        const restore = objs.find((o) => o.kind === "CronJob" && o.metadata?.name === "postgres-restore")!;
        assert.strictEqual(restore.spec.suspend, true);
    });

    it("connects to prod's PostgreSQL with verify-full against the data CA, which only the PostgreSQL steps mount", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        for (const [name, pgStep, rcloneStep] of [
            ["postgres-backup", "dump", "upload"],
            ["postgres-restore", "restore", "download"],
        ]) {
            const pod = objs.find((o) => o.kind === "CronJob" && o.metadata?.name === name)!.spec.jobTemplate.spec.template.spec;
            const step = (n: string) => [...pod.initContainers, ...pod.containers].find((c: { name: string }) => c.name === n);
            const env = Object.fromEntries(
                step(pgStep)
                    .env.filter((e: { value?: string }) => e.value)
                    .map((e: { name: string; value: string }) => [e.name, e.value]),
            );
            assert.deepStrictEqual(
                [env.PGHOST, env.PGSSLMODE, env.PGSSLROOTCERT],
                ["postgres.voting-data.svc.cluster.local", "verify-full", "/tls/ca.crt"],
            );
            assert.ok(
                step(pgStep).volumeMounts.some((m: { name: string }) => m.name === "data-ca"),
                `${name} ${pgStep}`,
            );
            assert.ok(!step(rcloneStep).volumeMounts.some((m: { name: string }) => m.name === "data-ca"), `${name} ${rcloneStep}`);
        }
    });

    it("keeps staging's nightly dump at 02:00 UTC, the checklist's default", async () => {
        const backup = kubernetesObjects(await rendered("staging")).find((o) => o.kind === "CronJob" && o.metadata?.name === "postgres-backup")!;
        assert.strictEqual(backup.spec.schedule, "0 2 * * *");
    });

    it("declares on the backup CronJob the days the bucket keeps each dump, from backup.retentionDays", async () => {
        for (const stack of ["prod", "staging"]) {
            const objs = kubernetesObjects(await rendered(stack));
            const backup = objs.find((o) => o.kind === "CronJob" && o.metadata?.name === "postgres-backup")!;
            assert.deepStrictEqual(backup.metadata?.annotations, { "voting-platform.io/backup-retention-days": "7" }, stack);
        }
    });
});
