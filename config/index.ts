import * as pulumi from "@pulumi/pulumi";
import { decodeConfigValue, validateConfig } from "./validate";
import type { PlatformConfig } from "./types";

export * from "./types";
export { ConfigError, validateConfig } from "./validate";

/** Reads this project's keys from the stack config and validates them all before anything is created. */
export function loadConfig(): PlatformConfig {
    const project = pulumi.getProject();
    const prefix = `${project}:`;
    const raw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(pulumi.runtime.allConfig())) {
        if (k.startsWith(prefix)) raw[k.slice(prefix.length)] = decodeConfigValue(v);
    }
    return validateConfig(raw, project, pulumi.getStack());
}
