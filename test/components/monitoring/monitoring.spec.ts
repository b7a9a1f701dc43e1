import * as assert from "assert";
import { criticalAlerts, sloAlerts } from "../../../components/monitoring/monitoring";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";
import { renderVariant } from "../../helpers/variant";

describe("Monitoring (3.2.2, 3.4.1, 5.3.2)", () => {
    it("scrapes the API and the consumer every 15 s on their http ports", async () => {
        const sms = kubernetesObjects(await rendered("prod")).filter((o) => o.kind === "ServiceMonitor");
        assert.deepStrictEqual(sms.map((s) => `${s.metadata?.namespace}/${s.metadata?.name}`).sort(), ["voting-api/api", "voting-consumer/consumer"]);
        const api = sms.find((s) => s.metadata?.name === "api")!;
        assert.deepStrictEqual(api.spec.endpoints, [{ port: "http", path: "/metrics", interval: "15s", scrapeTimeout: "10s" }]);
        assert.strictEqual(api.metadata?.labels?.release, "kube-prometheus-stack");
    });

    it("alerts on the checklist's thresholds with P0–P2 severities", () => {
        const alerts = criticalAlerts({ api: "voting-api", consumer: "voting-consumer", data: "voting-data" });
        const by = (name: string) => alerts.find((a) => a.alert === name)!;
        assert.match(by("VotingPodCrashLooping").expr, /\[5m\]\) >= 3$/);
        assert.match(by("VotingApiHighErrorRate").expr, /> 0\.01$/);
        assert.match(by("VotingStreamLagHigh").expr, /> 1000$/);
        assert.deepStrictEqual([by("VotingPostgresDown").for, by("VotingPostgresDown").severity], ["1m", "P0"]);
        assert.match(by("VotingCpuSaturation").expr, /> 0\.8$/);
        assert.match(by("VotingMemorySaturation").expr, /> 0\.85$/);
        assert.deepStrictEqual(
            sloAlerts("voting-api").map((a) => a.expr.match(/> ([\d.]+)$/)?.[1]),
            ["0.2", "0.5", "1", undefined],
        );
    });

    it("is left out, with Prometheus's flows, when monitoring is switched off", async () => {
        assert.ok(kubernetesObjects(await rendered("prod")).some((o) => o.kind === "PrometheusRule"));
        const off = await renderVariant("nomon", (c) => (c["voting-platform:features"] = { ...c["voting-platform:features"], monitoring: false }));
        const objs = kubernetesObjects(off);
        assert.deepStrictEqual(
            objs.filter((o) => o.kind === "ServiceMonitor" || o.kind === "PrometheusRule"),
            [],
        );
        const ingressToApi = objs.find((o) => o.kind === "NetworkPolicy" && o.metadata?.name === "allow-ingress-to-api")!;
        // The frontend, and the smoke check asking /ready: no Prometheus.
        assert.deepStrictEqual(
            ingressToApi.spec.ingress.map((r: any) => r.from[0].podSelector.matchLabels["app.kubernetes.io/name"]),
            ["frontend", "verify-smoke"],
        );
    });
});
