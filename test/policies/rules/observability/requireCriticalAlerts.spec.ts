import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireCriticalAlerts } from "../../../../policies/rules/observability/requireCriticalAlerts";
import { reportedOn, violations } from "../../../helpers/policy";

const rules = (groups: unknown, name = "voting-alerts"): K8sObject => ({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name, namespace: "monitoring" },
    spec: { groups },
});
const alert = (name: string, severity?: string) => ({ alert: name, expr: "up == 0", ...(severity === undefined ? {} : { labels: { severity } }) });
const CFG = { alerts: ["VotingPodCrashLooping", "VotingPostgresDown"] };
const check = (objs: K8sObject[], cfg: Record<string, unknown> = CFG) => violations(requireCriticalAlerts, objs, cfg);

describe(requireCriticalAlerts.name, () => {
    it("accepts every configured alert with a known severity, across groups and PrometheusRules", () => {
        assert.deepStrictEqual(
            check([rules([{ rules: [alert("VotingPodCrashLooping", "P1")] }, { rules: [alert("VotingPostgresDown", "P0")] }])]),
            [],
        );
        assert.deepStrictEqual(
            check([
                rules([{ rules: [alert("VotingPodCrashLooping", "P2")] }]),
                rules([{ name: "g" }, { rules: [alert("VotingPostgresDown", "P0")] }], "more"),
            ]),
            [],
        );
    });

    it("refuses a configured alert defined nowhere, reported on the namespace of the first PrometheusRule, else monitoring", () => {
        const objs = [rules([{ rules: [alert("VotingPodCrashLooping", "P1")] }])];
        assert.deepStrictEqual(check(objs), ["alert VotingPostgresDown is not defined in any PrometheusRule"]);
        assert.deepStrictEqual(reportedOn(requireCriticalAlerts, objs, CFG), ["Namespace /monitoring"]);
        const elsewhere = { ...rules([]), metadata: { name: "voting-alerts", namespace: "observability" } };
        assert.deepStrictEqual(reportedOn(requireCriticalAlerts, [elsewhere, ...objs], CFG), ["Namespace /observability"]);
        assert.deepStrictEqual(check([]), [
            "alert VotingPodCrashLooping is not defined in any PrometheusRule",
            "alert VotingPostgresDown is not defined in any PrometheusRule",
        ]);
        assert.deepStrictEqual(reportedOn(requireCriticalAlerts, [], { alerts: ["A"] }), ["Namespace /monitoring"]);
    });

    it("refuses an alert with a severity outside the configured set, or none", () => {
        assert.deepStrictEqual(check([rules([{ rules: [alert("VotingPodCrashLooping", "critical"), alert("VotingPostgresDown")] }])]), [
            'PrometheusRule monitoring/voting-alerts: alert VotingPodCrashLooping has severity "critical"; use one of P0, P1, P2',
            "PrometheusRule monitoring/voting-alerts: alert VotingPostgresDown has severity null; use one of P0, P1, P2",
        ]);
        assert.deepStrictEqual(
            check([rules([{ rules: [alert("VotingPodCrashLooping", "P3"), alert("VotingPostgresDown", "P3")] }])], { ...CFG, severities: ["P3"] }),
            [],
        );
    });

    it("asks nothing when no alert is configured", () => {
        assert.deepStrictEqual(violations(requireCriticalAlerts, []), []);
    });

    it("reads alerts from PrometheusRules only, and reports on the first PrometheusRule's namespace whatever comes before it", () => {
        const lookalike = { ...rules([{ rules: [alert("A", "P0")] }], "fake"), kind: "Lookalike" };
        assert.deepStrictEqual(violations(requireCriticalAlerts, [lookalike], { alerts: ["A"] }), ["alert A is not defined in any PrometheusRule"]);
        const cm: K8sObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "other" } };
        assert.deepStrictEqual(reportedOn(requireCriticalAlerts, [cm, rules([])], { alerts: ["A"] }), ["Namespace /monitoring"]);
    });

    it("reports a missing alert on the default namespace when the first PrometheusRule names none, as that is where it lands", () => {
        const unplaced: K8sObject = { ...rules([]), metadata: { name: "voting-alerts" } };
        assert.deepStrictEqual(reportedOn(requireCriticalAlerts, [unplaced], { alerts: ["A"] }), ["Namespace /default"]);
    });

    it("judges an alert defined twice by its first definition", () => {
        const twice = [
            rules([{ rules: [alert("VotingPodCrashLooping", "P1"), alert("VotingPostgresDown", "P0")] }]),
            rules([{ rules: [alert("VotingPodCrashLooping")] }], "more"),
        ];
        assert.deepStrictEqual(check(twice), []);
        assert.deepStrictEqual(check([...twice].reverse()), [
            "PrometheusRule monitoring/more: alert VotingPodCrashLooping has severity null; use one of P0, P1, P2",
        ]);
    });
});
