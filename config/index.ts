import * as pulumi from "@pulumi/pulumi";
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";
import { SecretValue } from "./credentials";
import { CONFIG_SCHEMA } from "./schema";
import { decodeConfigValue, validateConfig } from "./validate";
import type { PlatformConfig } from "./types";

export * from "./types";
export { ConfigError, validateConfig } from "./validate";
export { SecretValue } from "./credentials";

/**
 * Whether the stack set `key` with `--secret`. The language host passes the secret keys beside the
 * config; the SDK keeps its check internal, so without it only keys declared secret count as secret.
 */
function isSecretKey(fullKey: string): boolean | undefined {
    const check = (runtimeConfig as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
    return check ? check(fullKey) : undefined;
}

/** A secret value as an Output of its JSON when it parses (objects), else of its text; never printed. */
function readSecret(config: pulumi.Config, key: string, type: string | undefined): SecretValue {
    if (type === "object" || type === "array") {
        try {
            return new SecretValue(config.requireSecretObject(key));
        } catch {
            // Not JSON: the SDK's error would print the value; the validator reports the key instead.
        }
    }
    return new SecretValue(config.requireSecret(key));
}

/**
 * Reads this project's keys through `pulumi.Config` and validates them all before anything is created.
 * Keys set with `--secret` are read as secrets and reach the validator only as `SecretValue`s, so their values stay secret in every resource and output that uses them. The
 * names of all set keys come from the runtime, so an unknown key is still reported.
 */
export function loadConfig(): PlatformConfig {
    const project = pulumi.getProject();
    const config = new pulumi.Config(project);
    const prefix = `${project}:`;
    const raw: Record<string, unknown> = {};
    for (const fullKey of Object.keys(pulumi.runtime.allConfig())) {
        if (!fullKey.startsWith(prefix)) continue;
        const key = fullKey.slice(prefix.length);
        const spec = CONFIG_SCHEMA.find((s) => s.key === key);
        if (isSecretKey(fullKey) ?? spec?.secret) {
            raw[key] = readSecret(config, key, spec?.type);
        } else if (spec?.type === "string") {
            raw[key] = config.require(key);
        } else {
            // Objects and arrays as the CLI stores them, JSON; a value that is not JSON reaches the validator as text.
            raw[key] = decodeConfigValue(config.require(key));
        }
    }
    return validateConfig(raw, project, pulumi.getStack());
}
