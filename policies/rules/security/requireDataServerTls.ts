import {
    hbaEntries,
    literalEnv,
    mountedFile,
    pgBoolean,
    postgresSettings,
    redisConfig,
    redisValue,
    serversOf,
    type ServerContainer,
} from "../../lib/dataStores";
import type { K8sObject } from "../../lib/k8s";
import { describe } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";

export interface DataServerTlsSettings {
    plaintextAllowed: boolean;
}

const OLD_TLS = /^tlsv1(\.[01])?$/i;
const yes = (v: string | undefined) => ["yes", "true", "1"].includes((v ?? "").toLowerCase());

/** Addresses that only the server's own host can connect from. */
const LOCAL = new Set([
    "127.0.0.1/32",
    "127.0.0.1 255.255.255.255",
    "::1/128",
    "::1 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "localhost",
    "samehost",
]);

/** Line types that match a TCP connection without TLS. */
const CLEAR_TYPES = new Set(["host", "hostnossl", "hostnogssenc"]);

/**
 * Where a PostgreSQL server lets a TCP client in without TLS: the pg_hba.conf lines that match such a
 * connection from another host and do not reject it. Without hba_file the server reads the file initdb
 * wrote in its data directory, where the official image adds `host all all all`; a file the resource set
 * does not provide is not judged.
 */
function clearTextEntries(server: ServerContainer, settings: ReadonlyMap<string, string>, objects: readonly K8sObject[]): string[] {
    const path = settings.get("hba_file");
    if (path === undefined) {
        return [
            'admits TCP clients without TLS: with no hba_file it reads the pg_hba.conf initdb wrote in its data directory, whose host lines (the official image adds "host all all all") take connections in the clear; pass -c hba_file= naming a pg_hba.conf mounted from a ConfigMap, with hostssl lines only for TCP',
        ];
    }
    const file = mountedFile(server.pod, server.container, path, objects);
    if (file.content === undefined) return [];
    return hbaEntries(file.content)
        .filter((e) => CLEAR_TYPES.has(e.type) && e.method !== "reject" && !LOCAL.has(e.address ?? ""))
        .map((e) => `admits TCP clients without TLS at ${file.source} line ${e.line} ("${e.text}"); make it hostssl, or its method reject`);
}

/**
 * Checklist 1.4.3, 6.2.3 (the servers' side): PostgreSQL runs with ssl on and takes TCP clients over
 * TLS only, and Redis listens on a TLS port only (port 0), neither accepting TLS older than 1.2. The clients' side, verifying the server's
 * certificate, is require-verified-data-tls's. Settings in a Redis config file the pack cannot read are
 * not judged; Bitnami's images are judged by their *_TLS_ENABLED variables. A stack on plain TCP by
 * design (staging) sets `plaintextAllowed`: TLS a server does offer must still refuse versions below 1.2.
 */
export const requireDataServerTls = defineRule<DataServerTlsSettings>({
    scope: "stack",
    name: "require-data-server-tls",
    description:
        "PostgreSQL servers run with ssl=on and admit TCP clients over TLS only (an hba_file whose TCP lines are hostssl, local addresses aside), and Redis servers listen only on a TLS port (port 0, tls-port set), with no TLS version below 1.2 allowed.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Run PostgreSQL with -c ssl=on -c ssl_cert_file=/tls/tls.crt -c ssl_key_file=/tls/tls.key -c ssl_min_protocol_version=TLSv1.2 -c hba_file=/etc/postgresql/pg_hba.conf, that file from a ConfigMap with hostssl lines for TCP, and Redis with --port 0 --tls-port 6379 and its certificate, key and CA, mounted from a cert-manager Certificate's Secret.",
    checklist: ["1.4.3", "6.2.3"],
    settings: {
        plaintextAllowed: {
            type: "boolean",
            description:
                "Whether servers may run without TLS (a staging stack on plain TCP). TLS that a server does offer must still refuse versions below 1.2.",
            default: false,
        },
    },
    check: (objects, settings) => {
        const plain = settings.plaintextAllowed;
        const out: Finding[] = [];
        for (const obj of objects) {
            for (const server of serversOf(obj)) {
                const say = (m: string) => out.push({ object: obj, message: `${describe(obj)}: ${server.container.label} ${m}` });
                const c = server.container.container;
                if (!server.argv) {
                    const flag = server.engine === "postgres" ? "POSTGRESQL_ENABLE_TLS" : "REDIS_TLS_ENABLED";
                    if (!plain && !yes(literalEnv(c, flag))) say(`does not enable TLS (${flag}); set it to yes with the server's certificate`);
                    continue;
                }
                if (server.engine === "postgres") {
                    const s = postgresSettings(server.argv);
                    const ssl = s.get("ssl");
                    if (!plain && pgBoolean(ssl) !== true)
                        say(
                            ssl !== undefined && pgBoolean(ssl) === undefined
                                ? `sets ssl to ${JSON.stringify(ssl)}, which postgres refuses as no Boolean and does not start (an argument keeps its quotes); pass -c ssl=on with the server's certificate and key`
                                : `runs PostgreSQL without TLS (ssl ${ssl ?? "unset, so off"}); pass -c ssl=on with the server's certificate and key`,
                        );
                    if (!plain) for (const m of clearTextEntries(server, s, objects)) say(m);
                    const min = s.get("ssl_min_protocol_version");
                    if (min !== undefined && OLD_TLS.test(min)) say(`accepts ${min} (ssl_min_protocol_version); require TLSv1.2 or later`);
                    continue;
                }
                const cfg = redisConfig(server, objects);
                const unread = cfg.file !== undefined && cfg.file.content === undefined;
                const port = redisValue(cfg, "port");
                if (!plain && port !== "0" && !(unread && port === undefined))
                    say(`listens without TLS on port ${port ?? "6379 (the default)"}; pass --port 0 so that only the TLS port is open`);
                const tlsPort = redisValue(cfg, "tls-port");
                if (!plain && (tlsPort === undefined || tlsPort === "0") && !(unread && tlsPort === undefined))
                    say("has no TLS port (tls-port); pass --tls-port 6379 with --tls-cert-file, --tls-key-file and --tls-ca-cert-file");
                const old = (redisValue(cfg, "tls-protocols") ?? "").split(/\s+/).filter((p) => OLD_TLS.test(p));
                if (old.length > 0) say(`accepts ${old.join(", ")} (tls-protocols); allow TLSv1.2 and TLSv1.3 only`);
            }
        }
        return out;
    },
});
