import * as assert from "assert";
import { endpointsOf, resolvedEnv, urlHosts, workloadsAt } from "../../../policies/lib/connections";
import { pgBoolean, postgresSettings, serverProcess, splitWords } from "../../../policies/lib/dataStores";
import { containersOf, podTemplate, type K8sObject } from "../../../policies/lib/k8s";
import { apiClient, headlessService, postgresStatefulSet } from "../../helpers/dataFixtures";

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

    it("reads PostgreSQL's settings in each form postgres takes, the last one winning", () => {
        const s = postgresSettings([
            "postgres",
            "-c",
            "max_connections=10",
            "-cssl=on",
            "--Password-Encryption='md5'",
            "-N",
            "20",
            "-c",
            "ssl = off",
        ]);
        assert.deepStrictEqual(Object.fromEntries(s), { max_connections: "20", ssl: "off", password_encryption: "md5" });
        assert.deepStrictEqual(["on", "TRUE", "y", "1", "off", "f", "no", "0", "o", "maybe", ""].map(pgBoolean), [
            true,
            true,
            true,
            true,
            false,
            false,
            false,
            false,
            undefined,
            undefined,
            undefined,
        ]);
    });

    it("splits Redis configuration lines as Redis does", () => {
        assert.deepStrictEqual(splitWords(`save "3600 1" '300 100'  appendonly`), ["save", "3600 1", "300 100", "appendonly"]);
        assert.deepStrictEqual(splitWords(`requirepass "a \\"quoted\\" word"`), ["requirepass", 'a "quoted" word']);
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
});
