import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { kubernetesObjects } from "../../tools/lib/render";
import { PROD_REMOTE, PYTHON, Rehearsal, requireRehearsalTools, type ServerPod } from "../helpers/rehearsal";
import type { Exit } from "../helpers/sandbox";
import { secretKey } from "../helpers/standins";
import { rendered } from "../helpers/render";

/**
 * What the kubelet does to a Secret volume after External Secrets rewrote the Secret: the file's new
 * content appears at once (the kubelet swaps a symlink), with the volume's mode and group. The Secret
 * itself changes too, so a container started later reads the new value from its environment.
 */
function rotate(r: Rehearsal, pod: ServerPod, secret: string, key: string, value: string): void {
    const file = path.join(r.workDir, "pods", pod.namespace, pod.name, "volumes", "auth", key);
    const { gid, mode } = fs.statSync(file);
    const next = `${file}.next`;
    fs.writeFileSync(next, value);
    fs.chownSync(next, 0, gid);
    fs.chmodSync(next, mode & 0o777);
    fs.renameSync(next, file);
    const data = r.secrets.get(secretKey(pod.namespace, secret))!;
    r.secrets.set(secretKey(pod.namespace, secret), { ...data, [key]: value });
}

/** Polls `check` until it returns true or `ms` pass; the sync loops look at their file every 5 s. */
async function eventually(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
    const until = Date.now() + ms;
    while (!(await check())) {
        if (Date.now() > until) assert.fail(`${what} did not happen within ${ms / 1000} s`);
        await new Promise((res) => setTimeout(res, 500));
    }
}

/** PING over Redis' network listener (TLS in prod), from inside the Redis pod, as `password`. */
const redisPing = (redis: ServerPod, tls: boolean, password: string): Promise<Exit> =>
    redis.exec("redis", [
        "/bin/sh",
        "-c",
        `REDISCLI_AUTH="$0" redis-cli ${tls ? "--tls --cacert /tls/ca.crt " : ""}-h 127.0.0.1 -p 6379 --no-auth-warning ping 2>&1`,
        password,
    ]);

/** Logs in to PostgreSQL over TCP on loopback (TLS required in prod) as the platform's user, and says whether the session uses TLS. */
const pgLogin = (pg: ServerPod, tls: boolean, password: string): Promise<Exit> =>
    pg.exec("postgres", [
        "/bin/sh",
        "-c",
        `PGPASSWORD="$0" PGSSLMODE=${tls ? "require" : "disable"} psql -w -X -A -t -h 127.0.0.1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" ` +
            `-c 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()' 2>&1`,
        password,
    ]);

const REDIS_PING = "import os, redis; print(redis.from_url(os.environ['REDIS_URL']).ping())";
const PG_PING = 'psql -w -X -A -t -c "SELECT 1" "$DATABASE_URL" 2>&1';

const NEW_REDIS = [`r0tated p@ss'w"rd:1`, `r0tated p@ss'w"rd:2`];
const NEW_PG = [`r0tated p@ss'w"rd:1`, `r0tated p@ss'w"rd:2`];

for (const stack of ["staging", "prod"]) {
    const tls = stack === "prod";

    describe(`rehearsal of a ${stack} password rotation: the data servers take the Secret's new password by themselves`, function () {
        let r: Rehearsal;
        let redis: ServerPod;
        let pg: ServerPod;

        before(async function () {
            requireRehearsalTools(this);
            r = await Rehearsal.start(kubernetesObjects(await rendered(stack)), { remote: PROD_REMOTE });
            [redis, pg] = await Promise.all([r.startStatefulSet("voting-data", "redis"), r.startStatefulSet("voting-data", "postgres")]);
        });
        after(async () => r?.stop());

        it(`the ${stack} Redis sidecar makes a rotated password log in${tls ? " over TLS" : ""} while the previous one still does, so consumer pods started before the rotation keep connecting`, async () => {
            const first = r.secrets.get(secretKey("voting-data", "redis-auth"))!.password;
            rotate(r, redis, "redis-auth", "password", NEW_REDIS[0]);
            await eventually("Redis accepting the rotated password", async () => (await redisPing(redis, tls, NEW_REDIS[0])).stdout === "PONG\n");
            assert.strictEqual((await redisPing(redis, tls, first)).stdout, "PONG\n");
            const consumer = await r.runInPodOf("voting-consumer", "consumer", "consumer", [PYTHON, "-c", REDIS_PING]);
            assert.deepStrictEqual([consumer.code, consumer.stdout], [0, "True\n"], consumer.stderr);
        });

        it(`the ${stack} Redis sidecar drops the oldest password at the next rotation and keeps the two newest`, async () => {
            const first = r.secrets.get(secretKey("voting-consumer", "redis-auth"))!.password;
            rotate(r, redis, "redis-auth", "password", NEW_REDIS[1]);
            await eventually(
                "Redis accepting the second rotated password",
                async () => (await redisPing(redis, tls, NEW_REDIS[1])).stdout === "PONG\n",
            );
            assert.strictEqual((await redisPing(redis, tls, NEW_REDIS[0])).stdout, "PONG\n");
            assert.match((await redisPing(redis, tls, first)).stdout, /WRONGPASS invalid username-password pair/);
            const logs = [...redis.containers.values()].map((c) => c.log()).join("\n");
            assert.match(logs, /Redis accepts the current password and the previous one/);
            for (const pw of [first, ...NEW_REDIS]) assert.ok(!logs.includes(pw), "a password appears in the Redis pod's logs");
        });

        it(`the ${stack} Redis server's own probes follow the rotated password from the Secret volume`, async () => {
            const readiness = r.find("StatefulSet", "voting-data", "redis").spec.template.spec.containers[0].readinessProbe.exec.command;
            const exit = await redis.exec("redis", readiness);
            assert.deepStrictEqual([exit.code, exit.stderr], [0, ""]);
        });

        it(`the ${stack} PostgreSQL sidecar sets a rotated password on the role over the local socket: it logs in${tls ? " over TLS" : ""}, the old one no longer does`, async () => {
            const first = r.secrets.get(secretKey("voting-data", "postgres-auth"))!.POSTGRES_PASSWORD;
            rotate(r, pg, "postgres-auth", "POSTGRES_PASSWORD", NEW_PG[0]);
            await eventually("PostgreSQL accepting the rotated password", async () => (await pgLogin(pg, tls, NEW_PG[0])).code === 0);
            assert.deepStrictEqual(await pgLogin(pg, tls, NEW_PG[0]), { code: 0, stdout: `${tls ? "t" : "f"}\n`, stderr: "" });
            const old = await pgLogin(pg, tls, first);
            assert.strictEqual(old.code, 2);
            assert.match(old.stdout, /password authentication failed for user "voting"/);
            const logs = [...pg.containers.values()].map((c) => c.log()).join("\n");
            assert.match(logs, /role voting took the new password/);
            for (const pw of [first, NEW_PG[0]]) assert.ok(!logs.includes(pw), "a password appears in the PostgreSQL pod's logs");
        });

        it(`the ${stack} consumer pods started before a PostgreSQL rotation open no new connection until they restart with the new Secret (the window the runbook describes)`, async () => {
            const stale = await r.runInPodOf("voting-consumer", "consumer", "consumer", ["/bin/sh", "-c", PG_PING]);
            assert.strictEqual(stale.code, 2);
            assert.match(stale.stdout, /password authentication failed for user "voting"/);
        });

        it(`the ${stack} PostgreSQL takes the Secret's password at start when it changed while the server was down`, async () => {
            await Promise.all([...pg.containers.values()].map((c) => c.stop()));
            const data = r.secrets.get(secretKey("voting-data", "postgres-auth"))!;
            r.secrets.set(secretKey("voting-data", "postgres-auth"), { ...data, POSTGRES_PASSWORD: NEW_PG[1] });
            pg = await r.startStatefulSet("voting-data", "postgres");
            assert.deepStrictEqual(await pgLogin(pg, tls, NEW_PG[1]), { code: 0, stdout: `${tls ? "t" : "f"}\n`, stderr: "" });
            assert.match((await pgLogin(pg, tls, NEW_PG[0])).stdout, /password authentication failed for user "voting"/);
        });
    });
}
