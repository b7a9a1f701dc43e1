import { execFileSync, spawnSync } from "child_process";
import * as path from "path";
import { PROJECT_ROOT } from "../../tools/lib/stackConfig";

let built = false;

/**
 * Runs a CLI as `npm run <tool>` does: the compiled JavaScript in bin/, built first (only files
 * changed since the last build are compiled again).
 */
export function runTool(tool: "check" | "render" | "images", args: readonly string[], opts: { cwd?: string; input?: string; timeout?: number } = {}) {
    if (!built) {
        execFileSync(process.execPath, [path.join(PROJECT_ROOT, "tools", "build.mjs"), "--quiet"], { cwd: PROJECT_ROOT });
        built = true;
    }
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "bin", "tools", `${tool}.js`), ...args], {
        cwd: opts.cwd ?? PROJECT_ROOT,
        encoding: "utf8",
        input: opts.input,
        timeout: opts.timeout ?? 120_000,
        maxBuffer: 256 * 1024 * 1024,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}
