import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { AlertReceiver } from "../../config/types";
import type { ResolvedWorkload } from "../../config/workloads";
import { buildAlertmanagerConfig, buildReceiverExternalSecret, needsCredential } from "./alertRouting";
import { buildDashboardConfigMap, dashboards } from "./dashboards";
import { peerSelectorLabels, standardLabels } from "../labels";
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
            // Every instance of the workload: the API's Service and, while a canary runs, its own.
            selector: { matchLabels: peerSelectorLabels(subject) },
            namespaceSelector: { matchNames: [w.namespace] },
            endpoints: [{ port: "http", path: "/metrics", interval: "15s", scrapeTimeout: "10s" }],
        },
    };
}

export interface Alert {
    readonly alert: string;
    readonly expr: string;
    readonly for: string;
    readonly severity: "P0" | "P1" | "P2";
    readonly summary: string;
}

/**
 * Checklist 3.2.3: Kubernetes metrics watched beyond the pods' CPU and memory: persistent volumes filling,
 * nodes saturated, and network errors or drops on the platform's pods and the nodes.
 */
export function infrastructureAlerts(ns: { data: string }): Alert[] {
    const platform = `namespace=~"voting-.*"`;
    const volume = `kubelet_volume_stats_used_bytes{namespace="${ns.data}"} / kubelet_volume_stats_capacity_bytes{namespace="${ns.data}"}`;
    const rate = (metric: string, sel: string) => `rate(${metric}{${sel}}[5m])`;
    return [
        { alert: "VotingVolumeFilling", expr: `${volume} > 0.8`, for: "15m", severity: "P1", summary: "A data volume is more than 80% full" },
        { alert: "VotingVolumeFull", expr: `${volume} > 0.95`, for: "5m", severity: "P0", summary: "A data volume is more than 95% full" },
        {
            alert: "VotingNodeCpuSaturation",
            expr: `1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) > 0.9`,
            for: "15m",
            severity: "P2",
            summary: "A node's CPUs are more than 90% busy",
        },
        {
            alert: "VotingNodeMemorySaturation",
            expr: `1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes > 0.9`,
            for: "15m",
            severity: "P1",
            summary: "A node has less than 10% of its memory available",
        },
        {
            alert: "VotingPodNetworkErrors",
            expr: `sum by (namespace, pod) (${["container_network_receive_errors_total", "container_network_transmit_errors_total", "container_network_receive_packets_dropped_total", "container_network_transmit_packets_dropped_total"].map((x) => rate(x, platform)).join(" + ")}) > 1`,
            for: "10m",
            severity: "P2",
            summary: "A platform pod drops or fails more than one packet a second",
        },
        {
            alert: "VotingNodeNetworkErrors",
            expr: `sum by (instance) (${rate("node_network_receive_errs_total", `device!="lo"`)} + ${rate("node_network_transmit_errs_total", `device!="lo"`)}) > 1`,
            for: "10m",
            severity: "P2",
            summary: "A node's network interfaces fail more than one packet a second",
        },
    ];
}

/** The traffic the checklist's SLO sizes the platform for (5.3.2): 100 req/s sustained, 500 at peak. */
export const TRAFFIC_SLO = { sustainedRps: 100, peakRps: 500 } as const;

/** Checklist 5.3.2: traffic beyond what the latency SLOs are promised for. */
export function trafficAlerts(apiNs: string): Alert[] {
    const rps = (window: string) => `sum(rate(http_requests_total{namespace="${apiNs}"}[${window}]))`;
    return [
        {
            alert: "VotingTrafficAboveSustained",
            expr: `${rps("15m")} > ${TRAFFIC_SLO.sustainedRps}`,
            for: "15m",
            severity: "P2",
            summary: `The API has served more than ${TRAFFIC_SLO.sustainedRps} req/s for 15 minutes, above the sustained load it is sized for`,
        },
        {
            alert: "VotingTrafficAbovePeak",
            expr: `${rps("1m")} > ${TRAFFIC_SLO.peakRps}`,
            for: "2m",
            severity: "P1",
            summary: `The API serves more than ${TRAFFIC_SLO.peakRps} req/s, above the peak it is sized for`,
        },
        {
            alert: "VotingApiAtMaxReplicas",
            expr: `kube_horizontalpodautoscaler_status_current_replicas{namespace="${apiNs}",horizontalpodautoscaler="api"} >= kube_horizontalpodautoscaler_spec_max_replicas{namespace="${apiNs}",horizontalpodautoscaler="api"}`,
            for: "15m",
            severity: "P1",
            summary: "The API's autoscaler has run at its maximum for 15 minutes: no headroom is left",
        },
    ];
}

/** When an alert of a severity still fires after its response window, it pages one level up (checklist 3.4.2). */
export const ESCALATION = [
    { from: "P2", to: "P1", after: "1h" },
    { from: "P1", to: "P0", after: "15m" },
] as const;

/** Checklist 3.4.2: escalation as rules over ALERTS; an escalated alert is not escalated again. */
export function escalationAlerts(routeNamespace: string): Alert[] {
    return ESCALATION.map((e) => ({
        alert: `VotingEscalated${e.from}`,
        expr: `ALERTS{alertstate="firing",namespace="${routeNamespace}",severity="${e.from}",alertname!~"VotingEscalated.*"}`,
        for: e.after,
        severity: e.to,
        summary: `A ${e.from} alert has fired for ${e.after} without being resolved`,
    }));
}

/**
 * Checklist 3.4.1: the critical alerts, with the severities alert routing keys on (3.4.2), and an API pod
 * deleted or not ready whose replacement is not ready within 5 minutes (the failure 8.4 triggers).
 */
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
            alert: "VotingApiPodsUnavailable",
            expr: `kube_deployment_status_replicas_unavailable{namespace="${ns.api}",deployment="api"} > 0`,
            for: "5m",
            severity: "P1",
            summary: "An API pod has been missing or not ready for 5 minutes",
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

/**
 * Every alert carries the namespace its AlertmanagerConfig routes (Alertmanager matches an
 * AlertmanagerConfig's routes on its own namespace); the namespace the series came from stays readable
 * as `source_namespace`, and `escalated_from` names what an escalation alert escalates.
 */
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
                    labels: {
                        severity: a.severity,
                        namespace,
                        ...(a.alert.startsWith("VotingEscalated")
                            ? { source_namespace: "{{ $labels.source_namespace }}", escalated_from: "{{ $labels.alertname }}" }
                            : { source_namespace: "{{ $labels.namespace }}" }),
                    },
                    annotations: { summary: a.summary },
                })),
            })),
        },
    };
}

/** The platform's alert rules by group (checklist 3.2.3, 3.4.1, 3.4.2, 5.3.2), all routed through `routeNamespace`. */
export function alertGroups(ns: { api: string; consumer: string; data: string }): Record<string, Alert[]> {
    return {
        "voting.critical": criticalAlerts(ns),
        "voting.slo": sloAlerts(ns.api),
        "voting.traffic": trafficAlerts(ns.api),
        "voting.infrastructure": infrastructureAlerts(ns),
        "voting.escalation": escalationAlerts(ns.api),
    };
}

/** Scraping of the API and consumer, and the platform's alert rules (checklist 3.2.1, 3.2.2, 3.2.3, 3.4.1, 5.3.2). */
export class Monitoring extends pulumi.ComponentResource {
    /** Rule groups and alert names, for the post-deploy check that finds them loaded. */
    public readonly ruleGroups: string[];
    public readonly alerts: string[];
    /** Targets as namespace/service. */
    public readonly targets: string[];
    public readonly resources: pulumi.Resource[] = [];

    constructor(
        name: string,
        args: { stack: string; api: ResolvedWorkload; consumer: ResolvedWorkload; dataNamespace: string },
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("voting:monitoring:Monitoring", name, {}, opts);
        for (const w of [args.api, args.consumer]) {
            this.resources.push(
                new k8s.apiextensions.CustomResource(`${name}-${w.name}-servicemonitor`, buildServiceMonitor(w, args.stack), { parent: this }),
            );
        }
        const groups = alertGroups({ api: args.api.namespace, consumer: args.consumer.namespace, data: args.dataNamespace });
        this.resources.push(
            new k8s.apiextensions.CustomResource(`${name}-rules`, buildPrometheusRule("voting-alerts", args.api.namespace, args.stack, groups), {
                parent: this,
            }),
        );
        this.ruleGroups = Object.keys(groups);
        this.alerts = Object.values(groups).flatMap((g) => g.map((a) => a.alert));
        this.targets = [args.api, args.consumer].map((w) => `${w.namespace}/${w.name}`);
        this.registerOutputs({});
    }
}

/** Checklist 3.2.4: the dashboards as ConfigMaps Grafana's sidecar loads. */
export class Dashboards extends pulumi.ComponentResource {
    public readonly uids: string[];

    constructor(
        name: string,
        args: { stack: string; namespaces: { api: string; consumer: string; data: string } },
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("voting:monitoring:Dashboards", name, {}, opts);
        const all = dashboards(args.namespaces);
        for (const d of all) new k8s.core.v1.ConfigMap(`${name}-${d.uid}`, buildDashboardConfigMap(d, args.stack), { parent: this });
        this.uids = all.map((d) => d.uid);
        this.registerOutputs({});
    }
}

/**
 * Checklist 3.4.2: alerts routed by severity to the configured receivers. In prod the receivers'
 * credentials come from the secret manager through External Secrets; elsewhere the Secret is made by hand.
 */
export class AlertRouting extends pulumi.ComponentResource {
    constructor(
        name: string,
        args: {
            stack: string;
            namespace: string;
            receivers: readonly AlertReceiver[];
            externalSecrets?: { refreshInterval: string; store: string; remoteKey: string };
        },
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("voting:monitoring:AlertRouting", name, {}, opts);
        const before: pulumi.Resource[] = [];
        if (args.externalSecrets && args.receivers.some(needsCredential)) {
            const es = buildReceiverExternalSecret(
                args.receivers,
                args.namespace,
                args.stack,
                args.externalSecrets.refreshInterval,
                args.externalSecrets.store,
                args.externalSecrets.remoteKey,
            );
            before.push(new k8s.apiextensions.CustomResource(`${name}-credentials`, es, { parent: this }));
        }
        new k8s.apiextensions.CustomResource(`${name}-config`, buildAlertmanagerConfig(args.receivers, args.namespace, args.stack), {
            parent: this,
            dependsOn: before,
        });
        this.registerOutputs({});
    }
}
