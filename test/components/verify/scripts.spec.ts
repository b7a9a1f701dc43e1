import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    E2E_CLEANUP_SCRIPT,
    E2E_COUNT_BASELINE_SCRIPT,
    E2E_COUNT_SCRIPT,
    E2E_STREAM_BASELINE_SCRIPT,
    E2E_STREAM_SCRIPT,
    E2E_RESULTS_SCRIPT,
    E2E_VOTE_SCRIPT,
    INPUT_SCRIPT,
    PERFORMANCE_RECORD_SCRIPT,
    PERFORMANCE_SCRIPT,
    PROCESSED_EVENT_SCRIPT,
    SMOKE_SCRIPT,
} from "../../../components/verify/scripts";
import { runScript, type ScriptResult } from "../../helpers/scripts";
import type { PostgresServer, RedisServer } from "../../helpers/servers";
import { STAND_IN_BODY_LIMIT, startStandInStack, type StandIn, type StandInStack } from "../../helpers/votingStandIn";

/** The checks' shell, run for real against the stand-in of the voting app on a real Redis stream and PostgreSQL. */
describe("post-deploy checks against a stand-in of the voting app (8.1, 8.3, 7.3.3, 7.3.4)", function () {
    let stack: StandInStack;
    let redis: RedisServer;
    let pg: PostgresServer;
    let app: StandIn;
    let databaseUrl: string;

    before(async function () {
        stack = await startStandInStack(this);
        ({ redis, pg, app, databaseUrl } = stack);
    });
    after(async () => stack?.stop());
    afterEach(() => {
        for (const k of Object.keys(app.faults) as (keyof typeof app.faults)[]) delete app.faults[k];
    });

    const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "verify-"));
    const common = () => ({ TMPDIR: tmp(), POLL_SECONDS: "1", OPTION: "cats" });
    const smoke = (run: string, env: Record<string, string> = {}) =>
        runScript(SMOKE_SCRIPT, { ...common(), PUBLIC_URL: app.url, API_URL: app.url, TEST_RUN: run, COUNT_WAIT: "3", ...env });
    const lines = (r: ScriptResult) => r.stdout.trim().split("\n");

    describe("smoke", () => {
        it("passes on a healthy app, counting its marked vote", async () => {
            const r = await smoke("verify-r1-smoke");
            assert.strictEqual(r.code, 0, r.stdout + r.stderr);
            const out = lines(r);
            assert.deepStrictEqual(out.slice(0, 5), [
                "ok    the frontend serves the UI",
                "ok    GET /api/health is ok",
                "ok    GET /ready is ok: the API reaches PostgreSQL and Redis",
                "ok    GET /api/results gives cats=0",
                "ok    POST /api/vote accepted a test vote for cats (202)",
            ]);
            assert.match(out[5], /^ok {4}the vote was counted: cats went from 0 to 1 in \d+ s$/);
            assert.strictEqual(out[6], "smoke: 0 check(s) failed");
        });

        it("finds the consumer's processed event for the smoke vote", async () => {
            const r = await runScript(PROCESSED_EVENT_SCRIPT, { DATABASE_URL: databaseUrl, TEST_RUN: "verify-r1-smoke" });
            assert.strictEqual(r.code, 0, r.stdout + r.stderr);
            const logged = app.consumerLog.find((e) => e.test_run === "verify-r1-smoke")!;
            assert.strictEqual(r.stdout, `ok    the consumer processed stream entry ${logged.message_id} (verify-r1-smoke, cats)\n`);
            assert.deepStrictEqual([logged.event, logged.option], ["vote_processed", "cats"]);
        });

        it("fails, naming the missing event, when the consumer never stored the vote", async () => {
            const r = await runScript(PROCESSED_EVENT_SCRIPT, { DATABASE_URL: databaseUrl, TEST_RUN: "verify-never-sent" });
            assert.deepStrictEqual([r.code, r.stdout], [1, "FAIL  the consumer recorded no processed event for test run verify-never-sent\n"]);
        });

        it("fails when the app drops votes, saying the count did not move", async () => {
            app.faults.dropVotes = true;
            const r = await smoke("verify-r2-smoke");
            assert.strictEqual(r.code, 1);
            assert.match(r.stdout, /\nFAIL  the vote was not counted: cats stayed at 1 for \d+ s\nsmoke: 1 check\(s\) failed\n$/);
        });

        it("fails on every endpoint when the app answers 500, and sends no vote", async () => {
            app.faults.serverError = true;
            const r = await smoke("verify-r3-smoke");
            assert.strictEqual(r.code, 1);
            assert.deepStrictEqual(lines(r), [
                "ok    the frontend serves the UI",
                'FAIL  GET /api/health answered 500: {"detail":"internal error"}',
                'FAIL  GET /ready answered 500: {"detail":"internal error"}',
                'FAIL  GET /api/results answered 500 without a count for cats: {"detail":"internal error"}',
                "smoke: 3 check(s) failed",
            ]);
        });

        it("fails when the API is not ready, and sends no vote", async () => {
            app.faults.notReady = true;
            const r = await smoke("verify-r6-smoke");
            assert.strictEqual(r.code, 1);
            assert.deepStrictEqual(lines(r), [
                "ok    the frontend serves the UI",
                "ok    GET /api/health is ok",
                'FAIL  GET /ready answered 503: {"status":"not ready","detail":"database unreachable"}',
                "ok    GET /api/results gives cats=1",
                "smoke: 1 check(s) failed",
            ]);
        });

        it("fails when the app is slower than the request timeout", async () => {
            app.faults.delayMs = 1500;
            const r = await smoke("verify-r4-smoke", { REQUEST_TIMEOUT: "1" });
            assert.strictEqual(r.code, 1);
            assert.match(r.stdout, /^FAIL {2}GET \/api\/health answered 000: curl: \(28\) Operation timed out after \d+ milliseconds/m);
        });

        it("fails when nothing answers at the public address", async () => {
            const r = await smoke("verify-r5-smoke", { PUBLIC_URL: "http://127.0.0.1:1" });
            assert.strictEqual(r.code, 1);
            assert.match(
                lines(r)[0],
                /^FAIL {2}the frontend serves the UI: GET \/ answered 000: curl: \(7\) Failed to connect to 127\.0\.0\.1 port 1 /,
            );
        });
    });

    const input = (env: Record<string, string> = {}) =>
        runScript(INPUT_SCRIPT, {
            ...common(),
            PUBLIC_URL: app.url,
            TEST_RUN: "verify-r1-smoke",
            BALLOT: "cats dogs",
            MAX_BODY_BYTES: String(STAND_IN_BODY_LIMIT),
            ...env,
        });
    const INPUT_OK = [
        "ok    POST /api/vote refuses an option off the ballot (422)",
        "ok    POST /api/vote refuses a quoted SQL condition in the option (422)",
        "ok    POST /api/vote refuses a stacked SQL statement in the option (422)",
        "ok    POST /api/vote refuses a body that is not JSON (422)",
        "ok    POST /api/vote refuses an option that is not a string (422)",
        `ok    the public path refuses a body of ${STAND_IN_BODY_LIMIT + 1} bytes, over its limit of ${STAND_IN_BODY_LIMIT} (413)`,
        "ok    GET /api/results still lists the ballot and nothing else: cats dogs",
        "input: 0 check(s) failed",
    ];

    describe("input validation (1.3.1, 1.3.2, 7.4.3, 7.4.4)", () => {
        it("passes when the app refuses off-ballot options, SQL fragments, bodies that are not JSON and bodies over the limit", async () => {
            const streamLength = async () =>
                (await runScript(`redis-cli --no-auth-warning -u "$REDIS_URL" XLEN votes`, { REDIS_URL: redis.url })).stdout;
            const before = await streamLength();
            const r = await input();
            assert.strictEqual(r.code, 0, r.stdout + r.stderr);
            assert.deepStrictEqual(lines(r), INPUT_OK);
            assert.strictEqual(await streamLength(), before, "a refused vote reached the stream");
        });

        it("fails, naming each body, when the app takes any option without validating it", async () => {
            app.faults.acceptsAnyOption = true;
            const r = await input();
            assert.strictEqual(r.code, 1);
            assert.deepStrictEqual(lines(r).slice(0, 5), [
                "FAIL  POST /api/vote answered 202 to an option off the ballot, where a 4xx refusal was due",
                "FAIL  POST /api/vote answered 202 to a quoted SQL condition in the option, where a 4xx refusal was due",
                "FAIL  POST /api/vote answered 202 to a stacked SQL statement in the option, where a 4xx refusal was due",
                "FAIL  POST /api/vote answered 202 to a body that is not JSON, where a 4xx refusal was due",
                "FAIL  POST /api/vote answered 202 to an option that is not a string, where a 4xx refusal was due",
            ]);
            assert.strictEqual(lines(r).at(-1), "input: 5 check(s) failed");
        });

        it("fails when a body that is not JSON makes the app answer 500", async () => {
            app.faults.failsOnInvalidJson = true;
            const r = await input();
            assert.strictEqual(r.code, 1);
            assert.deepStrictEqual(
                lines(r).filter((l) => !l.startsWith("ok ")),
                ["FAIL  POST /api/vote answered 500 to a body that is not JSON, where a 4xx refusal was due", "input: 1 check(s) failed"],
            );
        });

        it("fails when the public path takes a body over its limit", async () => {
            app.faults.noBodyLimit = true;
            const r = await input();
            assert.strictEqual(r.code, 1);
            assert.deepStrictEqual(
                lines(r).filter((l) => !l.startsWith("ok ")),
                [
                    `FAIL  the public path answered 202 to a body of ${STAND_IN_BODY_LIMIT + 1} bytes, where 413 was due over its limit of ${STAND_IN_BODY_LIMIT}`,
                    "input: 1 check(s) failed",
                ],
            );
        });

        it("sends exactly one byte over MAX_BODY_BYTES: a limit one byte higher takes the body, and the check fails", async () => {
            const r = await input({ MAX_BODY_BYTES: String(STAND_IN_BODY_LIMIT - 1) });
            assert.strictEqual(r.code, 1);
            assert.deepStrictEqual(
                lines(r).filter((l) => !l.startsWith("ok ")),
                [
                    `FAIL  the public path answered 202 to a body of ${STAND_IN_BODY_LIMIT} bytes, where 413 was due over its limit of ${STAND_IN_BODY_LIMIT - 1}`,
                    "input: 1 check(s) failed",
                ],
            );
        });

        it("fails when GET /api/results lists an option off the ballot", async () => {
            app.faults.extraOption = "birds";
            const r = await input();
            assert.strictEqual(r.code, 1);
            assert.deepStrictEqual(
                lines(r).filter((l) => !l.startsWith("ok ")),
                ["FAIL  GET /api/results answered 200 listing [birds cats dogs], where the ballot is [cats dogs]", "input: 1 check(s) failed"],
            );
        });
    });

    const perf = (env: Record<string, string> = {}) =>
        runScript(PERFORMANCE_SCRIPT, { ...common(), WORK_DIR: tmp(), TARGET_URL: app.url, TEST_RUN: "verify-r1-performance", ...env });

    describe("performance", () => {
        it("passes 100 requests at 10 concurrent with none failed, printing P50, P95, P99 and the rate", async () => {
            const r = await perf();
            assert.strictEqual(r.code, 0, r.stdout + r.stderr);
            const out = lines(r);
            assert.match(out[0], /^100 requests at 10 concurrent in [\d.]+ s: 0 failed, P50 \d+ ms, P95 \d+ ms, P99 \d+ ms, [\d.]+ req\/s$/);
            assert.strictEqual(out[1], "ok    no request failed");
            assert.match(out[2], /^ok {4}P95 \d+ ms is under 500 ms$/);
            assert.match(out[3], /^ok {4}[\d.]+ req\/s is above 15$/);
        });

        it("fails when P95 is over 500 ms", async () => {
            app.faults.delayMs = 700;
            const r = await perf({ REQUESTS: "20" });
            assert.strictEqual(r.code, 1);
            assert.match(r.stdout, /\nFAIL {2}P95 7\d\d ms is not under 500 ms\n/);
            assert.match(r.stdout, /\nFAIL {2}[\d.]+ req\/s is not above 15\n$/);
        });

        it("fails, counting them, when requests answer 500", async () => {
            app.faults.serverError = true;
            const r = await perf({ REQUESTS: "20" });
            assert.strictEqual(r.code, 1);
            assert.match(r.stdout, /\nFAIL {2}20 of 20 requests failed\n/);
        });

        it("writes the figures it prints to WORK_DIR/baseline for the record step", async () => {
            const work = tmp();
            const r = await perf({ WORK_DIR: work, REQUESTS: "30", CONCURRENCY: "5" });
            assert.strictEqual(r.code, 0, r.stdout + r.stderr);
            const figures = fs.readFileSync(path.join(work, "baseline"), "utf8");
            const m = /^30 5 0 (\d+\.\d{3}) (\d+\.\d{3}) (\d+\.\d{3}) (\d+\.\d{2})\n$/.exec(figures);
            assert.ok(m, figures);
            const [p50, p95, p99, rps] = m.slice(1).map(Number);
            assert.ok(p50 <= p95 && p95 <= p99, figures);
            // The log rounds to whole ms and tenths of req/s: the same measurement, to within that rounding.
            const shown = /P50 (\d+) ms, P95 (\d+) ms, P99 (\d+) ms, ([\d.]+) req\/s$/.exec(lines(r)[0])!.slice(1).map(Number);
            [p50, p95, p99].forEach((v, k) => assert.ok(Math.abs(v - shown[k]) <= 0.5005, `${lines(r)[0]} vs ${figures}`));
            assert.ok(Math.abs(rps - shown[3]) <= 0.0505, `${lines(r)[0]} vs ${figures}`);
        });

        it("writes the figures of a failing run too, failed requests counted, before failing the step", async () => {
            app.faults.serverError = true;
            const work = tmp();
            const r = await perf({ WORK_DIR: work, REQUESTS: "20" });
            assert.strictEqual(r.code, 1);
            assert.match(fs.readFileSync(path.join(work, "baseline"), "utf8"), /^20 10 20 [\d.]+ [\d.]+ [\d.]+ [\d.]+\n$/);
        });
    });

    describe("performance baseline record (5.3.1, 7.5.2)", () => {
        const figuresIn = (figures: string) => {
            const work = tmp();
            fs.writeFileSync(path.join(work, "baseline"), figures);
            return work;
        };
        const record = (run: string, work: string, env: Record<string, string> = {}) =>
            runScript(PERFORMANCE_RECORD_SCRIPT, {
                TMPDIR: tmp(),
                WORK_DIR: work,
                DATABASE_URL: databaseUrl,
                TEST_RUN: run,
                APP_VERSION: "0.5.1",
                ...env,
            });
        const row = (run: string) =>
            pg.sql(
                "votes",
                `SELECT app_version, requests, concurrency, failed, p50_ms, p95_ms, p99_ms, rate_rps, measured_at > now() - interval '1 minute' FROM performance_baselines WHERE test_run = '${run}'`,
            );
        const rows = () => pg.sql("votes", "SELECT string_agg(test_run, ',' ORDER BY measured_at) FROM performance_baselines");

        it("inserts one row with exactly the figures the load step wrote", async () => {
            const r = await record("verify-b1-performance", figuresIn("100 10 0 12.345 48.100 61.007 212.50\n"));
            assert.deepStrictEqual(
                [r.code, r.stdout, r.stderr],
                [0, "ok    recorded the baseline of verify-b1-performance: P50 12.345 P95 48.100 P99 61.007 ms, 212.50 req/s\n", ""],
            );
            assert.strictEqual(row("verify-b1-performance"), "0.5.1|100|10|0|12.345|48.100|61.007|212.50|t");
        });

        it("keeps every release's baseline: a second run adds a second row", async () => {
            const r = await record("verify-b2-performance", figuresIn("100 10 0 20.000 90.500 120.250 150.75\n"), { APP_VERSION: "0.5.2" });
            assert.strictEqual(r.code, 0, r.stdout + r.stderr);
            assert.strictEqual(rows(), "verify-b1-performance,verify-b2-performance");
            assert.strictEqual(row("verify-b1-performance"), "0.5.1|100|10|0|12.345|48.100|61.007|212.50|t");
            assert.strictEqual(row("verify-b2-performance"), "0.5.2|100|10|0|20.000|90.500|120.250|150.75|t");
        });

        it("records a run once: a rerun of the same run keeps the first figures and says so", async () => {
            const r = await record("verify-b1-performance", figuresIn("100 10 0 99.000 99.000 99.000 20.00\n"));
            assert.strictEqual(r.code, 0, r.stdout + r.stderr);
            assert.match(
                r.stdout,
                /^ok {4}the baseline of verify-b1-performance was already recorded at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(P50 12\.345 P95 48\.100 P99 61\.007 ms, 212\.50 req\/s\); kept it, not this rerun's figures\n$/,
            );
            assert.strictEqual(rows(), "verify-b1-performance,verify-b2-performance");
            assert.strictEqual(row("verify-b1-performance"), "0.5.1|100|10|0|12.345|48.100|61.007|212.50|t");
        });

        it("records what the load step measured against the app, its figures passed through WORK_DIR", async () => {
            const work = tmp();
            const load = await perf({ WORK_DIR: work, REQUESTS: "20", CONCURRENCY: "5", TEST_RUN: "verify-b3-performance" });
            assert.strictEqual(load.code, 0, load.stdout + load.stderr);
            const [n, c, failed, p50, p95, p99, rps] = fs.readFileSync(path.join(work, "baseline"), "utf8").trim().split(" ");
            const r = await record("verify-b3-performance", work);
            assert.deepStrictEqual(
                [r.code, r.stdout],
                [0, `ok    recorded the baseline of verify-b3-performance: P50 ${p50} P95 ${p95} P99 ${p99} ms, ${rps} req/s\n`],
            );
            assert.deepStrictEqual([n, c, failed], ["20", "5", "0"]);
            assert.strictEqual(row("verify-b3-performance"), `0.5.1|20|5|0|${p50}|${p95}|${p99}|${rps}|t`);
        });

        it("binds the run as a psql variable: a run name with quotes and SQL is stored as text, and nothing else runs", async () => {
            const run = "verify-x'); DROP TABLE votes; --";
            const r = await record(run, figuresIn("100 10 0 1.000 2.000 3.000 300.00\n"));
            assert.strictEqual(r.code, 0, r.stdout + r.stderr);
            assert.strictEqual(pg.sql("votes", "SELECT count(*) FROM performance_baselines WHERE test_run LIKE 'verify-x''); DROP%'"), "1");
            assert.strictEqual(pg.sql("votes", "SELECT to_regclass('votes') IS NOT NULL"), "t");
            pg.sql("votes", "DELETE FROM performance_baselines WHERE test_run LIKE 'verify-x%'");
        });

        it("fails, naming the file, when the load step left no figures", async () => {
            const work = tmp();
            const r = await record("verify-b4-performance", work);
            assert.deepStrictEqual(
                [r.code, r.stdout],
                [1, `FAIL  no figures to record for verify-b4-performance: ${work}/baseline is missing (the load step writes it)\n`],
            );
            assert.strictEqual(rows(), "verify-b1-performance,verify-b2-performance,verify-b3-performance");
        });

        it("fails, quoting the file, when it does not hold seven figures", async () => {
            const work = figuresIn("100 10 0 12.345\n");
            const r = await record("verify-b5-performance", work);
            assert.deepStrictEqual([r.code, r.stdout], [1, `FAIL  ${work}/baseline does not hold the load step's seven figures: 100 10 0 12.345\n`]);
        });

        it("fails with PostgreSQL's reason when a figure is not a number", async () => {
            const r = await record("verify-b6-performance", figuresIn("100 10 0 nan-ish 48.100 61.000 212.50\n"));
            assert.deepStrictEqual(
                [r.code, r.stdout],
                [1, 'FAIL  could not record the baseline of verify-b6-performance: ERROR:  invalid input syntax for type numeric: "nan-ish"\n'],
            );
        });

        it("fails with PostgreSQL's reason when the table is missing (the schema migration has not run)", async () => {
            pg.sql("postgres", "CREATE DATABASE unmigrated");
            const r = await record("verify-b7-performance", figuresIn("100 10 0 12.345 48.100 61.000 212.50\n"), {
                DATABASE_URL: databaseUrl.replace("/votes?", "/unmigrated?"),
            });
            assert.deepStrictEqual(
                [r.code, r.stdout],
                [1, 'FAIL  could not record the baseline of verify-b7-performance: ERROR:  relation "performance_baselines" does not exist\n'],
            );
        });
    });

    describe("end-to-end vote flow", () => {
        async function e2e(run: string, env: Record<string, string> = {}) {
            const base = {
                ...common(),
                WORK_DIR: tmp(),
                TEST_RUN: run,
                STREAM: "votes",
                GROUP: "vote-processors",
                REDIS_URL: redis.url,
                DATABASE_URL: databaseUrl,
                PUBLIC_URL: app.url,
                STREAM_WAIT: "3",
                DRAIN_WAIT: "3",
                COUNT_WAIT: "3",
                ...env,
            };
            const out: string[] = [];
            for (const script of [
                E2E_STREAM_BASELINE_SCRIPT,
                E2E_COUNT_BASELINE_SCRIPT,
                E2E_VOTE_SCRIPT,
                E2E_STREAM_SCRIPT,
                E2E_COUNT_SCRIPT,
                E2E_RESULTS_SCRIPT,
                E2E_CLEANUP_SCRIPT,
            ]) {
                const r = await runScript(script, base);
                out.push(...r.stdout.trim().split("\n"));
                if (r.code !== 0) return { code: r.code, out, stderr: r.stderr };
            }
            return { code: 0, out, stderr: "" };
        }

        it("follows a vote from the public path to the stream, the consumer and PostgreSQL, then removes every test vote", async () => {
            const cats = () => pg.sql("votes", "SELECT count FROM votes WHERE option = 'cats'");
            const real = Number(cats()) - Number(pg.sql("votes", "SELECT count(*) FROM vote_events WHERE test_run IS NOT NULL AND option = 'cats'"));
            const r = await e2e("verify-r1-e2e");
            assert.strictEqual(r.code, 0, r.out.join("\n") + r.stderr);
            const entry = app.consumerLog.find((e) => e.test_run === "verify-r1-e2e")!.message_id as string;
            assert.match(r.out[0], /^ok {4}stream votes has group vote-processors; last entry before the test vote: \d+-\d+$/);
            assert.match(r.out[1], /^ok {4}PostgreSQL counts cats=\d+ before the test vote$/);
            assert.match(
                r.out[2],
                new RegExp(`^ok {4}POST /api/vote through ${app.url} accepted the test vote \\(202\\); GET /api/results gave cats=\\d+ before it$`),
            );
            assert.strictEqual(r.out[3], `ok    the vote reached stream votes as entry ${entry}`);
            assert.match(r.out[4], /^ok {4}group vote-processors has nothing pending and has read up to \d+-\d+ \(zero lag\)$/);
            assert.match(r.out[5], new RegExp(`^ok {4}the consumer stored entry ${entry} and PostgreSQL counts cats=\\d+ \\(was \\d+\\)$`));
            const [, now, was] = /cats=(\d+) \(was (\d+)\)$/.exec(r.out[5])!;
            assert.strictEqual(r.out[6], `ok    GET /api/results through ${app.url} counts cats=${now} (was ${was})`);
            assert.match(r.out[7], /^ok {4}removed \d+ test vote\(s\) and restored the counts$/);
            assert.strictEqual(pg.sql("votes", "SELECT count(*) FROM vote_events WHERE test_run IS NOT NULL"), "0");
            assert.strictEqual(Number(cats()), real);
        });

        it("refuses a rediss:// REDIS_URL without a readable CA certificate, before connecting", async () => {
            const tls = redis.url.replace(/^redis:/, "rediss:");
            const r = await e2e("verify-r0-e2e", { REDIS_URL: tls });
            assert.deepStrictEqual([r.code, r.out], [2, ["FAIL  REDIS_URL is rediss:// but REDIS_CA_FILE names no readable CA certificate"]]);
            const missing = await e2e("verify-r0-e2e", { REDIS_URL: tls, REDIS_CA_FILE: "/nonexistent/ca.crt" });
            assert.deepStrictEqual(
                [missing.code, missing.out],
                [2, ["FAIL  REDIS_URL is rediss:// but REDIS_CA_FILE names no readable CA certificate"]],
            );
        });

        it("names a Redis that refuses the connection, rather than a missing stream", async () => {
            const r = await e2e("verify-r0-e2e", { REDIS_URL: "redis://127.0.0.1:1/0" });
            assert.strictEqual(r.code, 1);
            assert.match(r.out.join("\n"), /^FAIL {2}Redis did not answer PING: Could not connect to Redis at 127\.0\.0\.1:1: Connection refused$/);
        });

        it("fails at the stream when the API accepts the vote and drops it", async () => {
            app.faults.dropVotes = true;
            const r = await e2e("verify-r2-e2e");
            assert.strictEqual(r.code, 1);
            assert.match(
                r.out.at(-1)!,
                /^FAIL {2}no entry marked verify-r2-e2e reached stream votes in \d+ s: the API accepted the vote but did not append it$/,
            );
        });

        it("fails with the pending count when the consumer reads and never acknowledges", async () => {
            app.faults.consumerStalled = true;
            const r = await e2e("verify-r3-e2e");
            assert.strictEqual(r.code, 1);
            assert.match(
                r.out.at(-1)!,
                /^FAIL {2}group vote-processors did not drain in \d+ s: 1 pending \(read, not acknowledged\), read up to \d+-\d+ of \d+-\d+$/,
            );
        });

        it("fails when the consumer acknowledges a vote it never stored", async () => {
            // Leave nothing pending from the previous case.
            await runScript(`redis-cli --no-auth-warning -u "$REDIS_URL" XGROUP SETID votes vote-processors '$' >/dev/null`, {
                REDIS_URL: redis.url,
            });
            await runScript(`redis-cli --no-auth-warning -u "$REDIS_URL" XGROUP DELCONSUMER votes vote-processors stand-in >/dev/null`, {
                REDIS_URL: redis.url,
            });
            app.faults.consumerLosesVotes = true;
            const r = await e2e("verify-r4-e2e");
            assert.strictEqual(r.code, 1);
            assert.match(r.out.at(-1)!, /^FAIL {2}entry \d+-\d+ was acknowledged but never stored in PostgreSQL; cats stayed at \d+$/);
        });

        it("fails before voting when the app answers 500", async () => {
            app.faults.serverError = true;
            const r = await e2e("verify-r5-e2e");
            assert.strictEqual(r.code, 1);
            assert.strictEqual(
                r.out.at(-1),
                `FAIL  GET /api/results through ${app.url} answered 500 without a count for cats: {"detail":"internal error"}`,
            );
        });

        it("fails at GET /api/results when the vote is stored and counted but the results do not move", async () => {
            const cats = Number(pg.sql("votes", "SELECT count FROM votes WHERE option = 'cats'"));
            app.faults.staleResults = true;
            const r = await e2e("verify-r6-e2e");
            assert.strictEqual(r.code, 1, r.out.join("\n"));
            assert.match(
                r.out.at(-2)!,
                new RegExp(`^ok {4}the consumer stored entry \\d+-\\d+ and PostgreSQL counts cats=${cats + 1} \\(was ${cats}\\)$`),
            );
            assert.match(
                r.out.at(-1)!,
                new RegExp(
                    `^FAIL  GET /api/results through ${app.url} still gives cats=${cats} \\(was ${cats}\\) after \\d+ s; last answer 200: \\{"cats":${cats},"dogs":\\d+\\}$`,
                ),
            );
            await runScript(E2E_CLEANUP_SCRIPT, { DATABASE_URL: databaseUrl });
        });
    });
});
