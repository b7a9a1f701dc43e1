import type { CanaryConfig, PlatformConfig } from "../../config/types";
import type { ResolvedWorkload } from "../../config/workloads";
import { PRIORITY_CLASS } from "../scheduling/priorityClass";
import { canaryName, TRACK } from "./canary";
import { httpProbe, PROBE_DEFAULTS, type WorkloadArgs } from "./workload";

import { dataCaMount, dataCaVolume, dataTlsEnabled } from "../data/dataTls";
import { APP_CONNECTIONS as CONNECTION_SECRET } from "../secrets/appSecrets";
import { CONSUMER_POOL_SIZE } from "../data/stores";
import { telemetryEnv } from "../observability/telemetry";

export const STREAM = { name: "votes", group: "vote-processors" } as const;

const fromSecret = (name: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: CONNECTION_SECRET, key } } });

/** An nginx size (`1m`, `512k`, `1048576`) in bytes, so the API enforces the same limit as the edge. */
export function nginxSizeBytes(size: string): number {
    const m = /^(\d+)([kKmMgG]?)$/.exec(size);
    if (!m) throw new Error(`not an nginx size: ${size}`);
    return Number(m[1]) * ({ "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 } as Record<string, number>)[m[2].toLowerCase()];
}

/**
 * The connection Secret's readers roll when it changes, whoever writes it: External Secrets after a
 * rotation, or a `pulumi up` that changes a staging password (which changes the Secret, not the pod
 * template, so without this the pods would keep the old password in their environment).
 */
const RELOAD_ON_CONNECTIONS: Pick<WorkloadArgs, "reloadOnSecrets"> = { reloadOnSecrets: [CONNECTION_SECRET] };

function common(cfg: PlatformConfig, spec: ResolvedWorkload) {
    return { spec, stack: cfg.stack, registry: cfg.images.registry, imagePullSecret: cfg.images.pullSecret, priorityClassName: PRIORITY_CLASS };
}

/** Prod's data connections verify the servers against the data CA, whose certificate the pod mounts (checklist 1.4.3). */
function dataCa(cfg: PlatformConfig): Pick<WorkloadArgs, "volumes"> {
    return dataTlsEnabled(cfg) ? { volumes: [{ volume: dataCaVolume(), mount: dataCaMount() }] } : {};
}

/**
 * nginx's site: the UI's static files, and /api proxied to the API Service. The Ingress can only route to
 * Services in its own namespace, so the frontend carries the frontend → API hop of the traffic matrix.
 *
 * With a canary at a weight above 0, nginx sends each /api/ request to the canary's Service or the stable
 * one by `split_clients` on the request's `$request_id`: a weighted split of requests, independent of how
 * many pods each track runs (checklist 4.3.2). The two are `upstream` blocks, so nginx resolves their
 * Service names once at start, as it does the single proxy_pass without a canary.
 */
export function frontendNginxConfig(api: ResolvedWorkload, requestSizeLimit: string, canary?: Pick<CanaryConfig, "weight">): string {
    const service = (name: string) => `${name}.${api.namespace}.svc.cluster.local:${api.port}`;
    const split = canary !== undefined && canary.weight > 0;
    const upstreams = split
        ? `upstream ${API_UPSTREAMS.stable} {
    server ${service(api.name)};
}

upstream ${API_UPSTREAMS.canary} {
    server ${service(canaryName(api.name))};
}

split_clients "$request_id" $api_upstream {
    ${canary.weight}% ${API_UPSTREAMS.canary};
    * ${API_UPSTREAMS.stable};
}

`
        : "";
    return `${upstreams}server {
    listen 8080;
    server_name _;
    root /usr/share/nginx/html;
    client_max_body_size ${requestSizeLimit};

    location /api/ {
        proxy_pass http://${split ? "$api_upstream" : service(api.name)};
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;
        proxy_connect_timeout 5s;
        proxy_read_timeout 30s;
    }

    location / {
        try_files $uri $uri/ /index.html;
    }
}
`;
}

/** The frontend's nginx upstreams of the API's two tracks while a canary takes requests. */
export const API_UPSTREAMS = { stable: "api_stable", canary: "api_canary" } as const;

/** nginx serving the UI on 8080 as UID 1000; it writes only its cache, pid and temp dirs. */
export function frontendArgs(cfg: PlatformConfig, spec: ResolvedWorkload, api: ResolvedWorkload): WorkloadArgs {
    return {
        ...common(cfg, spec),
        image: cfg.images.frontend,
        configFiles: { mountPath: "/etc/nginx/conf.d", files: { "default.conf": frontendNginxConfig(api, cfg.app.requestSizeLimit, cfg.canary) } },
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
            { name: "MAX_REQUEST_BYTES", value: String(nginxSizeBytes(cfg.app.requestSizeLimit)) },
            ...telemetryEnv(cfg, "api", cfg.images.api.tag),
            fromSecret("DATABASE_URL", "DATABASE_URL"),
            fromSecret("REDIS_URL", "REDIS_URL"),
        ],
        liveness: httpProbe("/health", spec.port),
        readiness: httpProbe("/ready", spec.port, PROBE_DEFAULTS.readinessInitialDelaySeconds),
        startup: { ...httpProbe("/health", spec.port), failureThreshold: 30, periodSeconds: 2 },
        writablePaths: [{ name: "tmp", mountPath: "/tmp" }],
        ...dataCa(cfg),
        ...RELOAD_ON_CONNECTIONS,
        scaling: "hpa",
        minAvailable: spec.minAvailable,
        podLabels: { [TRACK.key]: TRACK.stable },
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
            // Stated so that PostgreSQL's max_connections can be checked against it (checklist 5.2.1).
            { name: "DB_POOL_SIZE", value: String(CONSUMER_POOL_SIZE) },
            ...telemetryEnv(cfg, "consumer", cfg.images.consumer.tag),
            fromSecret("DATABASE_URL", "DATABASE_URL"),
            fromSecret("REDIS_URL", "REDIS_URL"),
        ],
        liveness: httpProbe("/health", spec.port),
        readiness: httpProbe("/ready", spec.port, PROBE_DEFAULTS.readinessInitialDelaySeconds),
        writablePaths: [{ name: "tmp", mountPath: "/tmp" }],
        ...dataCa(cfg),
        ...RELOAD_ON_CONNECTIONS,
        // KEDA's ScaledObject owns the count, scaling on the group's pending entries.
        scaling: "external",
        minAvailable: spec.minAvailable,
    };
}
