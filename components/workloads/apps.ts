import type { PlatformConfig } from "../../config/types";
import type { ResolvedWorkload } from "../../config/workloads";
import { httpProbe, PROBE_DEFAULTS, type WorkloadArgs } from "./workload";

/** Secret (in each app namespace) that carries DATABASE_URL and REDIS_URL; app config never holds them literally. */
export const CONNECTION_SECRET = "app-connections";

export const STREAM = { name: "votes", group: "vote-processors" } as const;

const fromSecret = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: CONNECTION_SECRET, key } } });

function common(cfg: PlatformConfig, spec: ResolvedWorkload) {
    return { spec, stack: cfg.stack, registry: cfg.images.registry, imagePullSecret: cfg.images.pullSecret };
}

/** nginx serving the UI on 8080 as UID 1000; it writes only its cache, pid and temp dirs. */
export function frontendArgs(cfg: PlatformConfig, spec: ResolvedWorkload): WorkloadArgs {
    return {
        ...common(cfg, spec),
        image: cfg.images.frontend,
        liveness: httpProbe("/", spec.port),
        readiness: httpProbe("/", spec.port, PROBE_DEFAULTS.readinessInitialDelaySeconds),
        writablePaths: [
            { name: "tmp", mountPath: "/tmp" },
            { name: "nginx-cache", mountPath: "/var/cache/nginx", sizeLimit: "128Mi" },
            { name: "nginx-run", mountPath: "/var/run", sizeLimit: "1Mi" },
        ],
        scaling: "fixed",
    };
}

/** FastAPI on 8000 as distroless UID 65532; the HPA owns its replica count. */
export function apiArgs(cfg: PlatformConfig, spec: ResolvedWorkload): WorkloadArgs {
    return {
        ...common(cfg, spec),
        image: cfg.images.api,
        env: [
            { name: "LOG_LEVEL", value: cfg.app.logLevel },
            { name: "LOG_FORMAT", value: cfg.app.logFormat },
            { name: "CORS_ORIGINS", value: cfg.corsOrigins.join(",") },
            { name: "DB_POOL_SIZE", value: String(cfg.app.dbPoolSize) },
            { name: "MAX_REQUEST_SIZE", value: cfg.app.requestSizeLimit },
            fromSecret("DATABASE_URL", "DATABASE_URL"),
            fromSecret("REDIS_URL", "REDIS_URL"),
        ],
        liveness: httpProbe("/health", spec.port),
        readiness: httpProbe("/ready", spec.port, PROBE_DEFAULTS.readinessInitialDelaySeconds),
        startup: { ...httpProbe("/health", spec.port), failureThreshold: 30, periodSeconds: 2 },
        writablePaths: [{ name: "tmp", mountPath: "/tmp" }],
        scaling: "hpa",
        minAvailable: 2,
    };
}

/**
 * The stream consumer, UID 1000. Its HTTP endpoints answer from the consumer loop itself: /health fails
 * when the loop has stalled, /ready when the consumer cannot read its group on the stream.
 */
export function consumerArgs(cfg: PlatformConfig, spec: ResolvedWorkload): WorkloadArgs {
    return {
        ...common(cfg, spec),
        image: cfg.images.consumer,
        env: [
            { name: "LOG_LEVEL", value: cfg.app.logLevel },
            { name: "LOG_FORMAT", value: cfg.app.logFormat },
            { name: "STREAM_NAME", value: STREAM.name },
            { name: "CONSUMER_GROUP", value: STREAM.group },
            { name: "CONSUMER_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
            fromSecret("DATABASE_URL", "DATABASE_URL"),
            fromSecret("REDIS_URL", "REDIS_URL"),
        ],
        liveness: httpProbe("/health", spec.port),
        readiness: httpProbe("/ready", spec.port, PROBE_DEFAULTS.readinessInitialDelaySeconds),
        writablePaths: [{ name: "tmp", mountPath: "/tmp" }],
        // Fixed until the KEDA ScaledObject on stream lag owns the count.
        scaling: "fixed",
        minAvailable: 1,
    };
}
