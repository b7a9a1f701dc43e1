import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireDataServerTls } from "../../../../policies/rules/security/requireDataServerTls";
import { asPodKind, containerOf, POD_KINDS, postgresConfig, postgresStatefulSet, redisStatefulSet, specOf } from "../../../helpers/dataFixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const PG = 'StatefulSet voting-data/postgres: container "postgres"';
const REDIS = 'StatefulSet voting-data/redis: container "redis"';
const check = (objects: K8sObject | K8sObject[]) => violations(requireDataServerTls, objects);
const pgArg = (from: string, to?: string) =>
    withChange(postgresStatefulSet(), (x) => {
        const a: string[] = containerOf(x).args;
        const at = a.indexOf(from);
        if (to === undefined) a.splice(at - 1, 2);
        else a[at] = to;
    });
const redisArg = (name: string, value?: string) =>
    withChange(redisStatefulSet(), (x) => {
        const a: string[] = containerOf(x).args;
        const at = a.indexOf(name);
        if (value === undefined) a.splice(at, 2);
        else a[at + 1] = value;
    });
const PLAIN_PORT = (port: string) => `${REDIS} listens without TLS on port ${port}; pass --port 0 so that only the TLS port is open`;
const NO_HBA = `${PG} admits TCP clients without TLS: with no hba_file it reads the pg_hba.conf initdb wrote in its data directory, whose host lines (the official image adds "host all all all") take connections in the clear; pass -c hba_file= naming a pg_hba.conf mounted from a ConfigMap, with hostssl lines only for TCP`;
const NO_TLS_PORT = `${REDIS} has no TLS port (tls-port); pass --tls-port 6379 with --tls-cert-file, --tls-key-file and --tls-ca-cert-file`;

describe(requireDataServerTls.name, () => {
    it("accepts PostgreSQL with ssl on and Redis on its TLS port only, on every kind that runs pods", () => {
        for (const kind of POD_KINDS) {
            assert.deepStrictEqual(check([asPodKind(kind, postgresStatefulSet()), asPodKind(kind, redisStatefulSet())]), [], kind);
        }
    });

    it("reads PostgreSQL's ssl as postgres does, and refuses it off or unset", () => {
        for (const on of ["ssl=true", "ssl=1", "ssl=yes", "ssl=ON"]) assert.deepStrictEqual(check(pgArg("ssl=on", on)), [], on);
        // An argument keeps its quotes, and postgres refuses `'on'` as no Boolean: that server would not start.
        for (const bad of ["'on'", "maybe", ""]) {
            assert.deepStrictEqual(
                check(pgArg("ssl=on", `ssl=${bad}`)),
                [
                    `${PG} sets ssl to ${JSON.stringify(bad)}, which postgres refuses as no Boolean and does not start (an argument keeps its quotes); pass -c ssl=on with the server's certificate and key`,
                ],
                bad,
            );
        }
        assert.deepStrictEqual(check(pgArg("ssl=on", "ssl=off")), [
            `${PG} runs PostgreSQL without TLS (ssl off); pass -c ssl=on with the server's certificate and key`,
        ]);
        assert.deepStrictEqual(check(pgArg("ssl=on")), [
            `${PG} runs PostgreSQL without TLS (ssl unset, so off); pass -c ssl=on with the server's certificate and key`,
        ]);
    });

    it("refuses PostgreSQL accepting TLS 1.0 or 1.1", () => {
        for (const v of ["TLSv1", "TLSv1.1"]) {
            assert.deepStrictEqual(check(pgArg("ssl_min_protocol_version=TLSv1.2", `ssl_min_protocol_version=${v}`)), [
                `${PG} accepts ${v} (ssl_min_protocol_version); require TLSv1.2 or later`,
            ]);
        }
        assert.deepStrictEqual(check(pgArg("ssl_min_protocol_version=TLSv1.2", "ssl_min_protocol_version=TLSv1.3")), []);
    });

    it("refuses Redis with a plain port, given or by default, or without a TLS port", () => {
        assert.deepStrictEqual(check(redisArg("--port", "6380")), [PLAIN_PORT("6380")]);
        assert.deepStrictEqual(check(redisArg("--port")), [PLAIN_PORT("6379 (the default)")]);
        assert.deepStrictEqual(check(redisArg("--tls-port")), [NO_TLS_PORT]);
        assert.deepStrictEqual(check(redisArg("--tls-port", "0")), [NO_TLS_PORT]);
    });

    it("refuses Redis accepting TLS 1.0 or 1.1", () => {
        assert.deepStrictEqual(check(redisArg("--tls-protocols", "TLSv1.1 TLSv1.2")), [
            `${REDIS} accepts TLSv1.1 (tls-protocols); allow TLSv1.2 and TLSv1.3 only`,
        ]);
        assert.deepStrictEqual(check(redisArg("--tls-protocols", "TLSv1 TLSv1.1 TLSv1.2")), [
            `${REDIS} accepts TLSv1, TLSv1.1 (tls-protocols); allow TLSv1.2 and TLSv1.3 only`,
        ]);
    });

    it("reads Redis's ports from a config file a ConfigMap provides, and leaves a file it cannot read unjudged", () => {
        const fromFile = (conf?: string, ...args: string[]): K8sObject[] => [
            withChange(redisStatefulSet(), (x) => {
                containerOf(x).args = ["/conf/redis.conf", "--requirepass", "$(REDIS_PASSWORD)", ...args];
                containerOf(x).volumeMounts.push({ name: "conf", mountPath: "/conf" });
                specOf(x).volumes.push({ name: "conf", configMap: { name: "redis", items: [{ key: "main", path: "redis.conf" }] } });
            }),
            ...(conf === undefined
                ? []
                : [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "redis", namespace: "voting-data" }, data: { main: conf } }]),
        ];
        assert.deepStrictEqual(check(fromFile("port 0\ntls-port 6379\n")), []);
        assert.deepStrictEqual(check(fromFile("tls-port 6379\n")), [PLAIN_PORT("6379 (the default)")]);
        assert.deepStrictEqual(check(fromFile()), []);
        assert.deepStrictEqual(check(fromFile(undefined, "--port", "6380")), [PLAIN_PORT("6380")], "arguments override the file");
        assert.deepStrictEqual(check(fromFile(undefined, "--tls-port", "0")), [NO_TLS_PORT], "arguments override the file");
    });

    it("judges Bitnami's images by their TLS switch", () => {
        const bitnami = (base: K8sObject, image: string, env: unknown[]) =>
            withChange(base, (x) => {
                Object.assign(containerOf(x), { image, env });
                delete containerOf(x).command;
                delete containerOf(x).args;
            });
        assert.deepStrictEqual(check(bitnami(postgresStatefulSet(), "bitnami/postgresql:16", [{ name: "POSTGRESQL_ENABLE_TLS", value: "yes" }])), []);
        assert.deepStrictEqual(check(bitnami(redisStatefulSet(), "bitnami/redis:7.4", [])), [
            `${REDIS} does not enable TLS (REDIS_TLS_ENABLED); set it to yes with the server's certificate`,
        ]);
    });

    describe("PostgreSQL's client authentication", () => {
        const SOURCE = "ConfigMap voting-data/postgres-config key pg_hba.conf";
        const clear = (line: number, text: string) =>
            `${PG} admits TCP clients without TLS at ${SOURCE} line ${line} ("${text}"); make it hostssl, or its method reject`;
        const withHba = (hba: string) => check([postgresStatefulSet(), postgresConfig(hba)]);

        it("accepts a pg_hba.conf whose TCP lines are hostssl or hostgssenc, whatever the local socket's line", () => {
            assert.deepStrictEqual(check([postgresStatefulSet(), postgresConfig()]), []);
            assert.deepStrictEqual(
                withHba(
                    "# TYPE DATABASE USER ADDRESS METHOD\nlocal all all peer\nhostssl votes voting 10.0.0.0/8 scram-sha-256\nhostgssenc all all all gss\n",
                ),
                [],
            );
        });

        it("refuses each line that takes a TCP connection in the clear from another host: host, hostnossl, hostnogssenc", () => {
            assert.deepStrictEqual(
                withHba("local all all scram-sha-256\nhostssl all all all scram-sha-256\nhost all all all scram-sha-256 # the image's line\n"),
                [clear(3, "host all all all scram-sha-256")],
            );
            assert.deepStrictEqual(withHba("hostnossl votes voting 10.0.0.0/8 scram-sha-256\nhostnogssenc all all 0.0.0.0 0.0.0.0 scram-sha-256\n"), [
                clear(1, "hostnossl votes voting 10.0.0.0/8 scram-sha-256"),
                clear(2, "hostnogssenc all all 0.0.0.0 0.0.0.0 scram-sha-256"),
            ]);
        });

        it("accepts clear-text lines that reject, or that only the server's own host can use", () => {
            const local = [
                "host all all 127.0.0.1/32 scram-sha-256",
                "host all all 127.0.0.1 255.255.255.255 scram-sha-256",
                "host all all ::1/128 scram-sha-256",
                "host all all ::1 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff scram-sha-256",
                "host all all localhost scram-sha-256",
                "host all all samehost scram-sha-256",
                "hostnossl all all all reject",
                "host all all 0.0.0.0 0.0.0.0 reject",
            ];
            assert.deepStrictEqual(withHba(`${local.join("\n")}\nhostssl all all all scram-sha-256\n`), []);
            assert.deepStrictEqual(withHba("host all all 127.0.0.0/8 scram-sha-256\nhost all all 10.1.2.3 255.255.255.255 scram-sha-256\n"), [
                clear(1, "host all all 127.0.0.0/8 scram-sha-256"),
                clear(2, "host all all 10.1.2.3 255.255.255.255 scram-sha-256"),
            ]);
        });

        it("refuses a server without hba_file, which reads initdb's pg_hba.conf with the image's host line", () => {
            assert.deepStrictEqual(check(pgArg("hba_file=/etc/postgresql/pg_hba.conf")), [NO_HBA]);
        });

        it("leaves an hba_file the resource set does not provide unjudged, and reads it through the volume that mounts it", () => {
            assert.deepStrictEqual(check(postgresStatefulSet()), []);
            const elsewhere = withChange(
                postgresStatefulSet(),
                (x) => (containerOf(x).args[containerOf(x).args.indexOf("hba_file=/etc/postgresql/pg_hba.conf")] = "hba_file=/conf/hba"),
            );
            assert.deepStrictEqual(check([elsewhere, postgresConfig("host all all all scram-sha-256\n")]), []);
            const items = withChange(
                postgresStatefulSet(),
                (x) => (specOf(x).volumes[1].configMap.items = [{ key: "clients", path: "pg_hba.conf" }]),
            );
            const cm = withChange(postgresConfig(), (x) => (x.data = { clients: "host all all all md5\n" }));
            assert.deepStrictEqual(check([items, cm]), [
                `${PG} admits TCP clients without TLS at ConfigMap voting-data/postgres-config key clients line 1 ("host all all all md5"); make it hostssl, or its method reject`,
            ]);
        });

        it("lets a stack on plain TCP by design (plaintextAllowed) keep host lines", () => {
            assert.deepStrictEqual(
                violations(requireDataServerTls, [postgresStatefulSet(), postgresConfig("host all all all scram-sha-256\n")], {
                    plaintextAllowed: true,
                }),
                [],
            );
            assert.deepStrictEqual(violations(requireDataServerTls, pgArg("hba_file=/etc/postgresql/pg_hba.conf"), { plaintextAllowed: true }), []);
        });
    });

    it("lets a stack on plain TCP by design (plaintextAllowed) run its servers without TLS, yet refuses TLS 1.0 a server offers", () => {
        const plaintext = { plaintextAllowed: true };
        assert.deepStrictEqual(violations(requireDataServerTls, pgArg("ssl=on", "ssl=off"), plaintext), []);
        assert.deepStrictEqual(violations(requireDataServerTls, redisArg("--port", "6379"), plaintext), []);
        assert.deepStrictEqual(violations(requireDataServerTls, redisArg("--tls-port"), plaintext), []);
        assert.deepStrictEqual(violations(requireDataServerTls, redisArg("--tls-protocols", "TLSv1 TLSv1.2"), plaintext), [
            `${REDIS} accepts TLSv1 (tls-protocols); allow TLSv1.2 and TLSv1.3 only`,
        ]);
    });

    it("blocks the registry's mutants of 1.4.3 and 6.2.3 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("1.4.3", "PostgreSQL runs with ssl off"), [
            `require-data-server-tls: ${PG} runs PostgreSQL without TLS (ssl off); pass -c ssl=on with the server's certificate and key`,
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("1.4.3", "Redis opens its plain port next to the TLS one"), [
            `require-data-server-tls: ${PLAIN_PORT("6380")}`,
        ]);
        assert.deepStrictEqual(
            await registryMutantBlockers("1.4.3", "PostgreSQL's pg_hba.conf takes TCP clients without TLS (a host line beside hostssl)"),
            [
                `require-data-server-tls: ${PG} admits TCP clients without TLS at ConfigMap voting-data/postgres-config key pg_hba.conf line 4 ("host all all all scram-sha-256"); make it hostssl, or its method reject`,
            ],
        );
        assert.deepStrictEqual(
            await registryMutantBlockers("6.2.3", "PostgreSQL reads initdb's pg_hba.conf, whose host line takes TCP clients in the clear"),
            [`require-data-server-tls: ${NO_HBA}`],
        );
        assert.deepStrictEqual(await registryMutantBlockers("6.2.3", "Redis accepts TLS 1.0"), [
            `require-data-server-tls: ${REDIS} accepts TLSv1 (tls-protocols); allow TLSv1.2 and TLSv1.3 only`,
        ]);
    });
});
