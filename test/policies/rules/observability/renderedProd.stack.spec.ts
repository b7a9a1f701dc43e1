import * as assert from "assert";
import { requireCriticalAlerts } from "../../../../policies/rules/observability/requireCriticalAlerts";
import { requireMetricsScraping } from "../../../../policies/rules/observability/requireMetricsScraping";
import { kubernetesObjects } from "../../../../tools/lib/render";
import { rendered } from "../../../helpers/render";
import { violations, withChange } from "../../../helpers/policy";

const WORKLOADS = { workloads: ["voting-api/api", "voting-consumer/consumer"] };
const ALERTS = { alerts: ["VotingPodCrashLooping", "VotingPostgresDown"], severities: ["P0", "P1", "P2"] };

describe("observability policies (3.2.2, 3.4.1)", () => {
    it("accept the rendered prod stack's ServiceMonitors and alerts", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        assert.deepStrictEqual(violations(requireMetricsScraping, objs, WORKLOADS), []);
        assert.deepStrictEqual(violations(requireCriticalAlerts, objs, ALERTS), []);
    });

    it("require-metrics-scraping reports a workload no monitor selects", async () => {
        const objs = kubernetesObjects(await rendered("prod")).filter((o) => !(o.kind === "ServiceMonitor" && o.metadata?.name === "consumer"));
        assert.deepStrictEqual(violations(requireMetricsScraping, objs, WORKLOADS), [
            "voting-consumer/consumer is not scraped: no ServiceMonitor or PodMonitor selects it",
        ]);
        const elsewhere = kubernetesObjects(await rendered("prod")).map((o) =>
            o.kind === "ServiceMonitor" && o.metadata?.name === "api"
                ? withChange(o, (x) => (x.spec.namespaceSelector = { matchNames: ["default"] }))
                : o,
        );
        assert.deepStrictEqual(violations(requireMetricsScraping, elsewhere, WORKLOADS), [
            "voting-api/api is not scraped: no ServiceMonitor or PodMonitor selects it",
        ]);
    });

    it("require-critical-alerts reports a missing alert and one without a known severity", async () => {
        const objs = kubernetesObjects(await rendered("prod")).map((o) =>
            o.kind === "PrometheusRule"
                ? withChange(o, (x) => {
                      x.spec.groups[0].rules = x.spec.groups[0].rules.filter((r: { alert: string }) => r.alert !== "VotingPostgresDown");
                      x.spec.groups[0].rules[0].labels.severity = "critical";
                  })
                : o,
        );
        assert.deepStrictEqual(violations(requireCriticalAlerts, objs, ALERTS), [
            'PrometheusRule voting-api/voting-alerts: alert VotingPodCrashLooping has severity "critical"; use one of P0, P1, P2',
            "alert VotingPostgresDown is not defined in any PrometheusRule",
        ]);
    });
});
