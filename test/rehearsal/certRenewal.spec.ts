import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { DATA_CA_BUNDLE, DATA_CA_ISSUER } from "../../components/data/dataTls";
import { SYNC_INTERVAL_SECONDS } from "../../components/data/passwordSync";
import type { K8sObject } from "../../policies/lib/k8s";
import { kubernetesObjects } from "../../tools/lib/render";
import { PROD_REMOTE, PYTHON, Rehearsal, requireRehearsalTools, type ServerPod } from "../helpers/rehearsal";
import { rendered } from "../helpers/render";
import { CLUSTER_RESOURCE_NAMESPACE, issue, secretKey } from "../helpers/standins";

const DATA = "voting-data";
const HOST = { postgres: `postgres.${DATA}.svc.cluster.local`, redis: `redis.${DATA}.svc.cluster.local` } as const;
type Server = keyof typeof HOST;

/**
 * How long to wait for a sidecar's pass to act before calling it stuck: a few passes (each the interval,
 * then its own work: a reload, a second look at the server), so a loaded machine does not fail a pass that
 * comes late. A bound against hanging, not a claim about speed.
 */
const WITHIN_MS = SYNC_INTERVAL_SECONDS * 1000 * 6;

/** Polls `check` until it returns true or `ms` pass; returns the time it took. */
async function eventually(what: string, check: () => Promise<boolean>, ms = WITHIN_MS): Promise<number> {
    const start = Date.now();
    while (!(await check())) {
        if (Date.now() - start > ms) assert.fail(`${what} did not happen within ${ms / 1000} s`);
        await new Promise((res) => setTimeout(res, 250));
    }
    return Date.now() - start;
}

const opensslOut = (args: string[], input: string): string => {
    const r = spawnSync("openssl", args, { input, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
    return r.stdout;
};

/** `serial=…`, as `openssl x509 -serial` prints it and the sidecar's log names it. */
const serialOf = (pem: string): string => opensslOut(["x509", "-noout", "-serial"], pem).trim();

/**
 * cert-manager renewing `<server>-tls`: a new key and certificate from the data CA, for what the
 * Certificate asks (names, usages, duration), with the CA certificate beside them.
 */
function renew(r: Rehearsal, server: Server): Record<string, string> {
    const cert = r.find("Certificate", DATA, `${server}-tls`);
    const ca = r.secrets.get(secretKey(CLUSTER_RESOURCE_NAMESPACE, DATA_CA_ISSUER))!;
    return issue(path.join(r.workDir, "pki"), cert.spec, { crt: ca["tls.crt"], key: ca["tls.key"] });
}

let generation = 0;

/**
 * What the kubelet does to a Secret volume after cert-manager rewrote the Secret (its atomic writer): the
 * new files go into a fresh directory with the volume's mode and group, the `..data` symlink is swapped
 * to it in one rename, and each file name is a symlink through `..data`; the old directory goes. The
 * Secret changes too, so a container started later reads the new files.
 */
function swapTlsVolume(r: Rehearsal, pod: ServerPod, files: Record<string, string>): void {
    const dir = path.join(r.workDir, "pods", pod.namespace, pod.name, "volumes", "tls");
    const { gid, mode } = fs.statSync(path.join(dir, "tls.key"));
    const data = path.join(dir, "..data");
    const before = fs.existsSync(data) ? fs.readlinkSync(data) : undefined;
    const fresh = `..rehearsal_${process.pid}_${++generation}`;
    fs.mkdirSync(path.join(dir, fresh), { mode: 0o755 });
    for (const [key, content] of Object.entries(files)) {
        const file = path.join(dir, fresh, key);
        fs.writeFileSync(file, content);
        fs.chownSync(file, 0, gid);
        fs.chmodSync(file, mode & 0o777);
    }
    fs.symlinkSync(fresh, path.join(dir, "..data_tmp"));
    fs.renameSync(path.join(dir, "..data_tmp"), data);
    for (const key of Object.keys(files)) {
        const link = path.join(dir, key);
        if (fs.lstatSync(link).isSymbolicLink()) continue;
        fs.symlinkSync(path.join("..data", key), `${link}.tmp`);
        fs.renameSync(`${link}.tmp`, link);
    }
    if (before) fs.rmSync(path.join(dir, before), { recursive: true });
    r.secrets.set(secretKey(pod.namespace, `${pod.name.replace(/-0$/, "")}-tls`), { ...files });
}

/**
 * What a client in the API's namespace sees on a new connection to `server`, verifying it against the
 * namespace's data CA bundle and checking the host name: `openssl s_client` (STARTTLS for PostgreSQL).
 */
async function seen(r: Rehearsal, server: Server): Promise<{ verified: boolean; serial: string }> {
    const host = HOST[server];
    const starttls = server === "postgres" ? "-starttls postgres " : "";
    const port = server === "postgres" ? 5432 : 6379;
    const ca = r.secrets.get(secretKey("voting-api", DATA_CA_BUNDLE.secretName))!["ca.crt"];
    const exit = await r.runTools(
        "voting-api",
        [
            "/bin/sh",
            "-c",
            `out=$(openssl s_client ${starttls}-connect ${host}:${port} -servername ${host} -CAfile /work/ca.crt -verify_hostname ${host} ` +
                `-verify_return_error </dev/null 2>&1); if printf '%s\\n' "$out" | grep -qx 'Verify return code: 0 (ok)'; then echo verified; else echo refused; fi; printf '%s\\n' "$out" | openssl x509 -noout -serial`,
        ],
        { "ca.crt": ca },
    );
    const [verdict, serial] = exit.stdout.split("\n");
    return { verified: verdict === "verified", serial: serial ?? "" };
}

/** The postmaster's PID and start time, and when it last loaded its configuration. */
const postgresProcess = async (pg: ServerPod) =>
    (
        await pg.exec("postgres", [
            "/bin/sh",
            "-c",
            `head -1 "$PGDATA/postmaster.pid"; PGPASSWORD="$(cat /auth/POSTGRES_PASSWORD)" psql -w -X -A -t -h /var/run/postgresql -U "$POSTGRES_USER" -d "$POSTGRES_DB" ` +
                `-c 'SELECT pg_postmaster_start_time(), pg_conf_load_time()'`,
        ])
    ).stdout
        .trim()
        .split(/\n|\|/);

/** Redis' PID and run id (a new id each time the server starts). */
const redisProcess = async (redis: ServerPod) =>
    (
        await redis.exec("redis", [
            "/bin/sh",
            "-c",
            `REDISCLI_AUTH="$(cat /auth/password)" redis-cli -s /run/redis/redis.sock --no-auth-warning INFO server | grep -E '^(process_id|run_id):' | tr -d '\\r'`,
        ])
    ).stdout
        .trim()
        .split("\n");

const PG_SSL = 'psql -X -A -t -c "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()" "$DATABASE_URL"';
const REDIS_PING = "import os, redis; print(redis.from_url(os.environ['REDIS_URL']).ping())";

describe("rehearsal of a prod certificate renewal: the data servers take the renewed certificate without a restart", function () {
    let r: Rehearsal;
    let pod: Record<Server, ServerPod>;
    const started: Partial<Record<Server, string>> = {};
    const sidecarLog = (server: Server) => pod[server].containers.get("password-sync")!.log();

    /**
     * Renews `server`'s certificate from the data CA, swaps it into its pod's tls volume as the kubelet does,
     * and waits until a new verifying client sees it; returns the renewed certificate's serial.
     */
    async function renewAndSee(server: Server): Promise<string> {
        const renewed = renew(r, server);
        swapTlsVolume(r, pod[server], renewed);
        const serial = serialOf(renewed["tls.crt"]);
        const took = await eventually(`${server} serving the renewed certificate`, async () => (await seen(r, server)).serial === serial);
        console.log(`      ${server} served the renewed certificate ${(took / 1000).toFixed(1)} s after the swap`);
        assert.deepStrictEqual(await seen(r, server), { verified: true, serial });
        return serial;
    }

    before(async function () {
        requireRehearsalTools(this);
        r = await Rehearsal.start(kubernetesObjects(await rendered("prod")), { remote: PROD_REMOTE });
        const [redis, postgres] = await Promise.all([r.startStatefulSet(DATA, "redis"), r.startStatefulSet(DATA, "postgres")]);
        pod = { redis, postgres };
        for (const s of ["postgres", "redis"] as const) started[s] = serialOf(r.secrets.get(secretKey(DATA, `${s}-tls`))!["tls.crt"]);
    });
    after(async () => r?.stop());

    it("the prod PostgreSQL serves a renewed data-CA certificate to new verify-full connections, with the same postmaster", async () => {
        const serving = new RegExp(`^PostgreSQL serves the certificate in /tls: ${started.postgres}, valid until .+ GMT$`, "m");
        await eventually("the PostgreSQL sidecar seeing the server serve its certificate", async () => serving.test(sidecarLog("postgres")), 30_000);
        assert.deepStrictEqual(await seen(r, "postgres"), { verified: true, serial: started.postgres });
        const [pid, startTime, loadedAt] = await postgresProcess(pod.postgres);
        assert.match(pid, /^\d+$/);
        assert.match(startTime, /^\d{4}-\d\d-\d\d /);
        const renewedSerial = await renewAndSee("postgres");
        const [pidAfter, startAfter, loadedAfter] = await postgresProcess(pod.postgres);
        assert.deepStrictEqual([pidAfter, startAfter], [pid, startTime], "the postmaster restarted");
        assert.notStrictEqual(loadedAfter, loadedAt, "PostgreSQL did not reload its configuration");
        assert.ok(pod.postgres.containers.get("postgres")!.running);
        const api = await r.runInPodOf("voting-api", "api", "api", ["/bin/sh", "-c", PG_SSL]);
        assert.deepStrictEqual([api.code, api.stdout], [0, "t\n"], api.stderr);
        const tookLine = new RegExp(`^PostgreSQL took the certificate in /tls without a restart: ${renewedSerial}, valid until .+ GMT$`, "m");
        await eventually("the PostgreSQL sidecar saying the server took the certificate", async () => tookLine.test(sidecarLog("postgres")));
        const log = sidecarLog("postgres");
        assert.strictEqual(log.split(`without a restart: ${renewedSerial}`).length, 2, "the renewal is said more than once");
        assert.ok(!/PRIVATE KEY/.test(log), "key material appears in the sidecar's log");
    });

    it("the prod Redis serves a renewed data-CA certificate to new verified connections, with the same server process", async () => {
        await eventually(
            "the Redis sidecar loading the certificate it started with",
            async () => /^Redis serves the certificate in \/tls$/m.test(sidecarLog("redis")),
            30_000,
        );
        assert.deepStrictEqual(await seen(r, "redis"), { verified: true, serial: started.redis });
        const before = await redisProcess(pod.redis);
        assert.match(before.join("\n"), /^process_id:\d+\nrun_id:[0-9a-f]{40}$/);
        await renewAndSee("redis");
        assert.deepStrictEqual(await redisProcess(pod.redis), before, "Redis restarted");
        assert.ok(pod.redis.containers.get("redis")!.running);
        const consumer = await r.runInPodOf("voting-consumer", "consumer", "consumer", [PYTHON, "-c", REDIS_PING]);
        assert.deepStrictEqual([consumer.code, consumer.stdout], [0, "True\n"], consumer.stderr);
        await eventually("the Redis sidecar saying the server took the certificate", async () =>
            /^Redis took the certificate in \/tls without a restart$/m.test(sidecarLog("redis")),
        );
        const log = sidecarLog("redis");
        assert.strictEqual(log.match(/^Redis took the certificate in \/tls without a restart$/gm)?.length, 1);
        assert.ok(!/PRIVATE KEY/.test(log), "key material appears in the sidecar's log");
    });

    it("the prod PostgreSQL and Redis keep serving their certificate when a renewal's key does not match it, their sidecars say so, and take the next matching pair", async () => {
        const serving = { postgres: (await seen(r, "postgres")).serial, redis: (await seen(r, "redis")).serial };
        const mismatched: Partial<Record<Server, Record<string, string>>> = {};
        for (const s of ["postgres", "redis"] as const) {
            const a = renew(r, s);
            const b = renew(r, s);
            mismatched[s] = { ...a, "tls.key": b["tls.key"] };
            swapTlsVolume(r, pod[s], mismatched[s]!);
        }
        const badPg = serialOf(mismatched.postgres!["tls.crt"]);
        await eventually("the PostgreSQL sidecar saying it did not take the certificate", async () =>
            new RegExp(
                `^PostgreSQL did not take the certificate in /tls \\(${badPg}, valid until .+ GMT\\): /tls/tls.key does not match /tls/tls.crt; ` +
                    `it keeps serving ${serving.postgres}, valid until .+ GMT and the next pass tries again$`,
                "m",
            ).test(sidecarLog("postgres")),
        );
        await eventually("the Redis sidecar saying it did not take the certificate", async () =>
            /^Redis refused the certificate in \/tls \(ERR CONFIG SET failed .*\); it keeps serving the one it has and the next pass tries again$/m.test(
                sidecarLog("redis"),
            ),
        );
        for (const s of ["postgres", "redis"] as const) assert.deepStrictEqual(await seen(r, s), { verified: true, serial: serving[s] });

        const fixed = { postgres: renew(r, "postgres"), redis: renew(r, "redis") };
        for (const s of ["postgres", "redis"] as const) swapTlsVolume(r, pod[s], fixed[s]);
        for (const s of ["postgres", "redis"] as const)
            await eventually(`${s} serving the matching pair`, async () => (await seen(r, s)).serial === serialOf(fixed[s]["tls.crt"]));
        for (const s of ["postgres", "redis"] as const)
            assert.deepStrictEqual(await seen(r, s), { verified: true, serial: serialOf(fixed[s]["tls.crt"]) });
        const tookFixed = new RegExp(`^PostgreSQL took the certificate in /tls without a restart: ${serialOf(fixed.postgres["tls.crt"])},`, "m");
        await eventually("the PostgreSQL sidecar saying the server took the matching pair", async () => tookFixed.test(sidecarLog("postgres")));
        await eventually(
            "the Redis sidecar saying the server took the matching pair",
            async () => sidecarLog("redis").match(/^Redis took the certificate in \/tls without a restart$/gm)?.length === 2,
        );
    });
});

describe("rendered data servers: only prod's watch their certificate", function () {
    const sidecar = (objects: readonly K8sObject[], server: Server) =>
        objects
            .find((o) => o.kind === "StatefulSet" && o.metadata?.namespace === DATA && o.metadata?.name === server)!
            .spec.template.spec.containers.find((c: any) => c.name === "password-sync");

    it("the prod password-sync sidecars mount the server's tls volume read-only and reload the certificate in each pass", async () => {
        const objects = kubernetesObjects(await rendered("prod"));
        for (const s of ["postgres", "redis"] as const) {
            const c = sidecar(objects, s);
            assert.deepStrictEqual(
                c.volumeMounts.filter((m: any) => m.name === "tls"),
                [{ name: "tls", mountPath: "/tls", readOnly: true }],
            );
            assert.match(c.command[2], /\n {2}tls_pass\n {2}sleep /);
        }
    });

    it("the staging data servers watch no certificate: no tls volume, no mount of it, no reload in their sidecars", async () => {
        const objects = kubernetesObjects(await rendered("staging"));
        for (const s of ["postgres", "redis"] as const) {
            const spec = objects.find((o) => o.kind === "StatefulSet" && o.metadata?.namespace === DATA && o.metadata?.name === s)!.spec.template
                .spec;
            assert.deepStrictEqual(
                spec.volumes.filter((v: any) => v.name === "tls"),
                [],
            );
            for (const c of spec.containers)
                assert.ok(!(c.volumeMounts ?? []).some((m: any) => m.mountPath === "/tls"), `${s}/${c.name} mounts /tls`);
            assert.doesNotMatch(sidecar(objects, s).command[2], /tls|openssl|CONFIG SET|pg_reload_conf/);
        }
    });
});
