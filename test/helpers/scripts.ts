import { spawn } from "child_process";

export interface ScriptResult {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * Runs a Job's shell script with only PATH and the given environment. Asynchronous, so that servers
 * running in this process (the stand-ins) keep answering while it runs.
 */
export function runScript(script: string, env: Record<string, string>, shell = "/bin/sh"): Promise<ScriptResult> {
    return new Promise((resolve, reject) => {
        const p = spawn(shell, ["-c", script], { env: { PATH: process.env.PATH ?? "", ...env } });
        let stdout = "";
        let stderr = "";
        p.stdout.on("data", (d) => (stdout += d));
        p.stderr.on("data", (d) => (stderr += d));
        p.on("error", reject);
        p.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}
