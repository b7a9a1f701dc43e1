import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { enforceConnectionPoolBudget } from "../../../../policies/rules/scaling/enforceConnectionPoolBudget";
import { apiClient, asPodKind, backupCronJob, containerOf, headlessService, postgresStatefulSet, specOf } from "../../../helpers/dataFixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const PG = "StatefulSet voting-data/postgres";

/** The consumer: up to 6 pods (KEDA), a pool of 5, its URL in a Secret of the resource set. */
function consumer(): K8sObject[] {
    const [api] = apiClient();
    const deployment = withChange(api, (x) => {
        x.metadata!.name = "consumer";
        x.metadata!.namespace = "voting-consumer";
        containerOf(x).name = "consumer";
        containerOf(x).env = [
            { name: "DB_POOL_SIZE", value: "5" },
            { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "app-connections", key: "DATABASE_URL" } } },
        ];
    });
    return [
        deployment,
        {
            apiVersion: "keda.sh/v1alpha1",
            kind: "ScaledObject",
            metadata: { name: "consumer", namespace: "voting-consumer" },
            spec: { scaleTargetRef: { name: "consumer" }, minReplicaCount: 2, maxReplicaCount: 6, triggers: [] },
        },
        {
            apiVersion: "v1",
            kind: "Secret",
            metadata: { name: "app-connections", namespace: "voting-consumer" },
            stringData: { DATABASE_URL: "postgresql://voting:pw@postgres.voting-data.svc.cluster.local:5432/votes" },
        },
    ];
}

/** PostgreSQL with `max_connections` and its clients: the API (10 × 20), the consumer (6 × 5), the backup (1 × 1): 231. */
const stack = (maxConnections: string, extra: string[] = []): K8sObject[] => [
    withChange(postgresStatefulSet(), (x) => {
        const args: string[] = containerOf(x).args;
        args[args.indexOf("max_connections=250")] = `max_connections=${maxConnections}`;
        args.push(...extra);
    }),
    headlessService("postgres", 5432),
    ...apiClient(),
    ...consumer(),
    backupCronJob(),
];
const CLIENTS =
    "Deployment voting-api/api 10 pod(s) × 20, Deployment voting-consumer/consumer 6 pod(s) × 5, CronJob voting-data/postgres-backup 1 pod(s) × 1";
const over = (max: number, usable: number, reserved: number, total: number, clients = CLIENTS) =>
    `${PG}: max_connections ${max} leaves ${usable} for clients (${reserved} reserved for superusers), but its clients may open ${total} at their maximum scale: ${clients}; raise max_connections to at least ${total + reserved} or shrink the pools`;
const check = (objects: K8sObject[], cfg: Record<string, unknown> = {}) => violations(enforceConnectionPoolBudget, objects, cfg);
const apiEnv = (objects: K8sObject[]) => containerOf(objects.find((o) => o.kind === "Deployment" && o.metadata?.name === "api")!).env;

describe(enforceConnectionPoolBudget.name, () => {
    it("accepts max_connections that holds every client at its maximum scale with the superuser slots to spare", () => {
        assert.deepStrictEqual(check(stack("250")), []);
        assert.deepStrictEqual(check(stack("234")), []);
    });

    it("refuses max_connections one short of the clients' maximum plus the reserved slots", () => {
        assert.deepStrictEqual(check(stack("233")), [over(233, 230, 3, 231)]);
    });

    it("reads max_connections as -N and its default of 100, and the reserved slots from the arguments", () => {
        const flag = withChange(stack("250"), (x) => containerOf(x[0]).args.push("-N", "200"));
        assert.deepStrictEqual(check(flag), [over(200, 197, 3, 231)]);
        const unset = withChange(
            stack("250"),
            (x) => (containerOf(x[0]).args = containerOf(x[0]).args.filter((a: string) => !a.startsWith("max_connections"))),
        );
        assert.deepStrictEqual(check(unset), [over(100, 97, 3, 231)]);
        const reserving = ["-c", "superuser_reserved_connections=10", "-c", "reserved_connections=10"];
        assert.deepStrictEqual(check(stack("251", reserving)), []);
        assert.deepStrictEqual(check(stack("250", reserving)), [over(250, 230, 20, 231)]);
        assert.deepStrictEqual(check(stack("251", [...reserving, "-c", "max_connections=240"])), [over(240, 220, 20, 231)]);
    });

    it("adds a stated overflow to the pool, and counts a Job's parallelism", () => {
        const overflow = withChange(stack("250"), (x) => apiEnv(x).push({ name: "DB_MAX_OVERFLOW", value: "2" }));
        assert.deepStrictEqual(check(overflow), [over(250, 247, 3, 251, CLIENTS.replace("10 pod(s) × 20", "10 pod(s) × 22"))]);
        const parallel = withChange(stack("234"), (x) => (x[x.length - 1].spec.jobTemplate.spec.parallelism = 2));
        assert.deepStrictEqual(check(parallel), [over(234, 231, 3, 232, CLIENTS.replace("1 pod(s) × 1", "2 pod(s) × 1"))]);
    });

    it("counts a pod's running containers together and its init containers one at a time", () => {
        const pod = withChange(stack("250"), (x) => {
            const api = x.find((o) => o.metadata?.name === "api" && o.kind === "Deployment")!;
            const sidecar = { ...structuredClone(containerOf(api)), name: "worker" };
            specOf(api).containers.push(sidecar);
            specOf(api).initContainers = [
                { ...structuredClone(containerOf(api)), name: "migrate" },
                { ...structuredClone(containerOf(api)), name: "seed" },
            ];
        });
        assert.deepStrictEqual(check(pod), [over(250, 247, 3, 431, CLIENTS.replace("10 pod(s) × 20", "10 pod(s) × 40"))]);
    });

    it("refuses a long-running client that states no pool, or one that is not a number", () => {
        const none = withChange(stack("250"), (x) => apiEnv(x).splice(0, 1));
        assert.deepStrictEqual(check(none), [
            `Deployment voting-api/api: container "api" connects to PostgreSQL in ${PG} (env DATABASE_URL) but states no pool size (DB_POOL_SIZE), so its connections cannot be counted; state it`,
        ]);
        const text = withChange(stack("250"), (x) => (apiEnv(x)[0].value = "twenty"));
        assert.deepStrictEqual(check(text), [
            'Deployment voting-api/api: container "api" states DB_POOL_SIZE="twenty", which is not a number of connections',
        ]);
    });

    it("finds clients through PGHOST, ConfigMaps and envFrom, on every kind that runs pods, and leaves DaemonSets uncounted", () => {
        for (const kind of ["Deployment", "StatefulSet", "ReplicaSet", "Job", "CronJob", "Pod"] as const) {
            const base = stack("234");
            const api = base.find((o) => o.metadata?.name === "api" && o.kind === "Deployment")!;
            const other = withChange(asPodKind(kind, api), (x) => {
                x.metadata!.name = "reporter";
                containerOf(x).env = [];
                containerOf(x).envFrom = [{ configMapRef: { name: "reporter" } }];
            });
            const map: K8sObject = {
                apiVersion: "v1",
                kind: "ConfigMap",
                metadata: { name: "reporter", namespace: "voting-api" },
                data: { PGHOST: "postgres.voting-data", DB_POOL_SIZE: "4" },
            };
            const found = check([...base, other, map]);
            assert.strictEqual(found.length, 1, kind);
            assert.ok(found[0].includes(`${kind} voting-api/reporter 1 pod(s) × 4`), found[0]);
        }
        const daemon = withChange(asPodKind("DaemonSet", stack("234")[2]), (x) => (x.metadata!.name = "agent"));
        assert.deepStrictEqual(check([...stack("234"), daemon]), []);
    });

    it("holds the workloads its settings name to a smallest pool, read from the variables the settings name", () => {
        const cfg = { minPoolSizes: { "voting-api/api": 20 } };
        assert.deepStrictEqual(check(stack("250"), cfg), []);
        assert.deepStrictEqual(
            check(
                withChange(stack("250"), (x) => (apiEnv(x)[0].value = "19")),
                cfg,
            ),
            ['Deployment voting-api/api: container "api" states DB_POOL_SIZE 19 where a pool of at least 20 connections is required'],
        );
        assert.deepStrictEqual(check(apiClient(), { ...cfg, poolSizeEnv: ["POOL"] }), [
            "Deployment voting-api/api: states no pool size (POOL) where a pool of at least 20 connections is required",
        ]);
    });

    it("names every pool variable the settings read when a client states none", () => {
        const none = withChange(stack("250"), (x) => apiEnv(x).splice(0, 1));
        assert.deepStrictEqual(check(none, { poolSizeEnv: ["DB_POOL_SIZE", "POOL_SIZE"] }), [
            `Deployment voting-api/api: container "api" connects to PostgreSQL in ${PG} (env DATABASE_URL) but states no pool size (DB_POOL_SIZE or POOL_SIZE), so its connections cannot be counted; state it`,
        ]);
        assert.deepStrictEqual(check(apiClient(), { minPoolSizes: { "voting-api/api": 20 }, poolSizeEnv: ["POOL", "POOL_SIZE"] }), [
            "Deployment voting-api/api: states no pool size (POOL or POOL_SIZE) where a pool of at least 20 connections is required",
        ]);
    });

    it("counts the clients it can and leaves out a DaemonSet and a client whose pool it cannot read", () => {
        const daemon = withChange(asPodKind("DaemonSet", stack("233")[2]), (x) => (x.metadata!.name = "agent"));
        assert.deepStrictEqual(check([...stack("233"), daemon]), [over(233, 230, 3, 231)]);
        const unreadable = withChange(
            stack("203"),
            (x) => (containerOf(x.find((o) => o.metadata?.name === "consumer" && o.kind === "Deployment")!).env[0].value = "five"),
        );
        assert.deepStrictEqual(check(unreadable), [
            'Deployment voting-consumer/consumer: container "consumer" states DB_POOL_SIZE="five", which is not a number of connections',
            over(203, 200, 3, 201, "Deployment voting-api/api 10 pod(s) × 20, CronJob voting-data/postgres-backup 1 pod(s) × 1"),
        ]);
    });

    it("judges only long-running servers: a CronJob's own PostgreSQL, as a restore test starts, serves no shared clients", () => {
        const restoreTest = withChange(asPodKind("CronJob", stack("10")[0]), (x) => (x.metadata!.name = "restore-test"));
        assert.deepStrictEqual(check([...stack("250"), restoreTest]), []);
    });

    it("checks the smallest pool on running containers only, prints the overflow a pool states, and passes over a workload it lacks", () => {
        const cfg = { minPoolSizes: { "voting-api/api": 20 } };
        const migrate = withChange(stack("250"), (x) => {
            const api = x.find((o) => o.metadata?.name === "api" && o.kind === "Deployment")!;
            specOf(api).initContainers = [{ ...structuredClone(containerOf(api)), name: "migrate", env: [{ name: "DB_POOL_SIZE", value: "1" }] }];
        });
        assert.deepStrictEqual(check(migrate, cfg), []);
        const overflow = withChange(stack("300"), (x) => {
            apiEnv(x)[0].value = "15";
            apiEnv(x).push({ name: "DB_MAX_OVERFLOW", value: "5" });
        });
        assert.deepStrictEqual(check(overflow, { ...cfg, overflowEnv: ["DB_MAX_OVERFLOW", "DB_BURST"] }), [
            'Deployment voting-api/api: container "api" states DB_POOL_SIZE 15 + DB_MAX_OVERFLOW 5 where a pool of at least 20 connections is required',
        ]);
        assert.deepStrictEqual(check(stack("250"), { minPoolSizes: { "voting-api/gone": 20 } }), []);
    });

    it("blocks the registry's mutants of 5.2.1 on the rendered prod stack", async () => {
        const prodClients = (api: string) =>
            `Job voting-api/schema-migrate-a5f7611f 1 pod(s) × 1, Deployment voting-api/api ${api}, Deployment voting-consumer/consumer 6 pod(s) × 5, Job voting-api/verify-smoke-a5f7611f 1 pod(s) × 1, Job voting-api/verify-performance-a5f7611f 1 pod(s) × 1, Job voting-api/verify-e2e-a5f7611f 1 pod(s) × 1, CronJob voting-data/postgres-backup 1 pod(s) × 1, CronJob voting-data/postgres-restore 1 pod(s) × 1, CronJob voting-data/postgres-restore-test 1 pod(s) × 1`;
        // max_connections keeps room for a canary of the API at the API's maximum beside it: (10 + 10) × 20 + 6 × 5 + 20.
        assert.deepStrictEqual(await registryMutantBlockers("5.2.1", "the API's pool grows to 50 connections and max_connections stays"), [
            `enforce-connection-pool-budget: ${over(450, 447, 3, 537, prodClients("10 pod(s) × 50"))}`,
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("5.2.1", "the API's HPA may reach 25 pods and max_connections stays"), [
            `enforce-connection-pool-budget: ${over(450, 447, 3, 537, prodClients("25 pod(s) × 20"))}`,
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("5.2.1", "the API pools 10 connections in prod where the checklist asks 20"), [
            'enforce-connection-pool-budget: Deployment voting-api/api: container "api" states DB_POOL_SIZE 10 where a pool of at least 20 connections is required',
        ]);
    });
});
