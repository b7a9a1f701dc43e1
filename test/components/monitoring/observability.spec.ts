import * as assert from "assert";
import { buildAlertmanagerConfig, SEVERITY_TIMING } from "../../../components/monitoring/alertRouting";
import { dashboardJson, dashboards } from "../../../components/monitoring/dashboards";
import { ALLOWED_SERIES, METRICS } from "../../../components/monitoring/metrics";
import { alertGroups, TRAFFIC_SLO } from "../../../components/monitoring/monitoring";
import { MONITORING_SCRIPT } from "../../../components/verify/scripts";
import { kubernetesObjects } from "../../../tools/lib/render";
import { parsePromQL } from "../../helpers/promql";
import { rendered } from "../../helpers/render";
import { validateAgainstSchema } from "../../helpers/schema";
import { renderVariant } from "../../helpers/variant";

const NS = { api: "voting-api", consumer: "voting-consumer", data: "voting-data" };

/** Every PromQL expression the platform ships: alert rules, dashboard panels, and the monitoring check's queries. */
async function everyExpression(): Promise<{ where: string; expr: string }[]> {
    const objs = kubernetesObjects(await rendered("prod"));
    const rules = objs
        .filter((o) => o.kind === "PrometheusRule")
        .flatMap((r) => r.spec.groups.flatMap((g: any) => g.rules.map((x: any) => ({ where: `rule ${x.alert}`, expr: x.expr }))));
    const panels = objs
        .filter((o) => o.kind === "ConfigMap" && o.metadata?.labels?.grafana_dashboard === "1")
        .flatMap((cm) =>
            Object.values(cm.data as Record<string, string>).flatMap((json) =>
                JSON.parse(json).panels.flatMap((p: any) => p.targets.map((t: any) => ({ where: `panel ${p.title}`, expr: t.expr }))),
            ),
        );
    const check = [...MONITORING_SCRIPT.matchAll(/value "((?:[^"\\]|\\.)*)"/g)].map((m) => ({
        where: "monitoring check",
        expr: m[1]
            .replace(/\\"/g, '"')
            .replace(/\$ns/g, "voting-api")
            .replace(/\$svc/g, "api")
            .replace(/\$\{ALWAYS_FIRING:-Watchdog\}/g, "Watchdog"),
    }));
    return [...rules, ...panels, ...check];
}

describe("observability as objects (3.2.1, 3.2.3, 3.2.4, 3.4.2, 5.3.2)", () => {
    describe("PromQL", () => {
        it("parses every expression in the rules, the dashboards and the monitoring check", async () => {
            const all = await everyExpression();
            assert.ok(all.length >= 35, `only ${all.length} expressions found`);
            assert.deepStrictEqual(
                all.filter((e) => parsePromQL(e.expr).errors.length > 0).map((e) => `${e.where}: ${e.expr}`),
                [],
            );
        });

        it("names only metrics the apps expose or the cluster's exporters provide", async () => {
            const unknown = (await everyExpression()).flatMap((e) =>
                parsePromQL(e.expr)
                    .metrics.filter((m) => !ALLOWED_SERIES.has(m))
                    .map((m) => `${e.where}: ${m}`),
            );
            assert.deepStrictEqual(unknown, []);
        });

        it("uses every app metric the checklist lists", async () => {
            const used = new Set((await everyExpression()).flatMap((e) => parsePromQL(e.expr).metrics));
            const appMetrics = Object.entries(METRICS).filter(([, s]) => s.source === "api" || s.source === "consumer");
            assert.deepStrictEqual(
                appMetrics.filter(([n, s]) => !(s.type === "histogram" ? used.has(`${n}_bucket`) : used.has(n))).map(([n]) => n),
                [],
            );
        });

        it("catches a syntax error and an unknown metric", () => {
            assert.deepStrictEqual(parsePromQL("sum(rate(http_requests_total[5m])").errors.length > 0, true);
            assert.deepStrictEqual(parsePromQL('sum by (le) (rate(pg_stat_activity_count{namespace="voting-data"}[5m]))').metrics, [
                "pg_stat_activity_count",
            ]);
            assert.ok(!ALLOWED_SERIES.has("pg_stat_activity_count"));
        });
    });

    describe("alert rules", () => {
        const groups = alertGroups(NS);
        const by = (name: string) =>
            Object.values(groups)
                .flat()
                .find((a) => a.alert === name)!;

        it("watches volumes, node saturation and network errors (3.2.3)", () => {
            assert.deepStrictEqual(
                groups["voting.infrastructure"].map((a) => [a.alert, a.severity]),
                [
                    ["VotingVolumeFilling", "P1"],
                    ["VotingVolumeFull", "P0"],
                    ["VotingNodeCpuSaturation", "P2"],
                    ["VotingNodeMemorySaturation", "P1"],
                    ["VotingPodNetworkErrors", "P2"],
                    ["VotingNodeNetworkErrors", "P2"],
                ],
            );
            assert.match(
                by("VotingVolumeFilling").expr,
                /kubelet_volume_stats_used_bytes\{namespace="voting-data"\} \/ kubelet_volume_stats_capacity_bytes\{namespace="voting-data"\} > 0\.8$/,
            );
        });

        it("alerts on traffic above 100 req/s sustained and 500 req/s at peak (5.3.2)", () => {
            assert.deepStrictEqual(TRAFFIC_SLO, { sustainedRps: 100, peakRps: 500 });
            assert.strictEqual(by("VotingTrafficAboveSustained").expr, 'sum(rate(http_requests_total{namespace="voting-api"}[15m])) > 100');
            assert.strictEqual(by("VotingTrafficAbovePeak").expr, 'sum(rate(http_requests_total{namespace="voting-api"}[1m])) > 500');
        });

        it("escalates a P1 after 15 minutes and a P2 after an hour, never an escalation itself (3.4.2)", () => {
            assert.deepStrictEqual(
                groups["voting.escalation"].map((a) => [a.alert, a.for, a.severity, a.expr]),
                [
                    [
                        "VotingEscalatedP2",
                        "1h",
                        "P1",
                        'ALERTS{alertstate="firing",namespace="voting-api",severity="P2",alertname!~"VotingEscalated.*"}',
                    ],
                    [
                        "VotingEscalatedP1",
                        "15m",
                        "P0",
                        'ALERTS{alertstate="firing",namespace="voting-api",severity="P1",alertname!~"VotingEscalated.*"}',
                    ],
                ],
            );
        });

        it("labels every rendered rule with the routing namespace and keeps the source namespace", async () => {
            const rule = kubernetesObjects(await rendered("prod")).find((o) => o.kind === "PrometheusRule")!;
            await validateAgainstSchema(rule);
            const rules = rule.spec.groups.flatMap((g: any) => g.rules);
            assert.strictEqual(rules.length, Object.values(groups).flat().length);
            assert.deepStrictEqual(rules.find((r: any) => r.alert === "VotingPodCrashLooping").labels, {
                severity: "P1",
                namespace: "voting-api",
                source_namespace: "{{ $labels.namespace }}",
            });
            assert.deepStrictEqual(rules.find((r: any) => r.alert === "VotingEscalatedP1").labels, {
                severity: "P0",
                namespace: "voting-api",
                source_namespace: "{{ $labels.source_namespace }}",
                escalated_from: "{{ $labels.alertname }}",
            });
        });
    });

    describe("dashboards", () => {
        it("renders the app and resource dashboards as ConfigMaps Grafana's sidecar loads", async () => {
            const cms = kubernetesObjects(await rendered("prod")).filter(
                (o) => o.kind === "ConfigMap" && o.metadata?.labels?.grafana_dashboard === "1",
            );
            assert.deepStrictEqual(
                cms.map((c) => `${c.metadata?.namespace}/${c.metadata?.name}`),
                ["monitoring/voting-app-dashboard", "monitoring/voting-resources-dashboard"],
            );
            for (const cm of cms) await validateAgainstSchema(cm);
            const app = JSON.parse(cms[0].data["voting-app.json"]);
            assert.deepStrictEqual([app.uid, app.tags], ["voting-app", ["voting-platform"]]);
        });

        it("shows API latency P50/P95/P99, vote rate, consumer lag, 5xx rate, pod CPU and memory, and volume usage (3.2.4)", () => {
            const titles = dashboards(NS).flatMap((d) => d.panels.map((p) => p.title));
            assert.deepStrictEqual(titles, [
                "API latency",
                "Vote rate",
                "Consumer lag (pending messages)",
                "API 5xx rate",
                "API request rate",
                "Database insert latency (consumer)",
                "Pod CPU (share of limit)",
                "Pod memory (share of limit)",
                "Volume usage",
                "Pod network traffic",
            ]);
            const latency = dashboardJson(dashboards(NS)[0]).panels as any[];
            assert.deepStrictEqual(
                latency[0].targets.map((t: any) => t.legendFormat),
                ["P50", "P95", "P99"],
            );
        });
    });

    describe("alert routing", () => {
        const receivers = [
            { name: "oncall-pagerduty", kind: "pagerduty" as const, severities: ["P0" as const, "P1" as const] },
            { name: "team-slack", kind: "slack" as const, severities: ["P2" as const] },
            { name: "hook", kind: "webhook" as const, severities: ["P0" as const] },
            { name: "mail", kind: "email" as const, severities: ["P2" as const], to: "oncall@example.com" },
        ];

        it("routes each severity to its receivers with its own timing, P0 at once", () => {
            const amc = buildAlertmanagerConfig(receivers, "voting-api", "prod");
            assert.deepStrictEqual(
                amc.spec.route!.routes!.map((r: any) => `${r.matchers[0].value} -> ${r.receiver} wait ${r.groupWait} repeat ${r.repeatInterval}`),
                [
                    "P0 -> oncall-pagerduty wait 0s repeat 15m",
                    "P0 -> hook wait 0s repeat 15m",
                    "P1 -> oncall-pagerduty wait 1m repeat 1h",
                    "P2 -> team-slack wait 5m repeat 4h",
                    "P2 -> mail wait 5m repeat 4h",
                ],
            );
            assert.deepStrictEqual(SEVERITY_TIMING.P0.groupWait, "0s");
        });

        it("takes every credential by reference to the alert-receivers Secret", () => {
            const amc = buildAlertmanagerConfig(receivers, "voting-api", "prod");
            assert.deepStrictEqual(amc.spec.receivers, [
                { name: "unrouted" },
                {
                    name: "oncall-pagerduty",
                    pagerdutyConfigs: [{ routingKey: { name: "alert-receivers", key: "oncall-pagerduty" }, sendResolved: true }],
                },
                { name: "team-slack", slackConfigs: [{ apiURL: { name: "alert-receivers", key: "team-slack" }, sendResolved: true }] },
                { name: "hook", webhookConfigs: [{ urlSecret: { name: "alert-receivers", key: "hook" }, sendResolved: true }] },
                { name: "mail", emailConfigs: [{ to: "oncall@example.com", sendResolved: true }] },
            ]);
        });

        it("renders the AlertmanagerConfig, and in prod the ExternalSecret for its credentials, valid against their schemas", async () => {
            const objs = kubernetesObjects(await rendered("prod"));
            const amc = objs.find((o) => o.kind === "AlertmanagerConfig")!;
            await validateAgainstSchema(amc);
            const es = objs.find((o) => o.kind === "ExternalSecret" && o.metadata?.name === "alert-receivers")!;
            await validateAgainstSchema(es);
            assert.deepStrictEqual(es.spec.data, [
                { secretKey: "oncall-pagerduty", remoteRef: { key: "voting/prod/alerting", property: "oncall-pagerduty" } },
                { secretKey: "team-slack", remoteRef: { key: "voting/prod/alerting", property: "team-slack" } },
            ]);
            const staging = kubernetesObjects(await rendered("staging"));
            assert.ok(staging.some((o) => o.kind === "AlertmanagerConfig"));
            assert.ok(!staging.some((o) => o.kind === "ExternalSecret" && o.metadata?.name === "alert-receivers"));
        });

        it("leaves dashboards and routing out when monitoring is off", async () => {
            const off = kubernetesObjects(
                await renderVariant("nomon2", (c) => (c["voting-platform:features"] = { ...c["voting-platform:features"], monitoring: false })),
            );
            assert.deepStrictEqual(
                off.filter((o) => o.kind === "AlertmanagerConfig" || o.metadata?.labels?.grafana_dashboard).map((o) => o.metadata?.name),
                [],
            );
            assert.ok(!off.some((o) => o.kind === "Job" && o.metadata?.name?.startsWith("verify-monitoring-")));
        });
    });
});
