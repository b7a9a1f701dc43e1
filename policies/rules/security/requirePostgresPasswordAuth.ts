import { envNames, hbaEntries, literalEnv, postgresSettings, serverProcess } from "../../lib/dataStores";
import { describe, forEachContainer, type K8sObject, own, record, strings } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** Authentication methods that let a client in without proving it knows a password PostgreSQL can keep safe. */
const WEAK: Readonly<Record<string, string>> = {
    trust: "without a password",
    password: "with the password sent in clear text",
    md5: "with MD5 password hashes",
    ident: "on the word of the client's host",
};
const weakness = (method: string): string | undefined => own(WEAK, method.toLowerCase());

/** initdb's authentication options in a list of words: `--auth=x`, `--auth-host x`, `-A x`, `-Ax`. */
function initdbAuth(words: readonly string[]): { flag: string; method: string }[] {
    const out: { flag: string; method: string }[] = [];
    for (let i = 0; i < words.length; i++) {
        const m = /^(--auth(?:-host|-local)?|-A)(?:=(.*))?$/.exec(words[i]) ?? /^(-A)(.+)$/.exec(words[i]);
        if (!m) continue;
        const method = m[2] ?? words[++i];
        if (method !== undefined) out.push({ flag: m[1] === "-A" ? "--auth" : m[1], method });
    }
    return out;
}

/** The pg_hba.conf lines that admit clients by a weak method, with their line numbers. */
function weakHbaLines(text: string): { line: number; text: string; method: string }[] {
    return hbaEntries(text).flatMap((e) => (e.method !== undefined && weakness(e.method) ? [{ line: e.line, text: e.text, method: e.method }] : []));
}

function judgeConfig(obj: K8sObject): string[] {
    const out: string[] = [];
    for (const [key, value] of Object.entries(record(obj.data))) {
        if (typeof value !== "string") continue;
        if (key.endsWith("pg_hba.conf")) {
            for (const l of weakHbaLines(value))
                out.push(`${describe(obj)}: key ${key} line ${l.line} ("${l.text}") lets clients in ${weakness(l.method)}; use scram-sha-256`);
        } else if (key.endsWith(".conf")) {
            // PostgreSQL applies every line in turn: the last setting wins.
            const m = [...value.matchAll(/^\s*password_encryption\s*=?\s*'?([\w-]+)'?/gm)].pop();
            if (m && m[1].toLowerCase() !== "scram-sha-256")
                out.push(`${describe(obj)}: key ${key} stores passwords as ${m[1]} (password_encryption); use scram-sha-256`);
        }
    }
    return out;
}

/**
 * Checklist 1.4.1: PostgreSQL admits clients only by SCRAM-SHA-256. Refused: POSTGRES_HOST_AUTH_METHOD
 * or initdb options naming trust, password, md5 or ident; password_encryption other than scram-sha-256
 * (in the server's arguments or a postgresql.conf of a ConfigMap); pg_hba.conf lines in ConfigMaps with
 * those methods; Bitnami's ALLOW_EMPTY_PASSWORD. The official image runs initdb with trust for
 * connections inside the pod unless POSTGRES_INITDB_ARGS says otherwise, so a server configured through
 * its POSTGRES_* variables must set --auth-local and --auth-host (or --auth). Values read from a Secret
 * or ConfigMap reference are not judged here.
 */
export const requirePostgresPasswordAuth = defineRule({
    scope: "resource",
    // ConfigMaps (pg_hba.conf, postgresql.conf) and every object that runs pods: no single kind list covers both.
    name: "require-postgres-password-auth",
    description:
        "PostgreSQL servers admit clients only by scram-sha-256: no trust, password, md5 or ident method in POSTGRES_HOST_AUTH_METHOD, initdb options or pg_hba.conf, password_encryption scram-sha-256, and initdb's local trust default overridden.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        'Set POSTGRES_INITDB_ARGS to "--auth-host=scram-sha-256 --auth-local=scram-sha-256", leave POSTGRES_HOST_AUTH_METHOD unset (or scram-sha-256), pass -c password_encryption=scram-sha-256, and use scram-sha-256 on every pg_hba.conf line.',
    checklist: ["1.4.1"],
    check: (obj) => {
        if (obj.kind === "ConfigMap") return judgeConfig(obj);
        return forEachContainer(obj, (c) => {
            if (c.kind === "ephemeralContainer") return undefined;
            const out: string[] = [];
            const argv = [...strings(c.container.command), ...strings(c.container.args)];
            if (argv.length > 0 && argv[0].endsWith("initdb")) {
                for (const a of initdbAuth(argv.slice(1)))
                    if (weakness(a.method))
                        out.push(`runs initdb with ${a.flag}=${a.method}, which lets clients in ${weakness(a.method)}; use scram-sha-256`);
            }
            const server = serverProcess(c.container);
            if (server?.engine !== "postgres") return out;
            const env = (name: string) => literalEnv(c.container, name);
            const hostMethod = env("POSTGRES_HOST_AUTH_METHOD");
            if (hostMethod !== undefined && weakness(hostMethod))
                out.push(`sets POSTGRES_HOST_AUTH_METHOD=${hostMethod}, which lets clients in ${weakness(hostMethod)}; use scram-sha-256`);
            const initdbArgs = env("POSTGRES_INITDB_ARGS");
            const auth = initdbAuth((initdbArgs ?? "").split(/\s+/).filter(Boolean));
            for (const a of auth.filter((x) => weakness(x.method)))
                out.push(
                    `initializes the database with ${a.flag}=${a.method} (POSTGRES_INITDB_ARGS), which lets clients in ${weakness(a.method)}; use scram-sha-256`,
                );
            const names = envNames(c.container);
            const official = names.has("POSTGRES_PASSWORD") || names.has("POSTGRES_PASSWORD_FILE");
            const fromRef = names.has("POSTGRES_INITDB_ARGS") && initdbArgs === undefined;
            if (official && !fromRef) {
                const flags = new Set(auth.map((a) => a.flag));
                const open = ["local", "host"].filter((k) => !flags.has("--auth") && !flags.has(`--auth-${k}`));
                if (open.length > 0)
                    out.push(
                        `leaves initdb's default, trust, for ${open.join(" and ")} connections inside the pod; add ${open.map((k) => `--auth-${k}=scram-sha-256`).join(" ")} to POSTGRES_INITDB_ARGS`,
                    );
            }
            if (server.argv) {
                const enc = postgresSettings(server.argv).get("password_encryption");
                if (enc !== undefined && enc.toLowerCase() !== "scram-sha-256")
                    out.push(`stores passwords as ${enc} (password_encryption); use scram-sha-256`);
            } else if (["yes", "true", "1"].includes((env("ALLOW_EMPTY_PASSWORD") ?? "").toLowerCase())) {
                out.push("allows an empty password (ALLOW_EMPTY_PASSWORD); set POSTGRESQL_PASSWORD from a Secret");
            }
            return out;
        });
    },
});
