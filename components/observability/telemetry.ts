import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import type { PlatformConfig } from "../../config/types";
import { doubled, NAMESPACES, type ResolvedWorkload } from "../../config/workloads";
import { identityAnnotation } from "../jobs/postgresBackup";
import { standardLabels } from "../labels";
import { PRIORITY_CLASS } from "../scheduling/priorityClass";
import { httpProbe, PROBE_DEFAULTS, Workload } from "../workloads/workload";
import type { LogDestinations } from "../cloud/logStorage";
import { STORE, type IExternalSecret } from "../secrets/appSecrets";

export const COLLECTOR = "otel-collector";
const HEALTH_PORT = 13133;

/** The OpenTelemetry Collector as a platform workload: two replicas in the API's namespace, OTLP gRPC on 4317. */
export function collectorSpec(environment: PlatformConfig["environment"]): ResolvedWorkload {
    const requests = { cpu: "100m", memory: "128Mi" };
    const replicas = environment === "prod" ? 2 : 1;
    return {
        name: COLLECTOR as ResolvedWorkload["name"],
        namespace: NAMESPACES.api,
        component: "telemetry" as ResolvedWorkload["component"],
        port: 4317,
        runAsUser: 10001,
        requests,
        limits: doubled(requests),
        replicas,
        maxReplicas: replicas,
    };
}

export const collectorEndpoint = (w: ResolvedWorkload) => `http://${w.name}.${w.namespace}.svc.cluster.local:${w.port}`;

/** Log records that are audit events (checklist 6.4.2): vote submissions and processing. */
const AUDIT = `(attributes["event"] == "vote_submitted" or attributes["event"] == "vote_processed")`;

/**
 * The collector's configuration: OTLP in; logs split into the application stream and the audit stream
 * (each to its own destination and retention), traces to the tracing backend.
 */
export function collectorConfig(
    cfg: Pick<PlatformConfig, "features" | "tracing" | "environment" | "stack">,
    logs?: LogDestinations,
): Record<string, unknown> {
    const exporters: Record<string, unknown> = {};
    const pipelines: Record<string, unknown> = {};
    const processors = ["memory_limiter", "resource"];
    if (cfg.features.logShipping && logs) {
        for (const stream of ["app", "audit"] as const) {
            const name =
                logs.provider === "aws"
                    ? `awscloudwatchlogs/${stream}`
                    : logs.provider === "gcp"
                      ? `googlecloud/${stream}`
                      : `azuremonitor/${stream}`;
            exporters[name] =
                logs.provider === "aws"
                    ? { region: logs.region, log_group_name: logs.groups[stream], log_stream_name: cfg.stack, raw_log: true }
                    : logs.provider === "gcp"
                      ? { project: logs.project, log: { default_log_name: logs.logNames[stream] } }
                      : { connection_string: `\${env:${stream.toUpperCase()}_LOGS_CONNECTION_STRING}` };
            pipelines[`logs/${stream}`] = { receivers: ["otlp"], processors: [...processors, `filter/${stream}`, "batch"], exporters: [name] };
        }
    }
    if (cfg.features.tracing && cfg.tracing.endpoint) {
        exporters["otlp/traces"] = { endpoint: cfg.tracing.endpoint, tls: { insecure: true } };
        pipelines.traces = { receivers: ["otlp"], processors: [...processors, "batch"], exporters: ["otlp/traces"] };
    }
    return {
        receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" } } } },
        extensions: { health_check: { endpoint: `0.0.0.0:${HEALTH_PORT}` } },
        processors: {
            memory_limiter: { check_interval: "1s", limit_percentage: 80, spike_limit_percentage: 20 },
            batch: { timeout: "5s" },
            resource: { attributes: [{ key: "deployment.environment", value: cfg.environment, action: "upsert" }] },
            // A filter drops what matches: the app stream drops audit events, the audit stream everything else.
            "filter/app": { error_mode: "ignore", logs: { log_record: [AUDIT] } },
            "filter/audit": { error_mode: "ignore", logs: { log_record: [`not ${AUDIT}`] } },
        },
        exporters,
        service: { extensions: ["health_check"], pipelines },
    };
}

type EnvVar = k8s.types.input.core.v1.EnvVar;

/**
 * What an app needs to log and trace as the checklist asks (3.1.1, 3.3.1): JSON logs with the named fields,
 * its service name, and the OpenTelemetry SDK's standard variables: logs and traces over OTLP to the
 * collector when shipping is on, parent-based ratio sampling at `tracing.sampleRatio`.
 */
export function telemetryEnv(cfg: Pick<PlatformConfig, "features" | "tracing" | "environment">, service: string, version: string): EnvVar[] {
    const collector = collectorEndpoint(collectorSpec(cfg.environment));
    const logs = cfg.features.logShipping;
    const traces = cfg.features.tracing;
    return [
        { name: "SERVICE_NAME", value: service },
        { name: "LOG_FIELDS", value: "timestamp,level,message,service,trace_id" },
        { name: "OTEL_SERVICE_NAME", value: service },
        {
            name: "OTEL_RESOURCE_ATTRIBUTES",
            value: `service.namespace=voting-app,service.version=${version},deployment.environment=${cfg.environment}`,
        },
        { name: "OTEL_METRICS_EXPORTER", value: "none" },
        { name: "OTEL_LOGS_EXPORTER", value: logs ? "otlp" : "none" },
        { name: "OTEL_TRACES_EXPORTER", value: traces ? "otlp" : "none" },
        ...(logs || traces
            ? [
                  { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: collector },
                  { name: "OTEL_EXPORTER_OTLP_PROTOCOL", value: "grpc" },
              ]
            : []),
        ...(traces
            ? [
                  { name: "OTEL_TRACES_SAMPLER", value: "parentbased_traceidratio" },
                  { name: "OTEL_TRACES_SAMPLER_ARG", value: String(cfg.tracing.sampleRatio) },
              ]
            : []),
    ];
}

/**
 * The Secret of the collector's Azure connection strings, read by External Secrets from the Key Vault entry
 * `entry` (properties `app` and `audit`) through the platform's ClusterSecretStore.
 */
export function buildLogConnectionsExternalSecret(
    metadata: { name: string; namespace: string; labels: Record<string, string> },
    entry: string,
    refreshInterval: string,
): IExternalSecret {
    return {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata,
        spec: {
            refreshInterval,
            secretStoreRef: { kind: "ClusterSecretStore", name: STORE },
            target: { name: metadata.name, creationPolicy: "Owner", deletionPolicy: "Retain" },
            data: (["app", "audit"] as const).map((s) => ({
                secretKey: `${s.toUpperCase()}_LOGS_CONNECTION_STRING`,
                remoteRef: { key: entry, property: s },
            })),
        },
    };
}

export interface TelemetryArgs {
    readonly config: PlatformConfig;
    readonly logs?: LogDestinations;
    readonly startAfter?: readonly pulumi.Resource[];
}

/** Checklist 3.1.2, 6.4.2, 3.3.1: the collector that ships the apps' logs with retention, and their traces. */
export class Telemetry extends pulumi.ComponentResource {
    public readonly collector: Workload;

    constructor(name: string, args: TelemetryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:observability:Telemetry", name, {}, opts);
        const cfg = args.config;
        const spec = collectorSpec(cfg.environment);
        const extraEnv: EnvVar[] = [];
        const reloadOnSecrets: string[] = [];
        if (args.logs?.provider === "azure") {
            const metadata = {
                name: `${COLLECTOR}-logs`,
                namespace: spec.namespace,
                labels: standardLabels({ name: COLLECTOR, component: "telemetry" }, cfg.stack),
            };
            if (args.logs.keyVaultEntry && cfg.secrets.backend !== "pulumi") {
                // Prod: the connection strings stay in Key Vault; External Secrets writes the Secret in the cluster.
                new k8s.apiextensions.CustomResource(
                    `${name}-log-connections`,
                    buildLogConnectionsExternalSecret(metadata, args.logs.keyVaultEntry, cfg.secrets.refreshInterval),
                    { parent: this },
                );
                // The collector reads them at start: Reloader rolls it when External Secrets rewrites them.
                reloadOnSecrets.push(metadata.name);
            } else {
                new k8s.core.v1.Secret(
                    `${name}-log-connections`,
                    {
                        metadata,
                        type: "Opaque",
                        stringData: {
                            APP_LOGS_CONNECTION_STRING: args.logs.connectionStrings.app,
                            AUDIT_LOGS_CONNECTION_STRING: args.logs.connectionStrings.audit,
                        },
                    },
                    { parent: this },
                );
            }
            extraEnv.push(
                ...["APP", "AUDIT"].map((s) => ({
                    name: `${s}_LOGS_CONNECTION_STRING`,
                    valueFrom: { secretKeyRef: { name: `${COLLECTOR}-logs`, key: `${s}_LOGS_CONNECTION_STRING` } },
                })),
            );
        }
        const identity = cfg.logging.identity;
        this.collector = new Workload(
            `${name}-collector`,
            {
                spec,
                stack: cfg.stack,
                image: cfg.images.otelCollector,
                imagePullSecret: cfg.images.pullSecret,
                priorityClassName: PRIORITY_CLASS,
                env: extraEnv,
                reloadOnSecrets,
                configFiles: { mountPath: "/etc/otelcol-contrib", files: { "config.yaml": stringify(collectorConfig(cfg, args.logs)) } },
                // Liveness asks only that the process answers; readiness asks its health extension whether it is ready.
                liveness: {
                    tcpSocket: { port: HEALTH_PORT },
                    periodSeconds: PROBE_DEFAULTS.periodSeconds,
                    timeoutSeconds: PROBE_DEFAULTS.timeoutSeconds,
                    failureThreshold: PROBE_DEFAULTS.failureThreshold,
                },
                readiness: httpProbe("/", HEALTH_PORT, PROBE_DEFAULTS.readinessInitialDelaySeconds),
                extraPorts: [{ name: "health", containerPort: HEALTH_PORT }],
                writablePaths: [{ name: "tmp", mountPath: "/tmp" }],
                scaling: "fixed",
                minAvailable: 1,
                startAfter: args.startAfter,
                ...(identity && cfg.features.logShipping ? { serviceAccountAnnotations: identityAnnotation(cfg.cloud, identity) } : {}),
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}
