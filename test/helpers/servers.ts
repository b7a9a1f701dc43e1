import { spawn, spawnSync, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";

/** Whether a binary is on PATH. */
export function have(binary: string): boolean {
    return spawnSync("sh", ["-c", `command -v ${binary}`]).status === 0;
}

/**
 * Skips the suite with a clear line when a server binary is missing, except under CI, where the
 * binary is installed by .ci/run and its absence is a failure.
 */
export function requireBinary(ctx: Mocha.Context, binary: string, pkg: string): void {
    if (have(binary)) return;
    if (process.env.CI) throw new Error(`${binary} is not installed; .ci/run installs ${pkg}`);
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
