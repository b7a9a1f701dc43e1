import * as assert from "assert";
import type { K8sObject } from "../../policies/lib/k8s";
import { kubernetesObjects } from "../../tools/lib/render";
import { PROD_REMOTE, PYTHON, Rehearsal, requireRehearsalTools, transcript } from "../helpers/rehearsal";
import type { Exit } from "../helpers/sandbox";
import { rendered } from "../helpers/render";

const SERVERS = ["postgres-tls", "redis-tls"];

/** The rendered prod objects with the server Certificates changed by `change`, and a bootstrap that tries once. */
async function prodWith(change: (cert: K8sObject) => void, extra: K8sObject[] = []): Promise<K8sObject[]> {
    const objects: K8sObject[] = JSON.parse(JSON.stringify(kubernetesObjects(await rendered("prod"))));
    for (const o of objects) {
        if (o.kind === "Certificate" && o.metadata?.namespace === "voting-data" && SERVERS.includes(o.metadata.name!)) change(o);
        // One attempt instead of thirty: the refusal shows in a second rather than a minute.
        if (o.kind === "Job" && (o.metadata?.name === "stream-bootstrap" || o.metadata?.name?.startsWith("schema-migrate-")))
            o.spec.template.spec.containers[0].env.push({ name: "ATTEMPTS", value: "1" });
    }
    return [...objects, ...extra];
}

/** A second CA in voting-data that has nothing to do with the data CA. */
const ROGUE_CA: K8sObject[] = [
    { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: { name: "rogue-selfsigned", namespace: "voting-data" }, spec: { selfSigned: {} } },
    {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "rogue-ca", namespace: "voting-data" },
        spec: { isCA: true, commonName: "rogue CA", secretName: "rogue-ca", issuerRef: { name: "rogue-selfsigned", kind: "Issuer" } },
    },
    {
        apiVersion: "cert-manager.io/v1",
        kind: "Issuer",
        metadata: { name: "rogue", namespace: "voting-data" },
        spec: { ca: { secretName: "rogue-ca" } },
    },
];

/** Runs one step of a post-deploy check Job (`verify-<check>-<release>`) as its own pod. */
async function runCheckStep(r: Rehearsal, check: string, stepName: string): Promise<Exit> {
    const job = r.objects.find((o) => o.kind === "Job" && o.metadata?.name?.startsWith(`verify-${check}-`))!;
    const template = JSON.parse(JSON.stringify(job.spec.template));
    const steps = [...(template.spec.initContainers ?? []), ...template.spec.containers];
    template.spec.initContainers = [];
    template.spec.containers = steps.filter((c: any) => c.name === stepName);
    return (await r.runPod("voting-api", `${job.metadata!.name}-${stepName}`, template)).containers[0].exit;
}

/** The performance check's record step after a stand-in of its load step (which needs the app) leaves figures in /work. */
async function runRecordStep(r: Rehearsal): Promise<Exit> {
    const job = r.objects.find((o) => o.kind === "Job" && o.metadata?.name?.startsWith("verify-performance-"))!;
    const template = JSON.parse(JSON.stringify(job.spec.template));
    const record = template.spec.containers.find((c: any) => c.name === "record");
    template.spec.initContainers = [
        { ...record, name: "load", command: ["/bin/sh", "-c", "echo '100 10 0 1.000 2.000 3.000 300.00' >/work/baseline"] },
    ];
    template.spec.containers = [record];
    const run = await r.runPod("voting-api", `${job.metadata!.name}-record`, template);
    assert.strictEqual(run.containers[0].exit.code, 0, transcript(run));
    return run.containers[1].exit;
}

const migrationJob = (r: Rehearsal): string =>
    r.objects.find((o) => o.kind === "Job" && o.metadata?.name?.startsWith("schema-migrate-"))!.metadata!.name!;

const PG_SSL = 'psql -X -A -t -c "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()" "$DATABASE_URL"';
const REDIS_PING = "import os, redis; print(redis.from_url(os.environ['REDIS_URL']).ping())";

describe("rehearsal of prod's data-layer TLS: clients refuse servers they must not trust", function () {
    describe("servers whose certificates another CA signed", function () {
        let r: Rehearsal;
        before(async function () {
            requireRehearsalTools(this);
            r = await Rehearsal.start(
                await prodWith((c) => (c.spec.issuerRef = { name: "rogue", kind: "Issuer", group: "cert-manager.io" }), ROGUE_CA),
                { remote: PROD_REMOTE },
            );
            await Promise.all([r.startStatefulSet("voting-data", "redis"), r.startStatefulSet("voting-data", "postgres")]);
        });
        after(async () => r?.stop());

        it("the prod stream-bootstrap Job refuses a Redis whose certificate another CA signed", async () => {
            const exit = (await r.runJob("voting-consumer", "stream-bootstrap")).containers[0].exit;
            assert.strictEqual(exit.code, 1);
            assert.match(exit.stderr, /^redis did not accept XGROUP CREATE: .*SSL_connect failed: certificate verify failed\n$/);
        });

        it("the prod backup CronJob refuses a PostgreSQL whose certificate another CA signed", async () => {
            const run = await r.runCronJob("voting-data", "postgres-backup");
            assert.deepStrictEqual(
                run.containers.map((c) => [c.name, c.exit.code]),
                [["dump", 1]],
                transcript(run),
            );
            assert.match(run.containers[0].exit.stderr, /certificate verify failed/);
        });

        it("the prod API's connection strings refuse PostgreSQL and Redis whose certificates another CA signed", async () => {
            const pg = await r.runInPodOf("voting-api", "api", "api", ["/bin/sh", "-c", PG_SSL]);
            assert.strictEqual(pg.code, 2);
            assert.match(pg.stderr, /certificate verify failed/);
            const redis = await r.runInPodOf("voting-api", "api", "api", [PYTHON, "-c", REDIS_PING]);
            assert.strictEqual(redis.code, 1);
            assert.match(redis.stderr, /certificate verify failed/);
        });

        it("the prod schema-migrate Job refuses a PostgreSQL whose certificate another CA signed, and migrates nothing", async () => {
            const exit = (await r.runJob("voting-api", migrationJob(r))).containers[0].exit;
            assert.deepStrictEqual([exit.code, exit.stdout], [1, ""]);
            assert.match(exit.stderr, /^PostgreSQL did not accept connections; no migration ran: psql: error: .*certificate verify failed\n$/);
        });

        it("the prod end-to-end check's Redis and PostgreSQL steps refuse servers whose certificates another CA signed", async () => {
            const redis = await runCheckStep(r, "e2e", "stream-baseline");
            assert.strictEqual(redis.code, 1);
            assert.match(redis.stdout, /^FAIL {2}Redis did not answer PING: .*SSL_connect failed: certificate verify failed\n$/);
            const pg = await runCheckStep(r, "e2e", "count-baseline");
            assert.strictEqual(pg.code, 2);
            assert.match(pg.stderr, /certificate verify failed/);
        });

        it("the prod performance check's record step refuses a PostgreSQL whose certificate another CA signed, and fails", async () => {
            const exit = await runRecordStep(r);
            assert.strictEqual(exit.code, 1);
            assert.match(
                exit.stdout,
                /^FAIL {2}could not record the baseline of verify-[0-9a-f]{8}-performance: psql: error: .*certificate verify failed\n$/,
            );
        });
    });

    describe("servers whose data-CA certificates carry another name", function () {
        let r: Rehearsal;
        before(async function () {
            requireRehearsalTools(this);
            r = await Rehearsal.start(await prodWith((c) => (c.spec.dnsNames = [`${c.metadata!.name!.replace(/-tls$/, "")}.elsewhere.example`])), {
                remote: PROD_REMOTE,
            });
            await Promise.all([r.startStatefulSet("voting-data", "redis"), r.startStatefulSet("voting-data", "postgres")]);
        });
        after(async () => r?.stop());

        it("the prod backup CronJob refuses a PostgreSQL certificate issued for another name (sslmode=verify-full)", async () => {
            const run = await r.runCronJob("voting-data", "postgres-backup");
            assert.deepStrictEqual(
                run.containers.map((c) => [c.name, c.exit.code]),
                [["dump", 1]],
                transcript(run),
            );
            assert.match(
                run.containers[0].exit.stderr,
                /server certificate for "postgres\.elsewhere\.example" does not match host name "postgres\.voting-data\.svc\.cluster\.local"/,
            );
        });

        it("the prod consumer's connection strings refuse PostgreSQL and Redis certificates issued for another name", async () => {
            const pg = await r.runInPodOf("voting-consumer", "consumer", "consumer", ["/bin/sh", "-c", PG_SSL]);
            assert.strictEqual(pg.code, 2);
            assert.match(pg.stderr, /does not match host name "postgres\.voting-data\.svc\.cluster\.local"/);
            const redis = await r.runInPodOf("voting-consumer", "consumer", "consumer", [PYTHON, "-c", REDIS_PING]);
            assert.strictEqual(redis.code, 1);
            assert.match(redis.stderr, /Hostname mismatch|doesn't match/);
        });

        it("the prod schema-migrate Job and the smoke check's PostgreSQL step refuse a certificate issued for another name (sslmode=verify-full)", async () => {
            const migrate = (await r.runJob("voting-api", migrationJob(r))).containers[0].exit;
            assert.strictEqual(migrate.code, 1);
            assert.match(
                migrate.stderr,
                /^PostgreSQL did not accept connections; no migration ran: psql: error: .*server certificate for "postgres\.elsewhere\.example" does not match host name "postgres\.voting-data\.svc\.cluster\.local"\n$/,
            );
            const smoke = await runCheckStep(r, "smoke", "consumer");
            assert.strictEqual(smoke.code, 2);
            assert.match(smoke.stderr, /does not match host name "postgres\.voting-data\.svc\.cluster\.local"/);
        });

        it("the prod performance check's record step refuses a PostgreSQL certificate issued for another name (sslmode=verify-full), and fails", async () => {
            const exit = await runRecordStep(r);
            assert.strictEqual(exit.code, 1);
            assert.match(
                exit.stdout,
                /^FAIL {2}could not record the baseline of verify-[0-9a-f]{8}-performance: psql: error: .*server certificate for "postgres\.elsewhere\.example" does not match host name "postgres\.voting-data\.svc\.cluster\.local"\n$/,
            );
        });

        it("the prod end-to-end check's redis-cli, like the stream bootstrap's, checks the chain only and accepts a data-CA certificate for another name", async () => {
            const exit = await runCheckStep(r, "e2e", "stream-baseline");
            // Past the TLS handshake: the stream has no group yet because this rehearsal ran no bootstrap.
            assert.deepStrictEqual([exit.code, exit.stdout], [1, "FAIL  consumer group vote-processors does not exist on stream votes\n"]);
        });

        it("the prod stream-bootstrap's redis-cli checks the chain only, so it accepts a data-CA certificate for another name (a limit of redis-cli)", async () => {
            const exit = (await r.runJob("voting-consumer", "stream-bootstrap")).containers[0].exit;
            assert.deepStrictEqual([exit.code, exit.stdout], [0, "created stream votes with consumer group vote-processors\n"]);
        });
    });
});
