/**
 * Every metric the platform's rules and dashboards may name, with where it comes from: the apps (what the
 * checklist says they expose, 3.2.2) or the cluster's exporters. A test parses every PromQL expression and
 * refuses a metric that is not here, so no rule watches a series nothing produces.
 */

export type MetricSource = "api" | "consumer" | "kube-state-metrics" | "node-exporter" | "cadvisor" | "kubelet" | "prometheus";

export interface MetricSpec {
    readonly source: MetricSource;
    readonly type: "counter" | "gauge" | "histogram";
}

const m = (source: MetricSource, type: MetricSpec["type"]): MetricSpec => ({ source, type });

export const METRICS: Readonly<Record<string, MetricSpec>> = {
    // The API's /metrics (checklist 3.2.2).
    http_requests_total: m("api", "counter"),
    http_request_duration_seconds: m("api", "histogram"),
    votes_submitted_total: m("api", "counter"),
    // The consumer's metrics endpoint (checklist 3.2.2).
    votes_processed_total: m("consumer", "counter"),
    redis_stream_lag: m("consumer", "gauge"),
    database_insert_duration_seconds: m("consumer", "histogram"),
    // kube-state-metrics.
    kube_pod_container_status_restarts_total: m("kube-state-metrics", "counter"),
    kube_pod_container_resource_limits: m("kube-state-metrics", "gauge"),
    kube_statefulset_status_replicas_ready: m("kube-state-metrics", "gauge"),
    kube_deployment_status_replicas_unavailable: m("kube-state-metrics", "gauge"),
    kube_horizontalpodautoscaler_status_current_replicas: m("kube-state-metrics", "gauge"),
    kube_horizontalpodautoscaler_spec_max_replicas: m("kube-state-metrics", "gauge"),
    // cAdvisor, through the kubelet.
    container_cpu_usage_seconds_total: m("cadvisor", "counter"),
    container_memory_working_set_bytes: m("cadvisor", "gauge"),
    container_network_receive_bytes_total: m("cadvisor", "counter"),
    container_network_transmit_bytes_total: m("cadvisor", "counter"),
    container_network_receive_errors_total: m("cadvisor", "counter"),
    container_network_transmit_errors_total: m("cadvisor", "counter"),
    container_network_receive_packets_dropped_total: m("cadvisor", "counter"),
    container_network_transmit_packets_dropped_total: m("cadvisor", "counter"),
    // The kubelet's volume statistics.
    kubelet_volume_stats_used_bytes: m("kubelet", "gauge"),
    kubelet_volume_stats_capacity_bytes: m("kubelet", "gauge"),
    // node-exporter.
    node_cpu_seconds_total: m("node-exporter", "counter"),
    node_memory_MemAvailable_bytes: m("node-exporter", "gauge"),
    node_memory_MemTotal_bytes: m("node-exporter", "gauge"),
    node_network_receive_bytes_total: m("node-exporter", "counter"),
    node_network_transmit_bytes_total: m("node-exporter", "counter"),
    node_network_receive_errs_total: m("node-exporter", "counter"),
    node_network_transmit_errs_total: m("node-exporter", "counter"),
    // Prometheus's own series.
    up: m("prometheus", "gauge"),
    ALERTS: m("prometheus", "gauge"),
    prometheus_notifications_alertmanagers_discovered: m("prometheus", "gauge"),
    prometheus_notifications_sent_total: m("prometheus", "counter"),
    prometheus_notifications_errors_total: m("prometheus", "counter"),
};

/** The series names a metric stands for: a histogram's _bucket, _sum and _count. */
export function seriesNames(name: string, spec: MetricSpec): string[] {
    return spec.type === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
}

/** Every series name rules and dashboards may select. */
export const ALLOWED_SERIES: ReadonlySet<string> = new Set(Object.entries(METRICS).flatMap(([n, s]) => seriesNames(n, s)));
