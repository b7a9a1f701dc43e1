import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MIGRATE_SCRIPT, MIGRATIONS, migrationSql } from "../../../components/jobs/schemaMigration";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";
import { requireBinary, startPostgres, type PostgresServer } from "../../helpers/servers";

describe("schema migration Job (4.3.2)", () => {
    describe("its script, against a real PostgreSQL", function () {
        let pg: PostgresServer;
        let file: string;
        before(async function () {
            requireBinary(this, "psql", "postgresql-client");
            pg = await startPostgres();
            pg.sql("postgres", "CREATE DATABASE votes");
            file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "migrate-")), "migrate.sql");
            fs.writeFileSync(file, migrationSql());
        });
        after(() => pg?.stop());

        const url = () => `postgresql://${pg.env.PGUSER}:${pg.env.PGPASSWORD}@127.0.0.1:${pg.port}/votes?sslmode=disable`;
        const migrate = (env: Record<string, string> = {}) => {
            const r = spawnSync("/bin/sh", ["-c", MIGRATE_SCRIPT], {
                env: { PATH: process.env.PATH ?? "", DATABASE_URL: url(), MIGRATIONS_FILE: file, ...env },
                encoding: "utf8",
            });
            return { code: r.status, stdout: r.stdout, stderr: r.stderr };
        };

        it("applies every migration on an empty database and records each", () => {
            const r = migrate();
            assert.deepStrictEqual(
                [r.code, r.stdout, r.stderr],
                [
                    0,
                    "applied migration 1 (votes)\napplied migration 2 (vote_events)\napplied migration 3 (performance_baselines)\nschema at version 3\n",
                    "",
                ],
            );
            assert.strictEqual(
                pg.sql("votes", "SELECT string_agg(version || ':' || name, ',' ORDER BY version) FROM schema_migrations"),
                "1:votes,2:vote_events,3:performance_baselines",
            );
            assert.strictEqual(pg.sql("votes", "SELECT string_agg(option || '=' || count, ',' ORDER BY option) FROM votes"), "cats=0,dogs=0");
        });

        it("changes nothing when run again, keeping the counts", () => {
            pg.sql("votes", "UPDATE votes SET count = 7 WHERE option = 'cats'");
            pg.sql(
                "votes",
                "INSERT INTO performance_baselines (test_run, app_version, requests, concurrency, failed, p50_ms, p95_ms, p99_ms, rate_rps) VALUES ('verify-r1-performance', '0.5.1', 100, 10, 0, 12.5, 40, 61, 200)",
            );
            const tables = () => pg.sql("votes", "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'");
            const before = tables();
            const r = migrate();
            assert.deepStrictEqual(
                [r.code, r.stdout, r.stderr],
                [
                    0,
                    "migration 1 (votes) is already applied\nmigration 2 (vote_events) is already applied\nmigration 3 (performance_baselines) is already applied\nschema at version 3\n",
                    "",
                ],
            );
            assert.strictEqual(tables(), before);
            assert.strictEqual(before, "performance_baselines,schema_migrations,vote_events,votes");
            assert.strictEqual(pg.sql("votes", "SELECT count FROM votes WHERE option = 'cats'"), "7");
            assert.strictEqual(pg.sql("votes", "SELECT test_run || ' ' || p95_ms FROM performance_baselines"), "verify-r1-performance 40");
        });

        it("rolls a failing migration back whole, leaving the recorded version as it was", () => {
            const broken = path.join(path.dirname(file), "broken.sql");
            fs.writeFileSync(
                broken,
                migrationSql([...MIGRATIONS, { version: 4, name: "broken", sql: "ALTER TABLE votes ADD COLUMN x int;\nSELECT 1/0;" }]),
            );
            const r = migrate({ MIGRATIONS_FILE: broken });
            assert.strictEqual(r.code, 3);
            assert.match(r.stderr, /division by zero/);
            assert.strictEqual(pg.sql("votes", "SELECT max(version) FROM schema_migrations"), "3");
            assert.strictEqual(
                pg.sql("votes", "SELECT count(*) FROM information_schema.columns WHERE table_name = 'votes' AND column_name = 'x'"),
                "0",
            );
        });

        it("creates performance_baselines once even where the table already exists, recording the migration", () => {
            pg.sql("postgres", "CREATE DATABASE prebuilt");
            const prebuilt = url().replace("/votes?", "/prebuilt?");
            pg.sql("prebuilt", MIGRATIONS[2].sql);
            const r = migrate({ DATABASE_URL: prebuilt });
            assert.strictEqual(r.code, 0, r.stderr);
            assert.match(r.stdout, /\napplied migration 3 \(performance_baselines\)\nschema at version 3\n$/);
            assert.strictEqual(pg.sql("prebuilt", "SELECT count(*) FROM pg_tables WHERE tablename = 'performance_baselines'"), "1");
            assert.strictEqual(
                pg.sql("prebuilt", "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'performance_baselines'"),
                "performance_baselines_measured_at,performance_baselines_pkey",
            );
        });

        it("gives up with a clear line when PostgreSQL never answers", () => {
            const r = migrate({ DATABASE_URL: "postgresql://voting:x@127.0.0.1:1/votes", ATTEMPTS: "2", RETRY_SECONDS: "0" });
            assert.strictEqual(r.code, 1);
            assert.match(
                r.stderr,
                /^PostgreSQL did not accept connections; no migration ran: psql: error: connection to server at "127\.0\.0\.1", port 1 failed: Connection refused\n$/,
            );
        });
    });

    it("runs before the API and the consumer roll out, after PostgreSQL", async () => {
        const { resources } = await rendered("prod");
        const job = resources.find((r) => r.type === "kubernetes:batch/v1:Job" && r.name === "voting-schema-migration-job")!;
        assert.ok(job.options.dependsOn.length > 0);
        for (const app of ["api", "consumer"]) {
            const d = resources.find((r) => r.key === `kubernetes:apps/v1:Deployment::voting-${app}-deployment`)!;
            assert.ok(d.options.dependsOn.includes(job.key), `${app} does not wait for the migration`);
        }
        const parent = resources.find((r) => r.key === job.parent)!;
        assert.ok(parent.options.dependsOn.includes("kubernetes:apps/v1:StatefulSet::voting-postgres-statefulset"), JSON.stringify(parent.options));
    });

    it("renders a hardened Job named for the release, labelled with its image's version and the API release it migrates for", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        const job = objs.find((o) => o.kind === "Job" && o.metadata?.name?.startsWith("schema-migrate-"))!;
        assert.match(job.metadata!.name!, /^schema-migrate-[0-9a-f]{8}$/);
        assert.strictEqual(job.metadata?.namespace, "voting-api");
        assert.deepStrictEqual(
            [job.metadata?.labels?.["app.kubernetes.io/version"], job.metadata?.labels?.["voting-platform.io/app-version"]],
            ["16.4-bookworm", "0.5.1"],
        );
        const pod = job.spec.template.spec;
        assert.deepStrictEqual([pod.serviceAccountName, pod.automountServiceAccountToken], ["schema-migrate", false]);
        assert.deepStrictEqual(pod.containers[0].env[0], {
            name: "DATABASE_URL",
            valueFrom: { secretKeyRef: { name: "app-connections", key: "DATABASE_URL" } },
        });
        const cm = objs.find((o) => o.kind === "ConfigMap" && o.metadata?.name === "schema-migrate")!;
        assert.strictEqual(cm.data["migrate.sql"], migrationSql());
    });
});
