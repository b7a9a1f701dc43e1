import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { postgresProbes, redisProbes } from "../../../components/data/stores";
import type { DataStoreArgs } from "../../../components/data/dataStore";
import { requireBinary, startPostgres, startRedis, postgresBinDir, type PostgresServer, type RedisServer } from "../../helpers/servers";

type Probes = Pick<DataStoreArgs, "startup" | "liveness" | "readiness">;

/** Runs a probe's command as the kubelet would in the container (exit 0 passes), with the container's env. */
function passes(probe: Probes["liveness"], env: Record<string, string>): boolean {
    const command = (probe.exec as { command: string[] }).command;
    return spawnSync(command[0], command.slice(1), { env: { PATH: process.env.PATH ?? "", ...env }, timeout: 10000 }).status === 0;
}

/** The directory a probe reads the password from, as the Secret volume holds it in the pod. */
function authDir(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "auth-"));
    for (const [k, v] of Object.entries(files)) fs.writeFileSync(path.join(dir, k), v);
    return dir;
}

const verdict = (p: Probes, env: Record<string, string>) => ({ liveness: passes(p.liveness, env), readiness: passes(p.readiness, env) });

describe("data store probes (2.1.1, 2.1.2, 2.1.3, P.7), run against real servers", () => {
    describe("Redis", function () {
        let redis: RedisServer;
        before(async function () {
            for (const bin of ["redis-server", "redis-cli"]) requireBinary(this, bin, "redis");
            redis = await startRedis();
        });
        after(() => redis?.stop());

        const cli = (...args: string[]) =>
            spawnSync("redis-cli", ["-p", String(redis.port), "--no-auth-warning", "-a", redis.password, ...args], {
                encoding: "utf8",
            }).stdout.trim();

        it("passes liveness and readiness on a server that serves commands", () => {
            assert.deepStrictEqual(verdict(redisProbes(redis.port, false, authDir({ password: redis.password })), {}), {
                liveness: true,
                readiness: true,
            });
        });

        it("keeps a server busy with a long script alive but takes it out of rotation", async () => {
            cli("CONFIG", "SET", "busy-reply-threshold", "100");
            const script = spawn("redis-cli", [
                "-p",
                String(redis.port),
                "--no-auth-warning",
                "-a",
                redis.password,
                "EVAL",
                "while true do end",
                "0",
            ]);
            try {
                await new Promise((r) => setTimeout(r, 500));
                assert.match(cli("PING"), /BUSY/);
                assert.deepStrictEqual(verdict(redisProbes(redis.port, false, authDir({ password: redis.password })), {}), {
                    liveness: true,
                    readiness: false,
                });
            } finally {
                cli("SCRIPT", "KILL");
                script.kill();
            }
        });

        it("fails both when the password is wrong: the answer is an authentication error, not PONG", () => {
            assert.deepStrictEqual(verdict(redisProbes(redis.port, false, authDir({ password: "wrong" })), {}), {
                liveness: false,
                readiness: false,
            });
        });

        it("fails both when nothing answers on the port", () => {
            assert.deepStrictEqual(verdict(redisProbes(1, false, authDir({ password: redis.password })), {}), { liveness: false, readiness: false });
        });

        it("runs different commands for liveness and readiness, the startup probe allowing 30 s", () => {
            const p = redisProbes(6379, true);
            assert.notDeepStrictEqual(p.liveness.exec, p.readiness.exec);
            assert.deepStrictEqual(p.startup.exec, p.liveness.exec);
            assert.strictEqual((p.startup.periodSeconds as number) * (p.startup.failureThreshold as number), 30);
            assert.match(
                (p.readiness.exec as { command: string[] }).command[2],
                /^\[ "\$\(REDISCLI_AUTH="\$\(cat \/auth\/password\)" redis-cli --tls --cacert \/tls\/ca\.crt -h 127\.0\.0\.1 -p 6379 /,
            );
        });
    });

    describe("PostgreSQL", function () {
        let pg: PostgresServer;
        const env = (db = "votes") => ({ POSTGRES_USER: pg.env.PGUSER, POSTGRES_DB: db });
        const auth = (password = pg.env.PGPASSWORD) => authDir({ POSTGRES_PASSWORD: password });
        before(async function () {
            if (!postgresBinDir()) requireBinary(this, "initdb", "postgresql");
            for (const bin of ["pg_isready", "psql"]) requireBinary(this, bin, "postgresql-client");
            pg = await startPostgres();
            pg.sql("postgres", "CREATE DATABASE votes");
        });
        after(() => pg?.stop());

        it("passes liveness and readiness on a server that runs queries in the platform's database", () => {
            assert.deepStrictEqual(verdict(postgresProbes(pg.port, auth()), env()), { liveness: true, readiness: true });
        });

        it("keeps a server alive that answers but cannot serve the platform's database", () => {
            assert.deepStrictEqual(verdict(postgresProbes(pg.port, auth()), env("missing")), { liveness: true, readiness: false });
        });

        it("fails both when nothing answers on the port", () => {
            assert.deepStrictEqual(verdict(postgresProbes(1, auth()), env()), { liveness: false, readiness: false });
        });

        it("takes readiness away while the Secret volume's password is not yet the role's, and reads no password from the environment", () => {
            assert.deepStrictEqual(
                verdict(postgresProbes(pg.port, auth("rotated-not-applied")), { ...env(), POSTGRES_PASSWORD: pg.env.PGPASSWORD }),
                {
                    liveness: true,
                    readiness: false,
                },
            );
        });

        it("runs different commands for liveness and readiness, the startup probe allowing 60 s", () => {
            const p = postgresProbes(5432);
            assert.notDeepStrictEqual(p.liveness.exec, p.readiness.exec);
            assert.deepStrictEqual(p.startup.exec, p.liveness.exec);
            assert.strictEqual((p.startup.periodSeconds as number) * (p.startup.failureThreshold as number), 60);
            assert.strictEqual(p.readiness.initialDelaySeconds, 10);
        });
    });
});
