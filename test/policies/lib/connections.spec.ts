import * as assert from "assert";
import { clientsOf, endpointsOf, resolvedEnv, secretText, serverWorkloads, urlHosts, workloadsAt } from "../../../policies/lib/connections";
import { containersOf, podTemplate, type K8sObject } from "../../../policies/lib/k8s";
import { apiClient, headlessService, postgresStatefulSet, redisStatefulSet } from "../../helpers/dataFixtures";

/** A Deployment in `voting-api` whose one container (plus an ephemeral one) has the given env and envFrom. */
function client(
    name: string,
    env: Record<string, unknown>[],
    envFrom: Record<string, unknown>[] = [],
    ephemeralEnv?: Record<string, unknown>[],
): K8sObject {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace: "voting-api" },
        spec: {
            selector: { matchLabels: { app: name } },
            template: {
                metadata: { labels: { app: name } },
                spec: {
                    containers: [{ name: "app", image: "registry.example.com/app:1", env, envFrom }],
                    ...(ephemeralEnv ? { ephemeralContainers: [{ name: "debug", image: "registry.example.com/debug:1", env: ephemeralEnv }] } : {}),
                },
            },
        },
    };
}

const envOf = (obj: K8sObject, objects: readonly K8sObject[]) => {
    const pod = podTemplate(obj)!;
    return Object.fromEntries(resolvedEnv(pod, containersOf(pod.spec)[0], objects));
};

const secret = (name: string, namespace: string, fields: Record<string, unknown>): K8sObject => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace },
    ...fields,
});

const externalSecret = (name: string, namespace: string, target: Record<string, unknown>): K8sObject => ({
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name, namespace },
    spec: { secretStoreRef: { kind: "ClusterSecretStore", name: "voting-secrets" }, target },
});

const template = (data: Record<string, string>) => ({ template: { data } });

describe("connections between workloads and data servers", () => {
    describe("secretText", () => {
        it("reads a Secret's key, preferring the Secret to the ExternalSecret that would write it", () => {
            const objects = [
                externalSecret("db", "voting-api", { name: "db", ...template({ url: "from-template" }) }),
                secret("db", "voting-api", { stringData: { url: "from-secret" } }),
            ];
            assert.strictEqual(secretText(objects, "voting-api", "db", "url"), "from-secret");
            assert.strictEqual(secretText(objects.slice(0, 1), "voting-api", "db", "url"), "from-template");
        });

        it("reads an ExternalSecret's template by the Secret it writes: target.name, else its own name", () => {
            const named = externalSecret("es", "voting-api", { name: "db", ...template({ url: "named" }) });
            const own = externalSecret("db2", "voting-api", template({ url: "own" }));
            assert.strictEqual(secretText([named], "voting-api", "db", "url"), "named");
            assert.strictEqual(secretText([named], "voting-api", "es", "url"), undefined, "target.name wins over the ExternalSecret's name");
            assert.strictEqual(secretText([own], "voting-api", "db2", "url"), "own");
        });

        it("looks only at ExternalSecrets of the namespace, and past one whose template lacks the key", () => {
            const other = externalSecret("db", "voting-data", template({ url: "other-namespace" }));
            const noKey = externalSecret("db", "voting-api", template({ user: "voting" }));
            const notEs = { ...externalSecret("db", "voting-api", template({ url: "not-an-external-secret" })), kind: "SecretStore" };
            const withKey = externalSecret("db-writer", "voting-api", { name: "db", ...template({ url: "found" }) });
            assert.strictEqual(secretText([other, notEs, noKey, withKey], "voting-api", "db", "url"), "found");
            assert.strictEqual(secretText([other, notEs, noKey], "voting-api", "db", "url"), undefined);
            assert.strictEqual(secretText([externalSecret("db", "voting-api", { name: "db" })], "voting-api", "db", "url"), undefined);
        });
    });

    describe("resolvedEnv", () => {
        const map: K8sObject = {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "settings", namespace: "voting-api" },
            data: { POOL: "7", HOST: "db" },
        };
        const creds = secret("creds", "voting-api", {
            data: { PASSWORD: Buffer.from("s3cret").toString("base64") },
            stringData: { USER: "voting" },
        });

        it("takes every key of a ConfigMap or Secret named by envFrom, with its prefix", () => {
            const app = client("app", [], [{ configMapRef: { name: "settings" }, prefix: "DB_" }, { secretRef: { name: "creds" } }]);
            assert.deepStrictEqual(envOf(app, [app, map, creds]), { DB_POOL: "7", DB_HOST: "db", PASSWORD: "s3cret", USER: "voting" });
        });

        it("leaves out a key whose value is not text", () => {
            const app = client("app", [], [{ configMapRef: { name: "odd" } }]);
            const odd: K8sObject = {
                apiVersion: "v1",
                kind: "ConfigMap",
                metadata: { name: "odd", namespace: "voting-api" },
                data: { POOL: 7, HOST: "db" },
            };
            assert.deepStrictEqual(envOf(app, [app, odd]), { HOST: "db" });
        });

        it("skips an envFrom that names no source, or a source outside the resource set", () => {
            const app = client(
                "app",
                [],
                [{ configMapRef: {} }, { secretRef: { name: "absent" } }, { prefix: "X_" }, { configMapRef: { name: "settings" } }],
            );
            assert.deepStrictEqual(envOf(app, [app, map]), { POOL: "7", HOST: "db" });
        });

        it("lets env override envFrom, and drops a variable whose value it cannot know", () => {
            const app = client(
                "app",
                [
                    { name: "POOL", value: "9" },
                    { name: "HOST", valueFrom: { secretKeyRef: { name: "absent", key: "HOST" } } },
                    { value: "nameless" },
                    { name: "USER", valueFrom: { secretKeyRef: { name: "creds", key: "USER" } } },
                    { name: "NO_KEY", valueFrom: { secretKeyRef: { name: "creds" } } },
                    { name: "NO_NAME", valueFrom: { secretKeyRef: { key: "USER" } } },
                    { name: "FROM_MAP", valueFrom: { configMapKeyRef: { name: "settings", key: "HOST" } } },
                    { name: "MAP_NO_KEY", valueFrom: { configMapKeyRef: { name: "settings" } } },
                    { name: "MAP_NO_NAME", valueFrom: { configMapKeyRef: { key: "HOST" } } },
                ],
                [{ configMapRef: { name: "settings" } }],
            );
            assert.deepStrictEqual(envOf(app, [app, map, creds]), { POOL: "9", USER: "voting", FROM_MAP: "db" });
        });

        it("reads a secretKeyRef through the ExternalSecret that writes the Secret", () => {
            const app = client("app", [{ name: "URL", valueFrom: { secretKeyRef: { name: "conn", key: "URL" } } }]);
            const es = externalSecret("conn", "voting-api", template({ URL: "postgres://db/x" }));
            assert.deepStrictEqual(envOf(app, [app, es]), { URL: "postgres://db/x" });
        });

        it("reads sources only in the workload's namespace", () => {
            const app = client(
                "app",
                [{ name: "FROM_MAP", valueFrom: { configMapKeyRef: { name: "settings", key: "POOL" } } }],
                [{ secretRef: { name: "creds" } }],
            );
            const elsewhere = (o: K8sObject): K8sObject => ({ ...o, metadata: { ...o.metadata, namespace: "voting-data" } });
            assert.deepStrictEqual(envOf(app, [app, elsewhere(map), elsewhere(creds)]), {});
        });
    });

    describe("urlHosts", () => {
        it("reads hosts after the user info, before any path, query or fragment, without ports", () => {
            assert.deepStrictEqual(urlHosts("redis://cache:6379"), ["cache"]);
            assert.deepStrictEqual(urlHosts("postgres://db?sslmode=require"), ["db"]);
            assert.deepStrictEqual(urlHosts("postgres://db#x"), ["db"]);
            assert.deepStrictEqual(urlHosts("postgres://u@db/votes"), ["db"]);
            assert.deepStrictEqual(urlHosts("postgres://[fd00::1]:5432,[fd00::2]/votes"), ["[fd00::1]", "[fd00::2]"]);
            assert.deepStrictEqual(urlHosts("postgres:///votes"), []);
            assert.deepStrictEqual(urlHosts("postgres://a,,b"), ["a", "b"]);
        });
    });

    describe("endpointsOf", () => {
        const endpoints = (env: [string, string][]) => endpointsOf(new Map(env)).map((e) => ({ ...e }));

        it("tells PostgreSQL from Redis by the URL's scheme, in any case", () => {
            assert.deepStrictEqual(
                endpoints([
                    ["A", "postgres://pg-a/x"],
                    ["B", "POSTGRESQL://pg-b/x"],
                    ["C", "redis://cache-c:6379"],
                    ["D", "Rediss://cache-d:6379"],
                ]),
                [
                    { engine: "postgres", host: "pg-a", via: "env A", url: "postgres://pg-a/x" },
                    { engine: "postgres", host: "pg-b", via: "env B", url: "POSTGRESQL://pg-b/x" },
                    { engine: "redis", host: "cache-c", via: "env C", url: "redis://cache-c:6379" },
                    { engine: "redis", host: "cache-d", via: "env D", url: "Rediss://cache-d:6379" },
                ],
            );
        });

        it("finds every URL inside a value, each ending at white space or a quote, and no URL glued to a word", () => {
            assert.deepStrictEqual(
                endpoints([["OPTS", `--db='postgres://one/x' --cache "redis://two" mypostgres://three/x jdbc:postgresql://four/x`]]).map(
                    (e) => e.url,
                ),
                ["postgres://one/x", "redis://two", "postgresql://four/x"],
            );
        });

        it("replaces each template action with one placeholder, not everything between two of them", () => {
            assert.deepStrictEqual(endpoints([["URL", "postgres://{{ .user }}:{{ .password }}@db-{{ .zone }}/votes"]]), [
                { engine: "postgres", host: "db-…", via: "env URL", url: "postgres://…:…@db-…/votes" },
            ]);
        });

        it("reads PGHOST as a list of PostgreSQL hosts, and no other variable so", () => {
            assert.deepStrictEqual(
                endpoints([
                    ["PGHOST", "pg-0.pg,,pg-1.pg"],
                    ["REDIS_HOST", "cache"],
                ]),
                [
                    { engine: "postgres", host: "pg-0.pg", via: "env PGHOST" },
                    { engine: "postgres", host: "pg-1.pg", via: "env PGHOST" },
                ],
            );
        });
    });

    describe("workloadsAt", () => {
        const pg = postgresStatefulSet();
        const svc = headlessService("postgres", 5432);

        it("reads a host in any case and with a trailing dot", () => {
            assert.deepStrictEqual(workloadsAt("Postgres.Voting-Data.SVC.cluster.local.", "voting-api", [pg, svc]), [pg]);
            assert.deepStrictEqual(workloadsAt("postgres.voting-data.", "voting-api", [pg, svc]), [pg]);
        });

        it("reaches only the workloads the Service selects", () => {
            assert.deepStrictEqual(workloadsAt("postgres.voting-data", "voting-api", [redisStatefulSet(), pg, svc]), [pg]);
        });

        it("reads a Service or namespace called svc by where the label stands, as the DNS search path does", () => {
            const named = (o: K8sObject, name: string, namespace: string): K8sObject => ({ ...o, metadata: { ...o.metadata, name, namespace } });
            const inNs = [named(pg, "postgres", "voting-data"), named(svc, "svc", "voting-data")];
            for (const host of ["svc", "svc.voting-data", "svc.voting-data.svc", "svc-0.svc.voting-data.svc.cluster.local"]) {
                assert.deepStrictEqual(workloadsAt(host, "voting-data", inNs), [inNs[0]], host);
            }
            const inSvc = [named(pg, "postgres", "svc"), named(svc, "postgres", "svc")];
            for (const host of ["postgres.svc", "postgres.svc.svc", "postgres.svc.svc.cluster.local"]) {
                assert.deepStrictEqual(workloadsAt(host, "voting-api", inSvc), [inSvc[0]], host);
            }
        });

        it("reaches nothing through a name that is not a Service name in cluster DNS", () => {
            for (const host of ["voting-data.svc", "postgres.voting-data.local", "a.postgres.voting-data", ""]) {
                assert.deepStrictEqual(workloadsAt(host, "voting-data", [pg, svc]), [], host);
            }
        });

        it("reaches nothing through a Service that is missing or selects nothing", () => {
            assert.deepStrictEqual(workloadsAt("postgres", "voting-data", [pg]), []);
            const noSelector = { ...svc, spec: { ...svc.spec, selector: {} } };
            assert.deepStrictEqual(workloadsAt("postgres", "voting-data", [pg, noSelector]), []);
            const unselected = { ...svc, spec: { ...svc.spec, selector: undefined } };
            assert.deepStrictEqual(workloadsAt("postgres", "voting-data", [pg, unselected]), []);
        });
    });

    describe("clientsOf and serverWorkloads", () => {
        const pg = postgresStatefulSet();
        const redis = redisStatefulSet();
        const services = [headlessService("postgres", 5432), headlessService("redis", 6379)];

        it("finds the containers that connect to a server, with the env and endpoint they use", () => {
            const [api, hpa, es] = apiClient();
            const objects = [pg, redis, ...services, api, hpa, es];
            const clients = clientsOf(pg, "postgres", objects);
            assert.deepStrictEqual(
                clients.map((c) => [c.pod.object, c.container.container.name, c.endpoint.host, c.endpoint.via, c.env.get("DB_POOL_SIZE")]),
                [[api, "api", "postgres.voting-data.svc.cluster.local", "env DATABASE_URL", "20"]],
            );
            assert.deepStrictEqual(
                clientsOf(redis, "redis", objects).map((c) => [c.pod.object, c.endpoint.engine, c.endpoint.host]),
                [[api, "redis", "redis.voting-data.svc.cluster.local"]],
            );
        });

        it("counts a connection only for the server's engine and the server the host reaches", () => {
            const wrongEngine = client("wrong-engine", [{ name: "URL", value: "redis://postgres.voting-data:5432" }]);
            const otherServer = client("other-server", [{ name: "URL", value: "postgres://redis.voting-data/x" }]);
            const right = client("right", [{ name: "PGHOST", value: "postgres.voting-data" }]);
            const objects = [pg, redis, ...services, wrongEngine, otherServer, right];
            assert.deepStrictEqual(
                clientsOf(pg, "postgres", objects).map((c) => c.pod.object),
                [right],
            );
        });

        it("leaves out the server itself and ephemeral containers", () => {
            const self = postgresStatefulSet();
            podTemplate(self)!.spec.containers[0].env.push({ name: "PGHOST", value: "postgres" });
            const debug = client("debug", [], [], [{ name: "PGHOST", value: "postgres.voting-data" }]);
            assert.deepStrictEqual(clientsOf(self, "postgres", [self, services[0], debug]), []);
        });

        it("lists the workloads that run a server of an engine, each with its server containers", () => {
            const [api] = apiClient();
            const found = serverWorkloads([api, pg, redis, ...services], "postgres");
            assert.deepStrictEqual(
                found.map((s) => [s.workload, s.servers.map((c) => c.container.container.name)]),
                [[pg, ["postgres"]]],
            );
            assert.deepStrictEqual(
                serverWorkloads([api, pg, redis], "redis").map((s) => s.workload),
                [redis],
            );
        });
    });
});
