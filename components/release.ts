import { createHash } from "crypto";
import type { PlatformConfig } from "../config/types";

/**
 * A short suffix that changes with every release, for Jobs that must run again on each `pulumi up`
 * (a Job is immutable and runs once; a new name makes Pulumi create a fresh one and wait for it).
 * From `release` when the stack sets it (CI sets the commit SHA), else from the time the program runs.
 */
export function releaseSuffix(cfg: Pick<PlatformConfig, "release">, now: () => number = Date.now): string {
    const id = cfg.release ?? `run-${now()}`;
    return createHash("sha256").update(id).digest("hex").slice(0, 8);
}
