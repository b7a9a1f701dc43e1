import { clientsOf, resolvedEnv, serverWorkloads, type Client } from "../../lib/connections";
import { postgresSettings } from "../../lib/dataStores";
import { containersOf, describe, integer, isSidecar, type K8sObject, nameOf, podTemplate, record } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";
import { autoscalerFor, isKind, LONG_RUNNING, SCALABLE } from "../../lib/workloads";
import { resourceSet } from "../../lib/resourceSet";

export interface PoolBudgetConfig {
    /** Environment variables stating a client's pool size; the first one set counts. */
    poolSizeEnv: string[];
    /** Environment variables stating connections a pool may open beyond its size; all set ones add up. */
    overflowEnv: string[];
    /** `namespace/name` → the smallest pool that workload may state. */
    minPoolSizes: Record<string, number>;
    /** Connections a Job's or CronJob's container holds when it states no pool. */
    jobConnections: number;
}

/** PostgreSQL's defaults for the settings that bound client connections. */
const PG_DEFAULTS = { max_connections: 100, superuser_reserved_connections: 3, reserved_connections: 0 };

interface PoolSize {
    readonly size?: number;
    readonly overflow: number;
    /** `DB_POOL_SIZE 20`, `DB_POOL_SIZE 20 + DB_MAX_OVERFLOW 5`. */
    readonly text: string;
    readonly problem?: string;
}

function poolOf(env: ReadonlyMap<string, string>, cfg: PoolBudgetConfig): PoolSize {
    const name = cfg.poolSizeEnv.find((n) => env.has(n));
    const extra = cfg.overflowEnv.filter((n) => env.has(n));
    const bad = [name, ...extra].find((n) => n !== undefined && integer(env.get(n)) === undefined);
    if (bad) return { overflow: 0, text: bad, problem: `states ${bad}=${JSON.stringify(env.get(bad))}, which is not a number of connections` };
    const size = name === undefined ? undefined : integer(env.get(name));
    const overflow = extra.reduce((n, e) => n + integer(env.get(e))!, 0);
    const text = [name && `${name} ${size}`, ...extra.map((e) => `${e} ${env.get(e)}`)].filter(Boolean).join(" + ");
    return { size, overflow, text };
}

/** The most pods a client workload may run at once: its autoscaler's maximum, its replicas, or a Job's parallelism. */
function maxPods(obj: K8sObject, objects: readonly K8sObject[]): number | undefined {
    if (isKind(obj, SCALABLE)) {
        const scaler = autoscalerFor(obj, objects);
        if (scaler) return integer(scaler.max);
        return integer(record(obj.spec).replicas) ?? 1;
    }
    if (obj.kind === "Job") return integer(record(obj.spec).parallelism) ?? 1;
    if (obj.kind === "CronJob") return integer(record(record(record(obj.spec).jobTemplate).spec).parallelism) ?? 1;
    if (obj.kind === "Pod") return 1;
    return undefined;
}

/**
 * Checklist 5.2.1: each PostgreSQL server accepts every connection its clients may open at once. The
 * clients are the containers whose environment points at the server (PGHOST, or a postgres URL naming a
 * Service that selects its pods, read through Secrets, ExternalSecret templates and ConfigMaps); each
 * holds its stated pool (plus overflow), a Job's container one connection unless it states a pool; a
 * workload runs its autoscaler's maximum of pods. The sum must fit in max_connections less the slots
 * reserved for superusers (superuser_reserved_connections, reserved_connections). Workloads the pack
 * config names must also pool at least their minimum (the API 20 in prod). DaemonSet clients, whose pod
 * count depends on the nodes, are not counted.
 */
export const enforceConnectionPoolBudget = defineRule<PoolBudgetConfig>({
    scope: "stack",
    name: "enforce-connection-pool-budget",
    description:
        "Every PostgreSQL server's max_connections, less its reserved slots, holds the pools of all its clients at their maximum scale (autoscaler maxima, Job parallelism); long-running clients state their pool size, and the workloads the pack config names pool at least their minimum.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Raise PostgreSQL's max_connections (-c max_connections=N) above the sum of pool size × maximum pods of every client plus the reserved slots, or shrink the pools or the autoscalers' maxima; state each client's pool in DB_POOL_SIZE (API 20 in prod).",
    checklist: ["5.2.1"],
    settings: {
        poolSizeEnv: {
            type: "array",
            items: { type: "string" },
            description: "Environment variables stating a client's pool size; the first one set counts.",
            default: ["DB_POOL_SIZE"],
        },
        overflowEnv: {
            type: "array",
            items: { type: "string" },
            description: "Environment variables stating connections opened beyond the pool; all set ones add up.",
            default: ["DB_MAX_OVERFLOW"],
        },
        minPoolSizes: {
            type: "object",
            additionalProperties: { type: "integer", minimum: 1 },
            description: 'Smallest pool each workload may state, keyed by "namespace/name", e.g. {"voting-api/api": 20}.',
            default: {},
        },
        jobConnections: {
            type: "integer",
            minimum: 1,
            description: "Connections a Job's or CronJob's container holds when it states no pool.",
            default: 1,
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        for (const { workload: server, servers } of serverWorkloads(objects, "postgres")) {
            if (!isKind(server, LONG_RUNNING)) continue;
            const settings = postgresSettings(servers[0].argv ?? []);
            const setting = (k: keyof typeof PG_DEFAULTS) => integer(settings.get(k)) ?? PG_DEFAULTS[k];
            const max = setting("max_connections");
            const reserved = setting("superuser_reserved_connections") + setting("reserved_connections");
            const byWorkload = new Map<K8sObject, Client[]>();
            for (const c of clientsOf(server, "postgres", objects)) byWorkload.set(c.pod.object, [...(byWorkload.get(c.pod.object) ?? []), c]);
            let total = 0;
            const parts: string[] = [];
            for (const [client, conns] of byWorkload) {
                const pods = maxPods(client, objects);
                if (pods === undefined) continue;
                const job = client.kind === "Job" || client.kind === "CronJob";
                let running = 0;
                let init = 0;
                for (const c of conns) {
                    const pool = poolOf(c.env, cfg);
                    const say = (m: string) => out.push({ object: client, message: `${describe(client)}: ${c.container.label} ${m}` });
                    if (pool.problem) {
                        say(pool.problem);
                        continue;
                    }
                    if (pool.size === undefined && !job) {
                        say(
                            `connects to PostgreSQL in ${describe(server)} (${c.endpoint.via}) but states no pool size (${cfg.poolSizeEnv.join(" or ")}), so its connections cannot be counted; state it`,
                        );
                        continue;
                    }
                    const n = (pool.size ?? cfg.jobConnections) + pool.overflow;
                    if (c.container.kind === "container" || isSidecar(c.container)) running += n;
                    else init = Math.max(init, n);
                }
                const perPod = Math.max(running, init);
                if (perPod === 0) continue;
                total += pods * perPod;
                parts.push(`${describe(client)} ${pods} pod(s) × ${perPod}`);
            }
            const usable = max - reserved;
            if (total > usable) {
                out.push({
                    object: server,
                    message: `${describe(server)}: max_connections ${max} leaves ${usable} for clients (${reserved} reserved for superusers), but its clients may open ${total} at their maximum scale: ${parts.join(", ")}; raise max_connections to at least ${total + reserved} or shrink the pools`,
                });
            }
        }
        for (const [ref, min] of Object.entries(cfg.minPoolSizes)) {
            const [ns, name] = ref.split("/");
            const workload = resourceSet(objects)
                .workloadsIn(ns)
                .find((p) => nameOf(p.object) === name)?.object;
            const want = integer(min);
            if (!workload || want === undefined) continue;
            const pod = podTemplate(workload)!;
            const stated = containersOf(pod.spec)
                .filter((c) => c.kind === "container")
                .map((c) => ({ c, pool: poolOf(resolvedEnv(pod, c, objects), cfg) }))
                .filter((x) => x.pool.size !== undefined);
            if (stated.length === 0)
                out.push({
                    object: workload,
                    message: `${describe(workload)}: states no pool size (${cfg.poolSizeEnv.join(" or ")}) where a pool of at least ${want} connections is required`,
                });
            for (const { c, pool } of stated.filter((x) => x.pool.size! < want))
                out.push({
                    object: workload,
                    message: `${describe(workload)}: ${c.label} states ${pool.text} where a pool of at least ${want} connections is required`,
                });
        }
        return out;
    },
});
