import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireMetricsScraping } from "../../../../policies/rules/observability/requireMetricsScraping";
import { asKind, compliantDeployment } from "../../../helpers/fixtures";
import { reportedOn, violations, withChange } from "../../../helpers/policy";

const CFG = { workloads: ["voting-api/api"] };
const SELF = { "app.kubernetes.io/name": "api" };
const service = (namespace = "voting-api", selector: unknown = SELF): K8sObject => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "api", namespace, labels: { "app.kubernetes.io/name": "api" } },
    spec: { selector, ports: [{ name: "http", port: 8000 }] },
});
const monitor = (kind: string, spec: Record<string, unknown> = {}, namespace = "voting-api"): K8sObject => ({
    apiVersion: "monitoring.coreos.com/v1",
    kind,
    metadata: { name: "api", namespace },
    spec: { selector: { matchLabels: SELF }, ...spec },
});
const NOT_SCRAPED = "voting-api/api is not scraped: no ServiceMonitor or PodMonitor selects it";
const check = (objs: K8sObject[], cfg: Record<string, unknown> = CFG) => violations(requireMetricsScraping, objs, cfg);

describe(requireMetricsScraping.name, () => {
    it("accepts a ServiceMonitor selecting a Service of the workload's pods, or a PodMonitor selecting its pods", () => {
        assert.deepStrictEqual(check([compliantDeployment(), service(), monitor("ServiceMonitor")]), []);
        assert.deepStrictEqual(check([compliantDeployment(), monitor("PodMonitor")]), []);
    });

    it("accepts a monitor in another namespace that watches the workload's, by name or any", () => {
        assert.deepStrictEqual(
            check([compliantDeployment(), service(), monitor("ServiceMonitor", { namespaceSelector: { matchNames: ["voting-api"] } }, "monitoring")]),
            [],
        );
        assert.deepStrictEqual(check([compliantDeployment(), monitor("PodMonitor", { namespaceSelector: { any: true } }, "monitoring")]), []);
    });

    it("refuses a workload no monitor selects, reported on the workload", () => {
        assert.deepStrictEqual(check([compliantDeployment(), service()]), [NOT_SCRAPED]);
        assert.deepStrictEqual(reportedOn(requireMetricsScraping, [compliantDeployment()], CFG), ["Deployment voting-api/api"]);
    });

    it("refuses a monitor that watches other namespaces, or sits in another namespace without a selector", () => {
        assert.deepStrictEqual(
            check([compliantDeployment(), service(), monitor("ServiceMonitor", { namespaceSelector: { matchNames: ["default"] } })]),
            [NOT_SCRAPED],
        );
        assert.deepStrictEqual(check([compliantDeployment(), monitor("PodMonitor", {}, "monitoring")]), [NOT_SCRAPED]);
        assert.deepStrictEqual(check([compliantDeployment(), monitor("PodMonitor", { namespaceSelector: { any: "true" } }, "monitoring")]), [
            NOT_SCRAPED,
        ]);
    });

    it("refuses a ServiceMonitor whose Service is in another namespace, selects other pods, or is not selected", () => {
        assert.deepStrictEqual(
            check([compliantDeployment(), service("voting-frontend"), monitor("ServiceMonitor", { namespaceSelector: { any: true } })]),
            [NOT_SCRAPED],
        );
        assert.deepStrictEqual(check([compliantDeployment(), service("voting-api", { app: "other" }), monitor("ServiceMonitor")]), [NOT_SCRAPED]);
        assert.deepStrictEqual(check([compliantDeployment(), service("voting-api", null), monitor("ServiceMonitor")]), [NOT_SCRAPED]);
        assert.deepStrictEqual(check([compliantDeployment(), service(), monitor("ServiceMonitor", { selector: { matchLabels: { team: "x" } } })]), [
            NOT_SCRAPED,
        ]);
        assert.deepStrictEqual(check([compliantDeployment(), service(), monitor("PodMonitor", { selector: { matchLabels: { team: "x" } } })]), [
            NOT_SCRAPED,
        ]);
    });

    it("refuses a configured workload that is not in the resource set, reported on its namespace", () => {
        assert.deepStrictEqual(check([]), ["voting-api/api is to be scraped but is not in the resource set"]);
        assert.deepStrictEqual(reportedOn(requireMetricsScraping, [], CFG), ["Namespace /voting-api"]);
        const svcOnly = [service()];
        assert.deepStrictEqual(check(svcOnly), ["voting-api/api is to be scraped but is not in the resource set"]);
    });

    it("finds the workload of any pod-bearing kind, and asks nothing when none is configured", () => {
        const sts = withChange(asKind("StatefulSet"), (x) => (x.metadata!.name = "api"));
        assert.deepStrictEqual(check([sts, monitor("PodMonitor")]), []);
        assert.deepStrictEqual(check([compliantDeployment()], { workloads: [] }), []);
    });

    it("takes only a Service for the ServiceMonitor to select, and only a workload for the configured name", () => {
        const lookalike = { ...service(), kind: "Lookalike" };
        assert.deepStrictEqual(check([compliantDeployment(), lookalike, monitor("ServiceMonitor")]), [NOT_SCRAPED]);
        assert.deepStrictEqual(check([service(), compliantDeployment(), monitor("ServiceMonitor")]), []);
    });

    it("takes a PodMonitor without a spec as selecting nothing", () => {
        assert.deepStrictEqual(check([compliantDeployment(), { ...monitor("PodMonitor"), spec: undefined }]), [NOT_SCRAPED]);
    });
});
