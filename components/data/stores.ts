import type { PlatformConfig } from "../../config/types";
import type { ResolvedWorkload } from "../../config/workloads";
import { imageName } from "../workloads/workload";
import { postgresCertReload, REDIS_CERT_RELOAD, TLS_CA, TLS_CERT, TLS_KEY, TLS_MOUNT } from "./certReload";
import { AUTH_MOUNT, execProbe, type DataStoreArgs } from "./dataStore";
import {
    POSTGRES_PASSWORD_AT_START,
    POSTGRES_SOCKET_DIR,
    postgresPasswordSync,
    REDIS_SOCKET,
    REDIS_SOCKET_DIR,
    redisPasswordSync,
    syncContainer,
} from "./passwordSync";

/** Connections each client pod may hold to PostgreSQL (the consumer's pool). */
export const CONSUMER_POOL_SIZE = 5;
/** Connections kept for superuser maintenance, backups and migrations. */
export const RESERVED_CONNECTIONS = 20;

/**
 * Checklist 5.2.1: max_connections above the sum of every pool at maximum scale, so scaling the API out
 * can never exhaust the server. Room is kept for a canary of the API (4.3.2), whose autoscaler may reach
 * the API's maximum beside the stable pods, whether a canary runs or not: PostgreSQL reads
 * max_connections only at start, so starting or ending a canary never restarts it.
 */
export function maxConnections(api: ResolvedWorkload, consumer: ResolvedWorkload, apiPoolSize: number): number {
    const apiPods = api.maxReplicas * 2;
    return apiPods * apiPoolSize + consumer.maxReplicas * CONSUMER_POOL_SIZE + RESERVED_CONNECTIONS;
}

const REDIS_AUTH_SECRET = "redis-auth";

/** Where PostgreSQL reads the files of its ConfigMap (`hba_file`). */
const POSTGRES_CONFIG_DIR = "/etc/postgresql";

/**
 * PostgreSQL's client authentication with TLS on (checklist 1.4.3): the local socket, which only the pod's
 * containers reach, by password; over TCP, TLS connections only, by password. A TCP connection without TLS
 * matches no line, so the server refuses it ("no encryption") before any password is asked: a client that
 * forgets `sslmode` fails at once instead of sending its queries in the clear.
 */
export const POSTGRES_TLS_HBA = `# TYPE   DATABASE  USER  ADDRESS  METHOD
local     all       all            scram-sha-256
hostssl   all       all   all      scram-sha-256
`;

const secretEnv = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });

/**
 * PostgreSQL: scram-sha-256 for every connection (checklist 1.4.1), TLS in prod (1.4.3) and no other TCP
 * connection there, data on the claim, the socket and temp files on emptyDirs so the root filesystem stays
 * read-only.
 */
export function postgresArgs(cfg: PlatformConfig, spec: ResolvedWorkload, maxConn: number, tlsSecret?: string): DataStoreArgs {
    const image = imageName(cfg.images.postgres);
    const pullPolicy = cfg.images.postgres.digest ? "IfNotPresent" : "Always";
    const env = [
        secretEnv("POSTGRES_USER", "postgres-auth", "POSTGRES_USER"),
        secretEnv("POSTGRES_PASSWORD", "postgres-auth", "POSTGRES_PASSWORD"),
        { name: "POSTGRES_DB", value: "votes" },
        { name: "POSTGRES_INITDB_ARGS", value: "--auth-host=scram-sha-256 --auth-local=scram-sha-256" },
        { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
    ];
    const tls = tlsSecret
        ? [
              "-c",
              "ssl=on",
              "-c",
              `ssl_cert_file=${TLS_CERT}`,
              "-c",
              `ssl_key_file=${TLS_KEY}`,
              "-c",
              "ssl_min_protocol_version=TLSv1.2",
              "-c",
              `hba_file=${POSTGRES_CONFIG_DIR}/pg_hba.conf`,
          ]
        : [];
    return {
        spec,
        stack: cfg.stack,
        image: cfg.images.postgres,
        imagePullSecret: cfg.images.pullSecret,
        portName: "postgres",
        args: ["-c", "password_encryption=scram-sha-256", "-c", `max_connections=${maxConn}`, "-c", "listen_addresses=*", ...tls],
        env,
        authSecret: "postgres-auth",
        initContainers: [
            syncContainer(
                "password-at-start",
                image,
                pullPolicy,
                POSTGRES_PASSWORD_AT_START,
                [
                    { name: "data", mountPath: "/var/lib/postgresql/data" },
                    { name: "run", mountPath: POSTGRES_SOCKET_DIR },
                    { name: "tmp", mountPath: "/tmp" },
                ],
                env.filter((e) => e.name === "PGDATA"),
            ),
        ],
        sidecars: [
            syncContainer(
                "password-sync",
                image,
                pullPolicy,
                postgresPasswordSync(tlsSecret ? postgresCertReload(spec.port) : undefined),
                [
                    { name: "run", mountPath: POSTGRES_SOCKET_DIR, readOnly: true },
                    { name: "tmp", mountPath: "/tmp" },
                    ...(tlsSecret ? [{ ...TLS_MOUNT }] : []),
                ],
                env.filter((e) => e.name === "POSTGRES_DB"),
                `PGPASSWORD="$(cat ${AUTH_MOUNT}/POSTGRES_PASSWORD)" PGCONNECT_TIMEOUT=3 psql -w -X -h ${POSTGRES_SOCKET_DIR} -U "$(cat ${AUTH_MOUNT}/POSTGRES_USER)" -d "$POSTGRES_DB" -tAc 'SELECT 1' | grep -qx 1`,
            ),
        ],
        dataPath: "/var/lib/postgresql/data",
        storageClassName: cfg.storage.className,
        storageSize: cfg.storage.postgresSize,
        scratchPaths: [
            { name: "run", mountPath: "/var/run/postgresql" },
            { name: "tmp", mountPath: "/tmp" },
        ],
        ...postgresProbes(spec.port),
        tlsSecret,
        ...(tlsSecret ? { configFiles: { mountPath: POSTGRES_CONFIG_DIR, files: { "pg_hba.conf": POSTGRES_TLS_HBA } } } : {}),
    };
}

/**
 * Checklist 2.1.1–2.1.3, P.7. Liveness: the postmaster answers (pg_isready exits 0 when it accepts
 * connections, 1 when it rejects them during startup or crash recovery, 2 when nothing answers), so a
 * long recovery is never killed. Readiness: it runs a query as the platform's user in its database.
 * Startup: 60 s for the postmaster to answer at all (first initdb included). The password comes from the
 * mounted Secret, which follows a rotation; the environment keeps the one the container started with.
 */
export function postgresProbes(port: number, authDir = AUTH_MOUNT): Pick<DataStoreArgs, "startup" | "liveness" | "readiness"> {
    const answers = `pg_isready -h 127.0.0.1 -p ${port} -t 3 >/dev/null; [ $? -le 1 ]`;
    const servesQueries =
        `PGPASSWORD="$(cat ${authDir}/POSTGRES_PASSWORD)" PGCONNECT_TIMEOUT=3 psql -w -X -h 127.0.0.1 -p ${port} -U "$POSTGRES_USER" -d "$POSTGRES_DB" ` +
        `-tAc 'SELECT 1' | grep -qx 1`;
    return {
        startup: execProbe(answers, 2, 30),
        liveness: execProbe(answers, 10, 3),
        readiness: { ...execProbe(servesQueries, 5, 3), initialDelaySeconds: 10 },
    };
}

/**
 * Redis: password required (checklist 1.4.2), append-only file on the claim plus RDB snapshots (4.2.3),
 * TLS only in prod (1.4.3). Kubernetes expands $(REDIS_PASSWORD) from the Secret at start, so Redis starts
 * with the current password; its sidecar adds the previous one and follows rotations (6.1.3) over a unix
 * socket in the pod, which TLS does not cover and no other pod can reach.
 */
export function redisArgs(cfg: PlatformConfig, spec: ResolvedWorkload, tlsSecret?: string): DataStoreArgs {
    const tlsArgs = tlsSecret
        ? [
              "--port",
              "0",
              "--tls-port",
              "6379",
              "--tls-cert-file",
              TLS_CERT,
              "--tls-key-file",
              TLS_KEY,
              "--tls-ca-cert-file",
              TLS_CA,
              "--tls-auth-clients",
              "no",
              "--tls-protocols",
              "TLSv1.2 TLSv1.3",
          ]
        : ["--port", "6379"];
    const image = imageName(cfg.images.redis);
    const pullPolicy = cfg.images.redis.digest ? "IfNotPresent" : "Always";
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
            "--unixsocket",
            REDIS_SOCKET,
            "--unixsocketperm",
            "700",
            ...tlsArgs,
        ],
        env: [secretEnv("REDIS_PASSWORD", "redis-auth", "password")],
        authSecret: REDIS_AUTH_SECRET,
        sidecars: [
            syncContainer(
                "password-sync",
                image,
                pullPolicy,
                redisPasswordSync(tlsSecret ? REDIS_CERT_RELOAD : undefined),
                [
                    { name: "run", mountPath: REDIS_SOCKET_DIR, readOnly: true },
                    { name: "tmp", mountPath: "/tmp" },
                    ...(tlsSecret ? [{ ...TLS_MOUNT }] : []),
                ],
                [],
                `[ "$(REDISCLI_AUTH="$(cat ${AUTH_MOUNT}/password)" redis-cli -s ${REDIS_SOCKET} --no-auth-warning ping 2>&1)" = PONG ]`,
            ),
        ],
        dataPath: "/data",
        storageClassName: cfg.storage.className,
        storageSize: cfg.storage.redisSize,
        scratchPaths: [
            { name: "tmp", mountPath: "/tmp" },
            { name: "run", mountPath: REDIS_SOCKET_DIR },
        ],
        ...redisProbes(spec.port, tlsSecret !== undefined),
        tlsSecret,
    };
}

/**
 * Checklist 2.1.1–2.1.3, P.7. Liveness: the server answers PING, with PONG or with the LOADING or BUSY
 * error it gives while it replays the append-only file or runs a long script, so neither gets it killed.
 * Readiness: PONG, the server has loaded its data and serves commands. Startup: 30 s to answer.
 */
export function redisProbes(port: number, tls: boolean, authDir = AUTH_MOUNT): Pick<DataStoreArgs, "startup" | "liveness" | "readiness"> {
    const ping = `REDISCLI_AUTH="$(cat ${authDir}/password)" redis-cli ${tls ? "--tls --cacert /tls/ca.crt " : ""}-h 127.0.0.1 -p ${port} --no-auth-warning ping 2>&1`;
    const answers = `case "$(${ping})" in PONG|*LOADING*|*BUSY*) exit 0 ;; *) exit 1 ;; esac`;
    const serves = `[ "$(${ping})" = PONG ]`;
    return {
        startup: execProbe(answers, 2, 15),
        liveness: execProbe(answers, 10, 3),
        readiness: { ...execProbe(serves, 5, 3), initialDelaySeconds: 10 },
    };
}
