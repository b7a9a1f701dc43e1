import type { PlatformConfig } from "../../config/types";
import type { ResolvedWorkload } from "../../config/workloads";
import { execProbe, type DataStoreArgs } from "./dataStore";

/** Connections each client pod may hold to PostgreSQL (the consumer's pool). */
export const CONSUMER_POOL_SIZE = 5;
/** Connections kept for superuser maintenance, backups and migrations. */
export const RESERVED_CONNECTIONS = 20;

/**
 * Checklist 5.2.1: max_connections above the sum of every pool at maximum scale, so scaling the API out
 * can never exhaust the server.
 */
export function maxConnections(api: ResolvedWorkload, consumer: ResolvedWorkload, apiPoolSize: number): number {
    return api.maxReplicas * apiPoolSize + consumer.maxReplicas * CONSUMER_POOL_SIZE + RESERVED_CONNECTIONS;
}

const secretEnv = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

/**
 * PostgreSQL: scram-sha-256 for every connection (checklist 1.4.1), TLS in prod (1.4.3), data on the
 * claim, the socket and temp files on emptyDirs so the root filesystem stays read-only.
 */
export function postgresArgs(cfg: PlatformConfig, spec: ResolvedWorkload, maxConn: number, tlsSecret?: string): DataStoreArgs {
    const tls = tlsSecret
        ? ["-c", "ssl=on", "-c", "ssl_cert_file=/tls/tls.crt", "-c", "ssl_key_file=/tls/tls.key", "-c", "ssl_min_protocol_version=TLSv1.2"]
        : [];
    const ready = 'pg_isready -h 127.0.0.1 -p 5432 -U "$POSTGRES_USER" -d "$POSTGRES_DB"';
    return {
        spec,
        stack: cfg.stack,
        image: cfg.images.postgres,
        imagePullSecret: cfg.images.pullSecret,
        portName: "postgres",
        args: ["-c", "password_encryption=scram-sha-256", "-c", `max_connections=${maxConn}`, "-c", "listen_addresses=*", ...tls],
        env: [
            secretEnv("POSTGRES_USER", "postgres-auth", "POSTGRES_USER"),
            secretEnv("POSTGRES_PASSWORD", "postgres-auth", "POSTGRES_PASSWORD"),
            { name: "POSTGRES_DB", value: "votes" },
            { name: "POSTGRES_INITDB_ARGS", value: "--auth-host=scram-sha-256 --auth-local=scram-sha-256" },
            { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
        ],
        dataPath: "/var/lib/postgresql/data",
        storageClassName: cfg.storage.className,
        storageSize: cfg.storage.postgresSize,
        scratchPaths: [
            { name: "run", mountPath: "/var/run/postgresql" },
            { name: "tmp", mountPath: "/tmp" },
        ],
        startup: execProbe(ready, 2, 30),
        liveness: execProbe(ready, 10, 3),
        readiness: { ...execProbe(ready, 5, 3), initialDelaySeconds: 10 },
        tlsSecret,
    };
}

/**
 * Redis: password required (checklist 1.4.2), append-only file on the claim plus RDB snapshots (4.2.3),
 * TLS only in prod (1.4.3). Kubernetes expands $(REDIS_PASSWORD) from the Secret at start.
 */
export function redisArgs(cfg: PlatformConfig, spec: ResolvedWorkload, tlsSecret?: string): DataStoreArgs {
    const tlsArgs = tlsSecret
        ? [
              "--port",
              "0",
              "--tls-port",
              "6379",
              "--tls-cert-file",
              "/tls/tls.crt",
              "--tls-key-file",
              "/tls/tls.key",
              "--tls-ca-cert-file",
              "/tls/ca.crt",
              "--tls-auth-clients",
              "no",
              "--tls-protocols",
              "TLSv1.2 TLSv1.3",
          ]
        : ["--port", "6379"];
    const cli = `redis-cli ${tlsSecret ? "--tls --cacert /tls/ca.crt " : ""}-h 127.0.0.1 -p 6379 --no-auth-warning -a "$REDIS_PASSWORD"`;
    return {
        spec,
        stack: cfg.stack,
        image: cfg.images.redis,
        imagePullSecret: cfg.images.pullSecret,
        portName: "redis",
        command: ["redis-server"],
        args: [
            "--requirepass",
            "$(REDIS_PASSWORD)",
            "--appendonly",
            "yes",
            "--appendfsync",
            "everysec",
            "--save",
            "3600 1 300 100 60 10000",
            "--dir",
            "/data",
            ...tlsArgs,
        ],
        env: [secretEnv("REDIS_PASSWORD", "redis-auth", "password")],
        dataPath: "/data",
        storageClassName: cfg.storage.className,
        storageSize: cfg.storage.redisSize,
        scratchPaths: [{ name: "tmp", mountPath: "/tmp" }],
        startup: execProbe(`${cli} ping | grep -q PONG`, 2, 15),
        liveness: execProbe(`${cli} ping | grep -q PONG`, 10, 3),
        readiness: { ...execProbe(`${cli} ping | grep -q PONG`, 5, 3), initialDelaySeconds: 10 },
        tlsSecret,
    };
}
