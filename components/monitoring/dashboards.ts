import type * as k8s from "@pulumi/kubernetes";
import { standardLabels } from "../labels";
import { MONITORING_STACK } from "./stack";

export interface Panel {
    readonly title: string;
    /** Grafana's unit id, e.g. `s`, `reqps`, `percentunit`, `bytes`. */
    readonly unit: string;
    readonly targets: readonly { readonly expr: string; readonly legend: string }[];
}

export interface Dashboard {
    readonly uid: string;
    readonly title: string;
    readonly panels: readonly Panel[];
}

/** Tag the monitoring check searches Grafana for. */
export const DASHBOARD_TAG = "voting-platform";

/**
 * Checklist 3.2.4 (and 3.2.3): the app's dashboard (API latency P50/P95/P99, vote rate, consumer lag,
 * 5xx rate, the consumer's database writes) and the resources' (pod CPU and memory, volumes, network).
 */
export function dashboards(ns: { api: string; consumer: string; data: string }): Dashboard[] {
    const api = `namespace="${ns.api}"`;
    const platform = `namespace=~"voting-.*"`;
    const quantile = (q: number) => `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{${api}}[5m])))`;
    return [
        {
            uid: "voting-app",
            title: "Voting app",
            panels: [
                {
                    title: "API latency",
                    unit: "s",
                    targets: [
                        { expr: quantile(0.5), legend: "P50" },
                        { expr: quantile(0.95), legend: "P95" },
                        { expr: quantile(0.99), legend: "P99" },
                    ],
                },
                {
                    title: "Vote rate",
                    unit: "reqps",
                    targets: [
                        { expr: `sum(rate(votes_submitted_total{${api}}[5m]))`, legend: "submitted" },
                        { expr: `sum(rate(votes_processed_total{namespace="${ns.consumer}"}[5m]))`, legend: "processed" },
                    ],
                },
                {
                    title: "Consumer lag (pending messages)",
                    unit: "short",
                    targets: [{ expr: `max(redis_stream_lag{namespace="${ns.consumer}"})`, legend: "pending" }],
                },
                {
                    title: "API 5xx rate",
                    unit: "percentunit",
                    targets: [
                        {
                            expr: `sum(rate(http_requests_total{${api},status=~"5.."}[5m])) / sum(rate(http_requests_total{${api}}[5m]))`,
                            legend: "5xx share",
                        },
                    ],
                },
                {
                    title: "API request rate",
                    unit: "reqps",
                    targets: [{ expr: `sum by (status) (rate(http_requests_total{${api}}[5m]))`, legend: "{{status}}" }],
                },
                {
                    title: "Database insert latency (consumer)",
                    unit: "s",
                    targets: [
                        {
                            expr: `histogram_quantile(0.95, sum by (le) (rate(database_insert_duration_seconds_bucket{namespace="${ns.consumer}"}[5m])))`,
                            legend: "P95",
                        },
                    ],
                },
            ],
        },
        {
            uid: "voting-resources",
            title: "Voting resources",
            panels: [
                {
                    title: "Pod CPU (share of limit)",
                    unit: "percentunit",
                    targets: [
                        {
                            expr: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${platform},container!=""}[5m])) / sum by (namespace, pod) (kube_pod_container_resource_limits{${platform},resource="cpu"})`,
                            legend: "{{namespace}}/{{pod}}",
                        },
                    ],
                },
                {
                    title: "Pod memory (share of limit)",
                    unit: "percentunit",
                    targets: [
                        {
                            expr: `sum by (namespace, pod) (container_memory_working_set_bytes{${platform},container!=""}) / sum by (namespace, pod) (kube_pod_container_resource_limits{${platform},resource="memory"})`,
                            legend: "{{namespace}}/{{pod}}",
                        },
                    ],
                },
                {
                    title: "Volume usage",
                    unit: "percentunit",
                    targets: [
                        {
                            expr: `kubelet_volume_stats_used_bytes{namespace="${ns.data}"} / kubelet_volume_stats_capacity_bytes{namespace="${ns.data}"}`,
                            legend: "{{persistentvolumeclaim}}",
                        },
                    ],
                },
                {
                    title: "Pod network traffic",
                    unit: "Bps",
                    targets: [
                        { expr: `sum by (namespace) (rate(container_network_receive_bytes_total{${platform}}[5m]))`, legend: "{{namespace}} in" },
                        { expr: `sum by (namespace) (rate(container_network_transmit_bytes_total{${platform}}[5m]))`, legend: "{{namespace}} out" },
                    ],
                },
            ],
        },
    ];
}

/** Grafana's dashboard model: time series panels on a Prometheus datasource chosen by a template variable. */
export function dashboardJson(d: Dashboard): Record<string, unknown> {
    const datasource = { type: "prometheus", uid: "${datasource}" };
    return {
        uid: d.uid,
        title: d.title,
        tags: [DASHBOARD_TAG],
        timezone: "utc",
        schemaVersion: 39,
        refresh: "30s",
        time: { from: "now-6h", to: "now" },
        templating: { list: [{ name: "datasource", type: "datasource", query: "prometheus", label: "Data source" }] },
        panels: d.panels.map((p, i) => ({
            id: i + 1,
            type: "timeseries",
            title: p.title,
            datasource,
            gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
            fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
            targets: p.targets.map((t, j) => ({ datasource, expr: t.expr, legendFormat: t.legend, refId: String.fromCharCode(65 + j) })),
        })),
    };
}

/** A ConfigMap Grafana's sidecar loads the dashboard from, in Grafana's namespace. */
export function buildDashboardConfigMap(d: Dashboard, stack: string): k8s.types.input.core.v1.ConfigMap {
    return {
        metadata: {
            name: `${d.uid}-dashboard`,
            namespace: MONITORING_STACK.namespace,
            labels: { ...standardLabels({ name: d.uid, component: "monitoring" }, stack), ...MONITORING_STACK.dashboardLabel },
            annotations: { grafana_folder: "Voting platform" },
        },
        data: { [`${d.uid}.json`]: JSON.stringify(dashboardJson(d), null, 2) },
    };
}
