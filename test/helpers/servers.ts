import { spawn, spawnSync, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

/** Whether a binary is on PATH. */
export function have(binary: string): boolean {
    return spawnSync("sh", ["-c", `command -v ${binary}`]).status === 0;
}

/** Whether this run is CI, where every tool is installed by .ci/run: `CI` is `true` or `1` (`CI=false` is not CI). */
export function ciRequiresTools(env: NodeJS.ProcessEnv = process.env): boolean {
    return env.CI === "true" || env.CI === "1";
}

/**
 * Skips the suite with a clear line when a server binary is missing, except under CI, where the
 * binary is installed by .ci/run and its absence is a failure.
 */
export function requireBinary(ctx: Mocha.Context, binary: string, pkg: string): void {
    if (have(binary)) return;
    if (ciRequiresTools()) throw new Error(`${binary} is not installed; .ci/run installs ${pkg}`);
    console.log(`      skipped: ${binary} is not installed (apt-get install ${pkg})`);
    ctx.skip();
}

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.listen(0, "127.0.0.1", () => {
            const port = (s.address() as net.AddressInfo).port;
            s.close(() => resolve(port));
        });
        s.on("error", reject);
    });
}

async function waitForPort(port: number, timeoutMs = 10000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
        const ok = await new Promise<boolean>((resolve) => {
            const c = net.connect(port, "127.0.0.1", () => {
                c.end();
                resolve(true);
            });
            c.on("error", () => resolve(false));
        });
        if (ok) return;
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

export interface RedisServer {
    readonly port: number;
    readonly password: string;
    /** The URL form the platform's Secrets carry (the `default` user names the requirepass password). */
    readonly url: string;
    stop(): void;
}

/** A throwaway Redis on loopback with a password and no persistence. */
export async function startRedis(password = "test-password-1234"): Promise<RedisServer> {
    const port = await freePort();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "redis-"));
    const proc: ChildProcess = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--requirepass", password, "--save", "", "--appendonly", "no", "--dir", dir],
        {
            stdio: "ignore",
        },
    );
    await waitForPort(port);
    return { port, password, url: `redis://default:${password}@127.0.0.1:${port}/0`, stop: () => proc.kill() };
}

/** The directory of PostgreSQL's server binaries: on PATH, or Debian's /usr/lib/postgresql/<version>/bin. */
export function postgresBinDir(): string | undefined {
    const onPath = spawnSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" }).stdout.trim();
    if (onPath) return path.dirname(fs.realpathSync(onPath));
    const root = "/usr/lib/postgresql";
    if (!fs.existsSync(root)) return undefined;
    const versions = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a));
    return versions.map((v) => path.join(root, v, "bin")).find((d) => fs.existsSync(path.join(d, "initdb")));
}

export interface PostgresServer {
    readonly port: number;
    readonly env: Record<string, string>;
    /** Runs psql with the server's connection settings and returns its trimmed output. */
    sql(database: string, statement: string): string;
    stop(): void;
}

/**
 * A throwaway PostgreSQL on loopback with scram-sha-256 password auth. initdb refuses to run as root,
 * so under root the server runs as the `postgres` user.
 */
export async function startPostgres(user = "voting", password = "test-password-5678"): Promise<PostgresServer> {
    const bin = postgresBinDir();
    if (!bin) throw new Error("PostgreSQL's initdb is not installed");
    const asRoot = process.getuid?.() === 0;
    const run = (cmd: string[]) => {
        const r = spawnSync(asRoot ? "runuser" : cmd[0], asRoot ? ["-u", "postgres", "--", ...cmd] : cmd.slice(1), { encoding: "utf8" });
        if (r.status !== 0) throw new Error(`${cmd.join(" ")} failed: ${r.stderr || r.stdout}`);
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pg-"));
    fs.writeFileSync(path.join(dir, "pw"), password);
    if (asRoot) spawnSync("chown", ["-R", "postgres:postgres", dir]);
    const port = await freePort();
    run([path.join(bin, "initdb"), "-D", path.join(dir, "data"), "-U", user, "--auth=scram-sha-256", `--pwfile=${path.join(dir, "pw")}`]);
    run([
        path.join(bin, "pg_ctl"),
        "-D",
        path.join(dir, "data"),
        "-l",
        path.join(dir, "log"),
        "-w",
        "-o",
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
        "start",
    ]);
    const env = { PGHOST: "127.0.0.1", PGPORT: String(port), PGUSER: user, PGPASSWORD: password };
    return {
        port,
        env,
        sql: (database, statement) => {
            const r = spawnSync("psql", ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", statement], {
                env: { ...process.env, ...env },
                encoding: "utf8",
            });
            if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
            return r.stdout.trim();
        },
        stop: () => run([path.join(bin, "pg_ctl"), "-D", path.join(dir, "data"), "-m", "immediate", "stop"]),
    };
}
