import * as assert from "assert";
import type { K8sObject } from "../../policies/lib/k8s";
import { kubernetesObjects } from "../../tools/lib/render";
import { PROD_REMOTE, Rehearsal, requireRehearsalTools, transcript, type PodRun, type ServerPod } from "../helpers/rehearsal";
import { rendered } from "../helpers/render";

/**
 * The schema migration and the data steps of the post-deploy checks, run from their rendered pod specs
 * (env, Secret keys, volumes, mounts, users) against the rendered PostgreSQL and Redis: in prod over TLS
 * with the certificates the cert-manager stand-in issued from the data CA, in staging over plain TCP.
 * The steps that go through the public path (curl to the ingress) need the app; the API's and the
 * consumer's part is played by a stand-in step in their place, which appends a marked entry to the
 * stream, stores it in PostgreSQL and acknowledges it, with the rendered data steps' URLs and mounts.
 */

type Container = Record<string, any>;

const jobNamed = (objects: readonly K8sObject[], prefix: string): K8sObject => {
    const job = objects.find((o) => o.kind === "Job" && o.metadata?.namespace === "voting-api" && o.metadata.name?.startsWith(`${prefix}-`));
    if (!job) throw new Error(`no Job ${prefix}-<release> in voting-api`);
    return job;
};

const stepsOf = (job: K8sObject): Container[] => [...(job.spec.template.spec.initContainers ?? []), ...job.spec.template.spec.containers];

/** Runs `steps` as one pod of the Job's template, in order, each but the last as an init container. */
function runSteps(r: Rehearsal, job: K8sObject, steps: Container[], pod: string): Promise<PodRun> {
    const template = JSON.parse(JSON.stringify(job.spec.template));
    template.spec.initContainers = steps.slice(0, -1);
    template.spec.containers = steps.slice(-1);
    return r.runPod("voting-api", pod, template);
}

const step = (job: K8sObject, name: string): Container => {
    const c = stepsOf(job).find((x) => x.name === name);
    if (!c) throw new Error(`Job ${job.metadata!.name} has no step ${name}`);
    return c;
};

/** The app's part of a vote: the API appends it to the stream, the consumer reads, stores and acknowledges it. */
const APP_STAND_IN = `set -eu
tls=""; case "$REDIS_URL" in rediss://*) tls="--tls --cacert $REDIS_CA_FILE" ;; esac
cli() { redis-cli $tls --no-auth-warning --raw -u "$REDIS_URL" "$@"; }
id=$(cli XADD "$STREAM" '*' option "$OPTION" test_run "$TEST_RUN")
cli XREADGROUP GROUP "$GROUP" stand-in COUNT 1000 STREAMS "$STREAM" '>' >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -v id="$id" -v option="$OPTION" -v run="$TEST_RUN" -d "$DATABASE_URL" <<'SQL'
INSERT INTO vote_events (message_id, option, test_run) VALUES (:'id', :'option', :'run');
UPDATE votes SET count = count + 1 WHERE option = :'option';
SQL
cli XACK "$STREAM" "$GROUP" "$id" >/dev/null
echo "stand-in app: $id appended, stored and acknowledged"
`;

/** The stand-in step for `replaced`: Redis's step image, env and mounts, plus the PostgreSQL step's DATABASE_URL. */
function appStandIn(replaced: string, redisStep: Container, pgStep: Container, option: string): Container {
    const env = [
        ...redisStep.env.filter((e: any) => e.name !== "TEST_RUN"),
        ...pgStep.env.filter((e: any) => e.name === "DATABASE_URL"),
        { name: "OPTION", value: option },
        redisStep.env.find((e: any) => e.name === "TEST_RUN") ?? pgStep.env.find((e: any) => e.name === "TEST_RUN"),
    ];
    return { ...redisStep, name: replaced, command: ["/bin/sh", "-c", APP_STAND_IN], env };
}

async function sql(pg: ServerPod, statement: string): Promise<string> {
    const r = await pg.exec("postgres", [
        "/bin/sh",
        "-c",
        'PGPASSWORD="$POSTGRES_PASSWORD" psql -X -A -t -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c "$0"',
        statement,
    ]);
    if (r.code !== 0) throw new Error(`psql failed: ${r.stderr}`);
    return r.stdout.trim();
}

const outputs = (run: PodRun) => run.containers.map((c) => [c.name, c.exit.code, c.exit.stdout]);

for (const stack of ["staging", "prod"]) {
    const tls = stack === "prod";
    const over = tls ? "over TLS verified against the data CA" : "over plain TCP";

    describe(`rehearsal of the ${stack} migration and post-deploy checks against the rendered PostgreSQL and Redis`, function () {
        let r: Rehearsal;
        let pg: ServerPod;
        let objects: K8sObject[];

        before(async function () {
            requireRehearsalTools(this);
            objects = kubernetesObjects(await rendered(stack));
            r = await Rehearsal.start(objects, { remote: PROD_REMOTE });
            [, pg] = await Promise.all([r.startStatefulSet("voting-data", "redis"), r.startStatefulSet("voting-data", "postgres")]);
        });
        after(async () => r?.stop());

        it(`renders the data CA bundle into the migration's and the data steps' pods ${tls ? "in prod, and REDIS_CA_FILE on the Redis steps" : "nowhere in staging"}`, () => {
            const mounted = (c: Container) => (c.volumeMounts ?? []).some((m: any) => m.name === "data-ca" && m.mountPath === "/tls" && m.readOnly);
            const migrate = jobNamed(objects, "schema-migrate");
            const e2e = jobNamed(objects, "verify-e2e");
            const smoke = jobNamed(objects, "verify-smoke");
            const performance = jobNamed(objects, "verify-performance");
            assert.deepStrictEqual(
                [...stepsOf(migrate), ...stepsOf(smoke), ...stepsOf(performance), ...stepsOf(e2e)].map((c) => [c.name, mounted(c)]),
                [
                    ["migrate", tls],
                    ["http", false],
                    ["input", false],
                    ["consumer", tls],
                    ["load", false],
                    ["record", tls],
                    ["stream-baseline", tls],
                    ["count-baseline", tls],
                    ["vote", false],
                    ["stream", tls],
                    ["count", tls],
                    ["results", false],
                    ["cleanup", tls],
                ],
            );
            assert.deepStrictEqual(
                stepsOf(e2e).map((c) => c.env.find((e: any) => e.name === "REDIS_CA_FILE")?.value),
                [tls ? "/tls/ca.crt" : undefined, undefined, undefined, tls ? "/tls/ca.crt" : undefined, undefined, undefined, undefined],
            );
        });

        it(`runs the ${stack} schema-migrate Job as its pod spec says ${over}, applying every migration`, async () => {
            const job = jobNamed(objects, "schema-migrate");
            const run = await r.runJob("voting-api", job.metadata!.name!);
            const exit = run.containers[0].exit;
            assert.deepStrictEqual(
                [exit.code, exit.stdout, exit.stderr],
                [
                    0,
                    "applied migration 1 (votes)\napplied migration 2 (vote_events)\napplied migration 3 (performance_baselines)\nschema at version 3\n",
                    "",
                ],
            );
            assert.strictEqual(await sql(pg, "SELECT string_agg(option || '=' || count, ',' ORDER BY option) FROM votes"), "cats=0,dogs=0");
        });

        it(`runs the ${stack} smoke Job's consumer step ${over}, finding the processed event of its test run`, async () => {
            const job = jobNamed(objects, "verify-smoke");
            const bootstrap = await r.runJob("voting-consumer", "stream-bootstrap");
            assert.ok(bootstrap.succeeded, transcript(bootstrap));
            const consumer = step(job, "consumer");
            const redisStep = step(jobNamed(objects, "verify-e2e"), "stream");
            const standIn = appStandIn("http", { ...redisStep, env: [...redisStep.env.filter((e: any) => e.name !== "TEST_RUN")] }, consumer, "dogs");
            const run = await runSteps(r, job, [standIn, consumer], "verify-smoke-rehearsal");
            const run_id = consumer.env.find((e: any) => e.name === "TEST_RUN").value;
            assert.ok(run.succeeded, transcript(run));
            assert.match(run.containers[1].exit.stdout, new RegExp(`^ok    the consumer processed stream entry \\d+-\\d+ \\(${run_id}, dogs\\)\\n$`));
        });

        it(`runs the ${stack} performance Job's record step ${over}, keeping the figures the load step left in /work as a row of performance_baselines`, async () => {
            const job = jobNamed(objects, "verify-performance");
            const record = step(job, "record");
            // The same connection as the end-to-end check's PostgreSQL steps: the Secret's DATABASE_URL (verify-full in prod).
            assert.deepStrictEqual(
                record.env.find((e: any) => e.name === "DATABASE_URL"),
                step(jobNamed(objects, "verify-e2e"), "count").env.find((e: any) => e.name === "DATABASE_URL"),
            );
            // The load step needs the app behind the frontend: a stand-in in its place leaves known figures where it would.
            const load = { ...record, name: "load", command: ["/bin/sh", "-c", "echo '100 10 0 12.345 48.100 61.007 212.50' >/work/baseline"] };
            const run = await runSteps(r, job, [load, record], "verify-performance-rehearsal");
            assert.ok(run.succeeded, transcript(run));
            const runId = record.env.find((e: any) => e.name === "TEST_RUN").value;
            const version = tls ? "0.5.1" : "0.6.0-rc.1";
            assert.strictEqual(job.metadata!.labels!["voting-platform.io/app-version"], version);
            assert.strictEqual(
                run.containers[1].exit.stdout,
                `ok    recorded the baseline of ${runId}: P50 12.345 P95 48.100 P99 61.007 ms, 212.50 req/s\n`,
            );
            assert.strictEqual(
                await sql(
                    pg,
                    "SELECT test_run || ' ' || app_version || ' ' || requests || ' ' || concurrency || ' ' || failed || ' ' || p50_ms || ' ' || p95_ms || ' ' || p99_ms || ' ' || rate_rps FROM performance_baselines",
                ),
                `${runId} ${version} 100 10 0 12.345 48.100 61.007 212.50`,
            );
        });

        it(`runs the ${stack} end-to-end Job's Redis and PostgreSQL steps ${over}: baseline, the entry drained, stored, counted, and every test vote removed`, async () => {
            const job = jobNamed(objects, "verify-e2e");
            // GET /api/results needs the app: test/components/verify/publicTls.spec.ts runs that step against a stand-in of it.
            const steps = stepsOf(job)
                .filter((c) => c.name !== "results")
                .map((c) => (c.name === "vote" ? appStandIn("vote", step(job, "stream"), step(job, "count"), "cats") : c));
            const run = await runSteps(r, job, steps, "verify-e2e-rehearsal");
            assert.ok(run.succeeded, transcript(run));
            const out = outputs(run);
            assert.deepStrictEqual(
                out.map(([name, code]) => [name, code]),
                [
                    ["stream-baseline", 0],
                    ["count-baseline", 0],
                    ["vote", 0],
                    ["stream", 0],
                    ["count", 0],
                    ["cleanup", 0],
                ],
            );
            assert.match(String(out[0][2]), /^ok    stream votes has group vote-processors; last entry before the test vote: \d+-\d+\n$/);
            assert.strictEqual(out[1][2], "ok    PostgreSQL counts cats=0 before the test vote\n");
            assert.match(
                String(out[3][2]),
                /^ok    the vote reached stream votes as entry \d+-\d+\nok    group vote-processors has nothing pending and has read up to \d+-\d+ \(zero lag\)\n$/,
            );
            assert.match(String(out[4][2]), /^ok    the consumer stored entry \d+-\d+ and PostgreSQL counts cats=1 \(was 0\)\n$/);
            assert.strictEqual(out[5][2], "ok    removed 2 test vote(s) and restored the counts\n");
            assert.strictEqual(await sql(pg, "SELECT string_agg(option || '=' || count, ',' ORDER BY option) FROM votes"), "cats=0,dogs=0");
            assert.strictEqual(await sql(pg, "SELECT count(*) FROM vote_events"), "0");
        });
    });
}
