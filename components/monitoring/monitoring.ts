import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { ResolvedWorkload } from "../../config/workloads";
import { selectorLabels, standardLabels } from "../labels";
import { STREAM } from "../workloads/apps";

/** kube-prometheus-stack selects ServiceMonitors and rules by its release label (checklist 3.2.1). */
export const PROMETHEUS_RELEASE_LABEL = { release: "kube-prometheus-stack" };

/** Checklist 3.2.2: Prometheus scrapes /metrics of a workload's Service every 15 s. */
export function buildServiceMonitor(w: ResolvedWorkload, stack: string): IServiceMonitor {
    const subject = { name: w.name, component: w.component };
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: w.name, namespace: w.namespace, labels: { ...standardLabels(subject, stack), ...PROMETHEUS_RELEASE_LABEL } },
        spec: {
            selector: { matchLabels: selectorLabels(subject, stack) },
            namespaceSelector: { matchNames: [w.namespace] },
            endpoints: [{ port: "http", path: "/metrics", interval: "15s", scrapeTimeout: "10s" }],
        },
    };
}

interface Alert {
    readonly alert: string;
    readonly expr: string;
    readonly for: string;
    readonly severity: "P0" | "P1" | "P2";
    readonly summary: string;
}

/** Checklist 3.4.1: the critical alerts, with the severities alert routing keys on (3.4.2). */
export function criticalAlerts(ns: { api: string; consumer: string; data: string }): Alert[] {
    const platform = `namespace=~"voting-.*"`;
    return [
        {
            alert: "VotingPodCrashLooping",
            expr: `increase(kube_pod_container_status_restarts_total{${platform}}[5m]) >= 3`,
            for: "0m",
            severity: "P1",
            summary: "A container restarted 3 or more times in 5 minutes",
        },
        {
            alert: "VotingApiHighErrorRate",
            expr: `sum(rate(http_requests_total{namespace="${ns.api}",status=~"5.."}[5m])) / sum(rate(http_requests_total{namespace="${ns.api}"}[5m])) > 0.01`,
            for: "5m",
            severity: "P0",
            summary: "More than 1% of API requests fail with 5xx",
        },
        {
            alert: "VotingStreamLagHigh",
            expr: `max(redis_stream_lag{namespace="${ns.consumer}",stream="${STREAM.name}"}) > 1000`,
            for: "5m",
            severity: "P1",
            summary: "More than 1000 votes wait in the stream",
        },
        {
            alert: "VotingPostgresDown",
            expr: `kube_statefulset_status_replicas_ready{namespace="${ns.data}",statefulset="postgres"} < 1`,
            for: "1m",
            severity: "P0",
            summary: "PostgreSQL has had no ready replica for a minute",
        },
        {
            alert: "VotingCpuSaturation",
            expr: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${platform},container!=""}[5m])) / sum by (namespace, pod) (kube_pod_container_resource_limits{${platform},resource="cpu"}) > 0.8`,
            for: "10m",
            severity: "P2",
            summary: "A pod uses more than 80% of its CPU limit",
        },
        {
            alert: "VotingMemorySaturation",
            expr: `sum by (namespace, pod) (container_memory_working_set_bytes{${platform},container!=""}) / sum by (namespace, pod) (kube_pod_container_resource_limits{${platform},resource="memory"}) > 0.85`,
            for: "10m",
            severity: "P2",
            summary: "A pod uses more than 85% of its memory limit",
        },
    ];
}

/** Checklist 5.3.2: the SLOs as alerts: P50 < 200 ms, P95 < 500 ms, P99 < 1 s, 99.9% availability. */
export function sloAlerts(apiNs: string): Alert[] {
    const q = (quantile: number) =>
        `histogram_quantile(${quantile}, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="${apiNs}"}[5m])))`;
    return [
        { alert: "VotingLatencyP50", expr: `${q(0.5)} > 0.2`, for: "10m", severity: "P2", summary: "API P50 latency above 200 ms" },
        { alert: "VotingLatencyP95", expr: `${q(0.95)} > 0.5`, for: "10m", severity: "P1", summary: "API P95 latency above 500 ms" },
        { alert: "VotingLatencyP99", expr: `${q(0.99)} > 1`, for: "10m", severity: "P1", summary: "API P99 latency above 1 s" },
        {
            alert: "VotingAvailabilityBudgetBurn",
            expr: `(1 - sum(rate(http_requests_total{namespace="${apiNs}",status!~"5.."}[1h])) / sum(rate(http_requests_total{namespace="${apiNs}"}[1h]))) > 14.4 * 0.001`,
            for: "5m",
            severity: "P0",
            summary: "The 99.9% availability budget burns 14x faster than it should",
        },
    ];
}

export function buildPrometheusRule(name: string, namespace: string, stack: string, groups: Record<string, Alert[]>): IPrometheusRule {
    return {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name, namespace, labels: { ...standardLabels({ name, component: "monitoring" }, stack), ...PROMETHEUS_RELEASE_LABEL } },
        spec: {
            groups: Object.entries(groups).map(([group, alerts]) => ({
                name: group,
                rules: alerts.map((a) => ({
                    alert: a.alert,
                    expr: a.expr,
                    for: a.for,
                    labels: { severity: a.severity },
                    annotations: { summary: a.summary },
                })),
            })),
        },
    };
}

/** Scraping of the API and consumer, the critical alerts and the SLO alerts (checklist 3.2.2, 3.4.1, 5.3.2). */
export class Monitoring extends pulumi.ComponentResource {
    constructor(
        name: string,
        args: { stack: string; api: ResolvedWorkload; consumer: ResolvedWorkload; dataNamespace: string },
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("voting:monitoring:Monitoring", name, {}, opts);
        for (const w of [args.api, args.consumer]) {
            new k8s.apiextensions.CustomResource(`${name}-${w.name}-servicemonitor`, buildServiceMonitor(w, args.stack), { parent: this });
        }
        const ns = { api: args.api.namespace, consumer: args.consumer.namespace, data: args.dataNamespace };
        new k8s.apiextensions.CustomResource(
            `${name}-rules`,
            buildPrometheusRule("voting-alerts", args.api.namespace, args.stack, {
                "voting.critical": criticalAlerts(ns),
                "voting.slo": sloAlerts(args.api.namespace),
            }),
            { parent: this },
        );
        this.registerOutputs({});
    }
}
