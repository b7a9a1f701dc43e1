import * as assert from "assert";
import { ConfigError, decodeConfigValue, validateConfig } from "../../config/validate";
import { loadStackConfig } from "../../tools/lib/stackConfig";

let prodValues: Record<string, unknown> | undefined;

/** The prod stack file's values, decoded as the program reads them (read once; callers clone before changing). */
export function prodRaw(): Record<string, unknown> {
    if (!prodValues) {
        const cfg = loadStackConfig("prod");
        prodValues = Object.fromEntries(Object.entries(cfg.values).map(([k, v]) => [k.replace(/^voting-platform:/, ""), decodeConfigValue(v)]));
    }
    return prodValues;
}

/** The problems a change to the valid prod config causes, in order; none when it stays valid. */
export function problemsFor(change: (raw: Record<string, any>) => void, stack = "prod"): readonly string[] {
    const raw = structuredClone(prodRaw());
    change(raw);
    try {
        validateConfig(raw, "voting-platform", stack);
    } catch (e) {
        assert.ok(e instanceof ConfigError, String(e));
        return e.problems;
    }
    return [];
}

/** The typed config of the prod stack with one change, which must leave it valid. */
export function parsedWith(change: (raw: Record<string, any>) => void, stack = "prod") {
    const raw = structuredClone(prodRaw());
    change(raw);
    return validateConfig(raw, "voting-platform", stack);
}

/** Prod deploying to an existing, named cluster rather than the cluster it creates. */
export function existingCluster(r: Record<string, any>): void {
    r.cluster = { create: false };
    r.kubernetes = { context: "voting-prod", cluster: "voting-prod" };
}
