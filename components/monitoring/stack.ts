/**
 * The kube-prometheus-stack the platform plugs into (README prerequisites): where its Prometheus and Grafana
 * answer, and what the checklist asks of it (3.2.1). The chart's defaults for a release named
 * `kube-prometheus-stack` in namespace `monitoring`.
 */
export const MONITORING_STACK = {
    namespace: "monitoring",
    prometheusUrl: "http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090",
    grafanaUrl: "http://kube-prometheus-stack-grafana.monitoring.svc.cluster.local:80",
    /** The label Grafana's sidecar loads dashboards from (the chart's `sidecar.dashboards.label`). */
    dashboardLabel: { grafana_dashboard: "1" },
    minRetentionDays: 15,
    scrapeInterval: "15s",
} as const;
