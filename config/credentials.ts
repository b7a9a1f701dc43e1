import type * as pulumi from "@pulumi/pulumi";

/**
 * A config value set with `pulumi config set --secret`, as the validator receives it: the validator
 * learns that it is set, never what it is, and passes the still-secret Output on.
 */
export class SecretValue<T = unknown> {
    constructor(public readonly output: pulumi.Output<T>) {}
    toJSON(): string {
        return "[secret]";
    }
}

/** Leaf names of keys that hold credentials: their values are never printed. */
const CREDENTIAL_NAME =
    /(^key$|^secret$|password|passwd|passphrase|token|apikey|api_key|privatekey|private_key|accesskey|access_key|secretkey|secret_key|clientsecret|client_secret|routingkey|integrationkey|webhook|webhookurl|webhook_url|kubeconfig|credentials?|connectionstring)$/i;

/** Values that are credentials whatever key holds them. */
const CREDENTIAL_VALUE = [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
    /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, // a URL carrying user:password
    /^https:\/\/[^/\s]*(hooks\.slack\.com|discord(app)?\.com\/api\/webhooks|webhook\.office\.com|events\.pagerduty\.com)/i,
    /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, // AWS access key id
    /\bgh[pousr]_[A-Za-z0-9]{30,}\b/, // GitHub token
    /\bxox[abprs]-[A-Za-z0-9-]{10,}/, // Slack token
    /\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/, // JWT
    /\b(client-key-data|client-certificate-data|token):\s*\S/, // kubeconfig credentials
];

/** Whether a config key (dotted path) is named like a credential. */
export function isCredentialKey(path: string): boolean {
    const leaf =
        path
            .replace(/\[\d+\]/g, "")
            .split(".")
            .pop() ?? path;
    return CREDENTIAL_NAME.test(leaf);
}

/** Whether a value, or any string inside it, looks like a credential. */
export function holdsCredential(value: unknown): boolean {
    if (value instanceof SecretValue) return true;
    if (typeof value === "string") return CREDENTIAL_VALUE.some((re) => re.test(value));
    if (Array.isArray(value)) return value.some(holdsCredential);
    if (value && typeof value === "object") return Object.entries(value).some(([k, v]) => isCredentialKey(k) || holdsCredential(v));
    return false;
}

const HIDDEN = "(not shown)";

/** A copy safe to print: credential-named fields, credential-looking strings and secrets hidden. */
export function redactCredentials(value: unknown): unknown {
    if (value instanceof SecretValue) return HIDDEN;
    if (typeof value === "string") return CREDENTIAL_VALUE.some((re) => re.test(value)) ? HIDDEN : value;
    if (Array.isArray(value)) return value.map(redactCredentials);
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isCredentialKey(k) ? HIDDEN : redactCredentials(v)]));
    }
    return value;
}

/** The fix every message about a credential ends with. */
export const SET_AS_SECRET = "a credential is set with `pulumi config set --secret <key>`, never in plain text";
