/**
 * A local stand-in of the voting app that honours the checklist's contract, backed by the real Redis
 * stream and PostgreSQL: the frontend's UI at /, the API's /health, /ready, /api/health, POST /api/vote,
 * GET /api/results and /metrics, and a consumer that reads the stream as group `vote-processors`, stores
 * each entry in vote_events (idempotent on the entry id), moves the count and acknowledges the entry.
 * A vote carrying `X-Vote-Test: <run>` is marked on its stream entry (`test_run`) and its stored event.
 *
 * Faults make it misbehave the ways the post-deploy checks must catch.
 */
import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { Client } from "pg";
import { createClient } from "redis";
import { MIGRATE_SCRIPT, migrationSql } from "../../components/jobs/schemaMigration";
import { STREAM_BOOTSTRAP_SCRIPT } from "../../components/jobs/streamBootstrap";
import { runScript } from "./scripts";
import { requireBinary, startPostgres, startRedis, type PostgresServer, type RedisServer } from "./servers";

export interface Faults {
    /** Accept votes with 202 and never append them to the stream. */
    dropVotes?: boolean;
    /** Answer every /api request, and /ready, with 500. */
    serverError?: boolean;
    /** Answer /ready with 503, as an API that cannot reach its data layer. */
    notReady?: boolean;
    /** Delay every /api answer by this many milliseconds. */
    delayMs?: number;
    /** The consumer reads entries and never acknowledges or stores them. */
    consumerStalled?: boolean;
    /** The consumer acknowledges entries without storing them. */
    consumerLosesVotes?: boolean;
    /** GET /api/results keeps answering the counts it gave last (a cache that never refreshes). */
    staleResults?: boolean;
    /** POST /api/vote answers 202 to any body, without validating the option (and queues nothing). */
    acceptsAnyOption?: boolean;
    /** POST /api/vote answers 500 to a body that is not JSON, as an unhandled parse error. */
    failsOnInvalidJson?: boolean;
    /** The public path takes bodies of any size. */
    noBodyLimit?: boolean;
    /** GET /api/results lists this option too, beside the ballot's. */
    extraOption?: string;
}

export interface StandIn {
    readonly url: string;
    readonly faults: Faults;
    /** What the consumer logged, one JSON object per processed entry. */
    readonly consumerLog: Record<string, unknown>[];
    stop(): Promise<void>;
}

const OPTIONS = ["cats", "dogs"];
/** The public path's request size limit (the default `app.requestSizeLimit`, nginx's `1m`), which the frontend and ingress enforce. */
export const STAND_IN_BODY_LIMIT = 1024 * 1024;
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export async function startStandIn(redisUrl: string, databaseUrl: string, stream = "votes", group = "vote-processors"): Promise<StandIn> {
    const redis = createClient({ url: redisUrl });
    const reader = createClient({ url: redisUrl });
    const db = new Client({ connectionString: databaseUrl });
    await Promise.all([redis.connect(), reader.connect(), db.connect()]);
    const faults: Faults = {};
    const consumerLog: Record<string, unknown>[] = [];
    const requests = new Map<string, number>();
    const durations: number[] = [];
    let submitted = 0;
    let lastResults: Record<string, number> | undefined;

    const send = (res: http.ServerResponse, status: number, body: unknown, type = "application/json") => {
        res.writeHead(status, { "Content-Type": type });
        res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    const readBody = (req: http.IncomingMessage) =>
        new Promise<string>((resolve) => {
            let data = "";
            req.on("data", (c) => (data += c));
            req.on("end", () => resolve(data));
        });

    async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<number> {
        const path = (req.url ?? "/").split("?")[0];
        if (path.startsWith("/api/") || path === "/ready") {
            if (faults.delayMs) await new Promise((r) => setTimeout(r, faults.delayMs));
            if (faults.serverError) return (send(res, 500, { detail: "internal error" }), 500);
        }
        if (req.method === "GET" && path === "/") {
            return (send(res, 200, "<!doctype html><html><head><title>Cats vs Dogs</title></head><body>vote</body></html>", "text/html"), 200);
        }
        if (req.method === "GET" && (path === "/health" || path === "/api/health")) return (send(res, 200, { status: "ok" }), 200);
        if (req.method === "GET" && path === "/ready") {
            if (faults.notReady) return (send(res, 503, { status: "not ready", detail: "database unreachable" }), 503);
            await Promise.all([redis.ping(), db.query("SELECT 1")]);
            return (send(res, 200, { status: "ready" }), 200);
        }
        if (req.method === "POST" && path === "/api/vote") {
            const body = await readBody(req);
            if (Buffer.byteLength(body) > STAND_IN_BODY_LIMIT && !faults.noBodyLimit)
                return (send(res, 413, "Request Entity Too Large", "text/html"), 413);
            if (faults.acceptsAnyOption) return (send(res, 202, { status: "queued" }), 202);
            let option: unknown;
            try {
                option = JSON.parse(body).option;
            } catch {
                if (faults.failsOnInvalidJson) return (send(res, 500, { detail: "internal error" }), 500);
                return (send(res, 422, { detail: "body is not JSON" }), 422);
            }
            if (typeof option !== "string" || !OPTIONS.includes(option)) return (send(res, 422, { detail: "option must be cats or dogs" }), 422);
            const run = req.headers["x-vote-test"];
            const fields = ["option", option, "submitted_at", new Date().toISOString(), ...(typeof run === "string" ? ["test_run", run] : [])];
            if (!faults.dropVotes) await redis.sendCommand(["XADD", stream, "*", ...fields]);
            submitted++;
            return (send(res, 202, { status: "queued", option }), 202);
        }
        if (req.method === "GET" && path === "/api/results") {
            if (!faults.staleResults || lastResults === undefined) {
                const { rows } = await db.query<{ option: string; count: string }>("SELECT option, count FROM votes ORDER BY option");
                lastResults = Object.fromEntries(rows.map((r) => [r.option, Number(r.count)]));
            }
            if (faults.extraOption) return (send(res, 200, { ...lastResults, [faults.extraOption]: 1 }), 200);
            return (send(res, 200, lastResults), 200);
        }
        if (req.method === "GET" && path === "/metrics") return (send(res, 200, metrics(), "text/plain; version=0.0.4"), 200);
        return (send(res, 404, { detail: "not found" }), 404);
    }

    function metrics(): string {
        const lines = ["# TYPE http_requests_total counter"];
        for (const [k, v] of requests) lines.push(`http_requests_total{${k}} ${v}`);
        lines.push("# TYPE http_request_duration_seconds histogram");
        for (const le of BUCKETS) lines.push(`http_request_duration_seconds_bucket{le="${le}"} ${durations.filter((d) => d <= le).length}`);
        lines.push(`http_request_duration_seconds_bucket{le="+Inf"} ${durations.length}`);
        lines.push(
            `http_request_duration_seconds_count ${durations.length}`,
            `http_request_duration_seconds_sum ${durations.reduce((a, b) => a + b, 0)}`,
        );
        lines.push("# TYPE votes_submitted_total counter", `votes_submitted_total ${submitted}`);
        return lines.join("\n") + "\n";
    }

    const server = http.createServer((req, res) => {
        const started = process.hrtime.bigint();
        handle(req, res)
            .catch((e) => (send(res, 500, { detail: String(e) }), 500))
            .then((status) => {
                const key = `method="${req.method}",path="${(req.url ?? "/").split("?")[0]}",status="${status}"`;
                requests.set(key, (requests.get(key) ?? 0) + 1);
                durations.push(Number(process.hrtime.bigint() - started) / 1e9);
            });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

    let running = true;
    const consumer = (async () => {
        while (running) {
            const reply = (await reader
                .sendCommand(["XREADGROUP", "GROUP", group, "stand-in", "COUNT", "10", "BLOCK", "100", "STREAMS", stream, ">"])
                .catch(() => null)) as Record<string, [string, string[]][]> | [string, [string, string[]][]][] | null;
            // RESP3 answers a map of stream to entries, RESP2 a list of pairs.
            const streams = reply === null ? [] : Array.isArray(reply) ? reply : Object.entries(reply);
            for (const [, entries] of streams) {
                for (const [id, flat] of entries) {
                    if (faults.consumerStalled) continue;
                    const f: Record<string, string> = {};
                    for (let i = 0; i < flat.length; i += 2) f[flat[i]] = flat[i + 1];
                    let newCount: number | undefined;
                    if (!faults.consumerLosesVotes) {
                        await db.query("BEGIN");
                        const ins = await db.query(
                            "INSERT INTO vote_events (message_id, option, test_run, submitted_at) VALUES ($1, $2, $3, $4) ON CONFLICT (message_id) DO NOTHING",
                            [id, f.option, f.test_run ?? null, f.submitted_at ?? null],
                        );
                        const upd = await db.query<{ count: string }>(
                            `UPDATE votes SET count = count + $2, updated_at = now() WHERE option = $1 RETURNING count`,
                            [f.option, ins.rowCount],
                        );
                        await db.query("COMMIT");
                        newCount = Number(upd.rows[0]?.count);
                    }
                    await redis.sendCommand(["XACK", stream, group, id]);
                    consumerLog.push({ event: "vote_processed", message_id: id, option: f.option, new_count: newCount, test_run: f.test_run });
                }
            }
        }
    })();

    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        faults,
        consumerLog,
        stop: async () => {
            running = false;
            await consumer;
            await new Promise<void>((resolve) => server.close(() => resolve()));
            await Promise.all([redis.quit(), reader.quit(), db.end()]);
        },
    };
}

export interface StandInStack {
    readonly redis: RedisServer;
    readonly pg: PostgresServer;
    /** The `votes` database, as the Secrets' DATABASE_URL names it (plain TCP: the data layer's TLS is rehearsed in test/rehearsal/). */
    readonly databaseUrl: string;
    readonly app: StandIn;
    stop(): Promise<void>;
}

/**
 * A throwaway Redis and PostgreSQL, the schema migrated and the stream bootstrapped by the platform's own
 * Job scripts, and the stand-in of the voting app on them. Skips (or, under CI, fails) when a tool is missing.
 */
export async function startStandInStack(ctx: Mocha.Context): Promise<StandInStack> {
    requireBinary(ctx, "curl", "curl");
    requireBinary(ctx, "redis-server", "redis-server");
    requireBinary(ctx, "redis-cli", "redis-tools");
    requireBinary(ctx, "psql", "postgresql-client");
    const redis = await startRedis();
    const pg = await startPostgres();
    pg.sql("postgres", "CREATE DATABASE votes");
    const databaseUrl = `postgresql://${pg.env.PGUSER}:${pg.env.PGPASSWORD}@127.0.0.1:${pg.port}/votes?sslmode=disable`;
    const sql = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sql-")), "migrate.sql");
    fs.writeFileSync(sql, migrationSql());
    const migrated = await runScript(MIGRATE_SCRIPT, { DATABASE_URL: databaseUrl, MIGRATIONS_FILE: sql });
    if (migrated.code !== 0) throw new Error(`the schema migration failed: ${migrated.stdout}${migrated.stderr}`);
    const boot = await runScript(STREAM_BOOTSTRAP_SCRIPT, { REDIS_URL: redis.url, STREAM: "votes", GROUP: "vote-processors" });
    if (boot.code !== 0) throw new Error(`the stream bootstrap failed: ${boot.stdout}${boot.stderr}`);
    const app = await startStandIn(redis.url, databaseUrl);
    return {
        redis,
        pg,
        databaseUrl,
        app,
        stop: async () => {
            await app.stop();
            redis.stop();
            pg.stop();
        },
    };
}
