import * as assert from "assert";
import { endpointsOf, resolvedEnv, urlHosts, workloadsAt } from "../../../policies/lib/connections";
import {
    hbaEntries,
    imageRepository,
    keyValue,
    mountedFile,
    pgBoolean,
    postgresSettings,
    redisConfig,
    redisValue,
    serverProcess,
    serversOf,
    splitWords,
} from "../../../policies/lib/dataStores";
import { containersOf, podTemplate, type K8sObject } from "../../../policies/lib/k8s";
import { apiClient, asPodKind, containerOf, headlessService, postgresStatefulSet, redisStatefulSet, specOf } from "../../helpers/dataFixtures";
import { withChange } from "../../helpers/policy";

const configMap = (name: string, data: Record<string, string>): K8sObject => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace: "voting-data" },
    data,
});
const secret = (name: string, data: Record<string, string>): K8sObject => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace: "voting-data" },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")])),
});

describe("data servers and their clients, read from pod specs", () => {
    it("recognises PostgreSQL and Redis servers by the process they start", () => {
        const cases: [Record<string, unknown>, string | undefined][] = [
            [{ image: "postgres:16" }, "postgres postgres"],
            [{ image: "docker.io/library/postgres:16", args: ["-c", "ssl=on"] }, "postgres postgres -c ssl=on"],
            [{ image: "postgis/postgis:16-3.4", command: ["docker-entrypoint.sh", "postgres", "-N", "50"] }, "postgres postgres -N 50"],
            [
                { image: "registry.example.com/db:1", command: ["/usr/lib/postgresql/16/bin/postgres"] },
                "postgres /usr/lib/postgresql/16/bin/postgres",
            ],
            [{ image: "redis:7", args: ["/etc/redis.conf"] }, "redis redis-server /etc/redis.conf"],
            [{ image: "redis:7", command: ["redis-server", "--port", "0"] }, "redis redis-server --port 0"],
            [{ image: "bitnami/redis:7" }, "redis (settings from env)"],
            [{ image: "postgres" }, "postgres postgres"],
            [{ image: "postgres:16", args: ["postgres", "-c", "ssl=on"] }, "postgres postgres -c ssl=on"],
            [{ image: "redis:7", args: ["redis-server", "--port", "0"] }, "redis redis-server --port 0"],
            [{ image: "postgres:16", command: ["/bin/sh", "-c", "pg_dump"] }, undefined],
            [{ image: "redis:7", command: ["redis-cli", "ping"] }, undefined],
            [{ image: "registry.example.com/api:1" }, undefined],
        ];
        for (const [container, want] of cases) {
            const p = serverProcess(container);
            const got = p ? `${p.engine} ${p.argv ? p.argv.join(" ") : "(settings from env)"}` : undefined;
            assert.strictEqual(got, want, JSON.stringify(container));
        }
    });

    it("names an image's repository without tag or digest", () => {
        assert.deepStrictEqual(
            ["postgres", "localhost:5000/postgres:16", "docker.io/library/redis:7.4@sha256:0123abcd", undefined].map(imageRepository),
            ["postgres", "localhost:5000/postgres", "docker.io/library/redis", ""],
        );
    });

    it("finds the servers of a pod, its debug containers left out", () => {
        const pod = withChange(asPodKind("Pod", redisStatefulSet()), (x) => {
            x.spec.ephemeralContainers = [{ name: "debug", image: "redis:7", command: ["redis-server"] }];
        });
        assert.deepStrictEqual(
            serversOf(pod).map((s) => s.container.label),
            ['container "redis"'],
        );
    });

    it("reads PostgreSQL's settings in each form postgres takes, the last one winning", () => {
        const s = postgresSettings(["postgres", "-c", "max_connections=10", "-cssl=on", "--Password-Encryption=md5", "-N", "20", "-c", "ssl = off"]);
        assert.deepStrictEqual(Object.fromEntries(s), { max_connections: "20", ssl: "off", password_encryption: "md5" });
        // postgres 15 here: `-c ssl='on'` → "FATAL: parameter "ssl" requires a Boolean value"; `-c max_connections='50'` → "invalid value".
        assert.deepStrictEqual(Object.fromEntries(postgresSettings(["postgres", "-c", "ssl='on'", "--password-encryption='md5'"])), {
            ssl: "'on'",
            password_encryption: "'md5'",
        });
        assert.deepStrictEqual(["on", "TRUE", "y", "1", "off", "of", "f", "no", "0", "o", "rue", "ff", "maybe", ""].map(pgBoolean), [
            true,
            true,
            true,
            true,
            false,
            false,
            false,
            false,
            false,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
        ]);
    });

    it("keeps every quote of a PostgreSQL value as postgres does, skips the data directory and what postgres would refuse", () => {
        const s = postgresSettings([
            "postgres",
            "-D",
            "/var/lib/postgresql/data",
            "-c",
            'search_path="$user", public',
            "--default-text-search-config=pg_catalog.english",
            "-c",
            'log_line_prefix=%m "%d"',
            "--application-name=''",
            "--fsync",
            "-c",
            "=on",
            "-c",
        ]);
        assert.deepStrictEqual(Object.fromEntries(s), {
            search_path: '"$user", public',
            default_text_search_config: "pg_catalog.english",
            log_line_prefix: '%m "%d"',
            application_name: "''",
        });
        assert.deepStrictEqual(Object.fromEntries(postgresSettings(["postgres", "-c", "ssl=on", "-N"])), { ssl: "on" });
    });

    it("splits Redis configuration lines as Redis does", () => {
        assert.deepStrictEqual(splitWords(`save "3600 1" '300 100'  appendonly`), ["save", "3600 1", "300 100", "appendonly"]);
        assert.deepStrictEqual(splitWords(`requirepass "a \\"quoted\\" word"`), ["requirepass", 'a "quoted" word']);
    });

    it("reads a key of a ConfigMap or a Secret, decoded, and nothing for a key it lacks", () => {
        const objects = [configMap("conf", { main: "port 0" }), secret("tls", { "tls.crt": "CERT" })];
        assert.deepStrictEqual(
            [
                keyValue(objects, "ConfigMap", "voting-data", "conf", "main"),
                keyValue(objects, "Secret", "voting-data", "tls", "tls.crt"),
                keyValue(objects, "Secret", "voting-data", "tls", "ca.crt"),
                keyValue(objects, "ConfigMap", "voting-data", "conf", "other"),
            ],
            ["port 0", "CERT", undefined, undefined],
        );
    });

    it("reads a mounted file from the ConfigMap or Secret behind the deepest mount that holds it", () => {
        const redis = withChange(redisStatefulSet(), (x) => {
            containerOf(x).volumeMounts = [
                { name: "etc", mountPath: "/usr/local/etc" },
                { name: "conf", mountPath: "/usr/local/etc/redis/" },
                { name: "tls", mountPath: "/tls/tls.crt", subPath: "tls.crt" },
                { name: "data", mountPath: "/data" },
                { name: "all", mountPath: "/config" },
            ];
            specOf(x).volumes = [
                { name: "etc", configMap: { name: "etc", items: [{ key: "redis", path: "redis/redis.conf" }] } },
                {
                    name: "conf",
                    configMap: {
                        name: "redis",
                        items: [
                            { key: "users", path: "users.acl" },
                            { key: "main", path: "redis.conf" },
                        ],
                    },
                },
                { name: "tls", secret: { secretName: "redis-tls" } },
                {
                    name: "all",
                    projected: {
                        sources: [{ configMap: { name: "limits" } }, { secret: { name: "app", items: [{ key: "conf", path: "app.conf" }] } }],
                    },
                },
            ];
        });
        const objects = [
            redis,
            configMap("etc", { redis: "port 6379" }),
            // With items, a volume holds only the keys they list, whatever the others are called.
            configMap("redis", { main: "port 0", users: "user default off", undefined: "port 1", "sentinel.conf": "port 2" }),
            configMap("limits", { "limits.conf": "maxclients 100" }),
            secret("redis-tls", { "tls.crt": "CERT" }),
            secret("app", { conf: "requirepass s3cr3t" }),
        ];
        const pod = podTemplate(redis)!;
        const read = (path: string) => mountedFile(pod, containersOf(pod.spec)[0], path, objects);
        assert.deepStrictEqual(read("/usr/local/etc/redis/redis.conf"), {
            path: "/usr/local/etc/redis/redis.conf",
            source: "ConfigMap voting-data/redis key main",
            content: "port 0",
        });
        assert.deepStrictEqual(read("/tls/tls.crt"), { path: "/tls/tls.crt", source: "Secret voting-data/redis-tls key tls.crt", content: "CERT" });
        assert.deepStrictEqual(read("/config/limits.conf"), {
            path: "/config/limits.conf",
            source: "ConfigMap voting-data/limits key limits.conf",
            content: "maxclients 100",
        });
        assert.deepStrictEqual(read("/config/app.conf"), {
            path: "/config/app.conf",
            source: "Secret voting-data/app key conf",
            content: "requirepass s3cr3t",
        });
        for (const path of ["/usr/local/etc/redis/sentinel.conf", "/tls/ca.crt", "/data/redis.conf", "/config/missing.conf", "/opt/redis.conf"]) {
            assert.deepStrictEqual(read(path), { path }, path);
        }
    });

    it("reads Redis's configuration from its file, comments skipped, then from its arguments", () => {
        const server = (conf: string | undefined) => {
            const redis = withChange(redisStatefulSet(), (x) => {
                containerOf(x).args = ["/etc/redis/redis.conf", "--save", "300", "10", "--appendonly", "yes"];
                containerOf(x).volumeMounts.push({ name: "config", mountPath: "/etc/redis" });
                specOf(x).volumes.push({ name: "config", configMap: { name: "redis-config" } });
            });
            const objects = conf === undefined ? [redis] : [redis, configMap("redis-config", { "redis.conf": conf })];
            return redisConfig(serversOf(redis)[0], objects);
        };
        const read = server('# persistence\n#save 60 1\n  save 900 1\r\n\nrequirepass "a b"\n');
        assert.deepStrictEqual(Object.fromEntries(read.directives), {
            save: [
                ["900", "1"],
                ["300", "10"],
            ],
            requirepass: [["a b"]],
            appendonly: [["yes"]],
        });
        const unread = server(undefined);
        assert.deepStrictEqual(unread.file, { path: "/etc/redis/redis.conf" });
        assert.deepStrictEqual(Object.fromEntries(unread.directives), { save: [["300", "10"]], appendonly: [["yes"]] });
        assert.strictEqual(redisValue(read, "save"), "300 10");
    });

    it("reads a Redis configured from standard input (-) by its arguments alone", () => {
        const redis = withChange(redisStatefulSet(), (x) => (containerOf(x).args = ["-", "--appendonly", "yes"]));
        const cfg = redisConfig(serversOf(redis)[0], [redis]);
        assert.deepStrictEqual([cfg.file, Object.fromEntries(cfg.directives)], [undefined, { appendonly: [["yes"]] }]);
    });

    it("finds the hosts of connection URLs, template actions and multi-host lists included", () => {
        assert.deepStrictEqual(urlHosts("postgresql://u:p@ss@db.ns.svc:5432/votes?sslmode=verify-full"), ["db.ns.svc"]);
        assert.deepStrictEqual(urlHosts("postgres://a:5432,b:5433/x"), ["a", "b"]);
        assert.deepStrictEqual(
            endpointsOf(
                new Map([
                    ["DATABASE_URL", "postgresql://voting:{{ .password | urlquery }}@postgres:5432/votes"],
                    ["PGHOST", "pg-0.pg"],
                ]),
            ).map((e) => `${e.engine} ${e.host} ${e.via}`),
            ["postgres postgres env DATABASE_URL", "postgres pg-0.pg env PGHOST"],
        );
    });

    it("resolves a host to the workloads its Service selects, as cluster DNS does", () => {
        const objects = [postgresStatefulSet(), headlessService("postgres", 5432)];
        for (const [host, from] of [
            ["postgres", "voting-data"],
            ["postgres.voting-data", "voting-api"],
            ["postgres.voting-data.svc", "voting-api"],
            ["postgres.voting-data.svc.cluster.local", "voting-api"],
            ["postgres-0.postgres.voting-data.svc.cluster.local", "voting-api"],
        ]) {
            assert.deepStrictEqual(workloadsAt(host, from, objects), [objects[0]], host);
        }
        assert.deepStrictEqual(workloadsAt("postgres", "voting-api", objects), []);
        assert.deepStrictEqual(workloadsAt("postgres.example.com", "voting-api", objects), []);
    });

    it("resolves env values through ExternalSecret templates, Secrets (decoded) and ConfigMaps", () => {
        const [api, , es] = apiClient();
        const secret: K8sObject = {
            apiVersion: "v1",
            kind: "Secret",
            metadata: { name: "s", namespace: "voting-api" },
            data: { k: Buffer.from("decoded").toString("base64") },
        };
        const map: K8sObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "m", namespace: "voting-api" }, data: { POOL: "7" } };
        const pod = podTemplate(api)!;
        const c = containersOf(pod.spec)[0];
        c.container.env.push(
            { name: "FROM_SECRET", valueFrom: { secretKeyRef: { name: "s", key: "k" } } },
            { name: "UNKNOWN", valueFrom: { secretKeyRef: { name: "x", key: "k" } } },
        );
        c.container.envFrom = [{ configMapRef: { name: "m" }, prefix: "DB_" }];
        const env = resolvedEnv(pod, c, [api, es, secret, map]);
        assert.deepStrictEqual(Object.fromEntries(env), {
            DB_POOL: "7",
            DB_POOL_SIZE: "20",
            DATABASE_URL: "postgresql://voting:{{ .postgres_password }}@postgres.voting-data.svc.cluster.local:5432/votes?sslmode=verify-full",
            REDIS_URL: "rediss://default:{{ .redis_password }}@redis.voting-data.svc.cluster.local:6379/0",
            FROM_SECRET: "decoded",
        });
    });

    describe("hbaEntries", () => {
        it("reads each line's type, address (with its mask) and method, by line number, leaving comments, blanks and includes out", () => {
            const text = [
                "# TYPE DATABASE USER ADDRESS METHOD",
                "local all all scram-sha-256",
                "",
                "hostssl votes voting 10.0.0.0/8 scram-sha-256 clientcert=verify-full # TLS",
                "host all all 127.0.0.1 255.255.255.255 trust",
                "hostnossl all all fe80:: ffff:ffff:: reject",
                "host all all samehost md5",
                "include_dir conf.d",
            ].join("\r\n");
            assert.deepStrictEqual(hbaEntries(text), [
                { line: 2, type: "local", method: "scram-sha-256", text: "local all all scram-sha-256" },
                {
                    line: 4,
                    type: "hostssl",
                    address: "10.0.0.0/8",
                    method: "scram-sha-256",
                    text: "hostssl votes voting 10.0.0.0/8 scram-sha-256 clientcert=verify-full",
                },
                {
                    line: 5,
                    type: "host",
                    address: "127.0.0.1 255.255.255.255",
                    method: "trust",
                    text: "host all all 127.0.0.1 255.255.255.255 trust",
                },
                { line: 6, type: "hostnossl", address: "fe80:: ffff:ffff::", method: "reject", text: "hostnossl all all fe80:: ffff:ffff:: reject" },
                { line: 7, type: "host", address: "samehost", method: "md5", text: "host all all samehost md5" },
            ]);
        });

        it("takes a word after an address with a prefix length, or after a name, as the method, not a mask", () => {
            assert.deepStrictEqual(
                hbaEntries("host all all 10.0.0.0/8 255.0.0.0\nhost all all db.example.com 255.0.0.0\n").map((e) => [e.address, e.method]),
                [
                    ["10.0.0.0/8", "255.0.0.0"],
                    ["db.example.com", "255.0.0.0"],
                ],
            );
        });
    });
});
