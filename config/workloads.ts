import { formatCpu, formatMemory, cpuMillis, memoryBytes } from "../policies/lib/quantity";
import type { Environment, PlatformConfig, ResourcePair, WorkloadName } from "./types";

/** What the checklist fixes for each workload; stack config may override sizes and replica counts. */
export interface WorkloadSpec {
    readonly name: WorkloadName;
    readonly namespace: string;
    readonly component: "frontend" | "api" | "consumer" | "database" | "cache";
    /** Port the container listens on. */
    readonly port: number;
    readonly runAsUser: number;
    readonly requests: ResourcePair;
    /** Replicas in prod (the HPA/KEDA minimum where an autoscaler owns the count). */
    readonly replicas: number;
    /** Most replicas an autoscaler may run; equals `replicas` when nothing scales it. */
    readonly maxReplicas: number;
    /** Pods its PodDisruptionBudget keeps available (checklist 2.3.3). @default replicas - 1 */
    readonly minAvailable?: number;
    /** Seconds a slow starter may take before its liveness probe runs (checklist 2.1.3). */
    readonly startupSeconds?: number;
}

export const NAMESPACES = {
    frontend: "voting-frontend",
    api: "voting-api",
    consumer: "voting-consumer",
    data: "voting-data",
} as const;

/**
 * Checklist 2.2.1 (requests), 2.3.1 (replicas), 2.3.3 (budgets), 2.1.3 (startup), 5.1.1 (API HPA 3..10), 1.1.1 (UIDs).
 * @default limits are 2× requests (2.2.2).
 */
export const WORKLOAD_DEFAULTS: Readonly<Record<WorkloadName, WorkloadSpec>> = {
    frontend: {
        name: "frontend",
        namespace: NAMESPACES.frontend,
        component: "frontend",
        port: 8080,
        runAsUser: 1000,
        requests: { cpu: "50m", memory: "64Mi" },
        replicas: 3,
        maxReplicas: 3,
    },
    api: {
        name: "api",
        namespace: NAMESPACES.api,
        component: "api",
        port: 8000,
        runAsUser: 65532,
        requests: { cpu: "200m", memory: "256Mi" },
        replicas: 3,
        maxReplicas: 10,
        minAvailable: 2,
    },
    consumer: {
        name: "consumer",
        namespace: NAMESPACES.consumer,
        component: "consumer",
        port: 8080,
        runAsUser: 1000,
        requests: { cpu: "100m", memory: "128Mi" },
        replicas: 2,
        maxReplicas: 6,
        minAvailable: 1,
    },
    postgres: {
        name: "postgres",
        namespace: NAMESPACES.data,
        component: "database",
        port: 5432,
        runAsUser: 999,
        requests: { cpu: "250m", memory: "512Mi" },
        replicas: 1,
        maxReplicas: 1,
        startupSeconds: 60,
    },
    redis: {
        name: "redis",
        namespace: NAMESPACES.data,
        component: "cache",
        port: 6379,
        runAsUser: 999,
        requests: { cpu: "100m", memory: "256Mi" },
        replicas: 1,
        maxReplicas: 1,
        startupSeconds: 30,
    },
};

/** Staging runs fewer copies of the stateless tiers; it says so here rather than by accident. */
export const STAGING_REPLICAS: Readonly<Partial<Record<WorkloadName, { replicas: number; maxReplicas: number }>>> = {
    frontend: { replicas: 2, maxReplicas: 2 },
    api: { replicas: 2, maxReplicas: 4 },
    consumer: { replicas: 1, maxReplicas: 3 },
};

export interface ResolvedWorkload extends WorkloadSpec {
    readonly limits: ResourcePair;
}

export function doubled(pair: ResourcePair): ResourcePair {
    return { cpu: formatCpu(2 * cpuMillis(pair.cpu)!), memory: formatMemory(2 * memoryBytes(pair.memory)!) };
}

/** The spec of one workload in one environment, stack overrides applied. */
export function resolveWorkload(name: WorkloadName, environment: Environment, overrides: PlatformConfig["workloads"] = {}): ResolvedWorkload {
    const base = WORKLOAD_DEFAULTS[name];
    const envReplicas = environment === "staging" ? STAGING_REPLICAS[name] : undefined;
    const o = overrides[name] ?? {};
    const requests = o.requests ?? base.requests;
    const replicas = o.replicas ?? envReplicas?.replicas ?? base.replicas;
    return {
        ...base,
        requests,
        limits: o.limits ?? doubled(requests),
        replicas,
        maxReplicas: Math.max(replicas, o.maxReplicas ?? envReplicas?.maxReplicas ?? base.maxReplicas),
    };
}

export function resolveWorkloads(cfg: Pick<PlatformConfig, "environment" | "workloads">): ResolvedWorkload[] {
    return (Object.keys(WORKLOAD_DEFAULTS) as WorkloadName[]).map((n) => resolveWorkload(n, cfg.environment, cfg.workloads));
}

/**
 * The pods a workload's PodDisruptionBudget keeps available: its `minAvailable`, else all but one, and
 * never every replica (a budget that keeps them all blocks node drains). 0: the workload runs one pod.
 */
export function budgetMinAvailable(w: Pick<ResolvedWorkload, "replicas" | "minAvailable">): number {
    return Math.max(0, Math.min(w.minAvailable ?? w.replicas - 1, w.replicas - 1));
}

/** The smallest connection pool the API may use in production (checklist 5.2.1). */
export const PROD_MIN_DB_POOL_SIZE = 20;
