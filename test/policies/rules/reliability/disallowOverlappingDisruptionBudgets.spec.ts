import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disallowOverlappingDisruptionBudgets } from "../../../../policies/rules/reliability/disallowOverlappingDisruptionBudgets";
import { asKind, compliantDeployment, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const rule = disallowOverlappingDisruptionBudgets;
const NAME = { "app.kubernetes.io/name": "api" };
const budget = (name: string, selector: unknown, namespace = "voting-api"): K8sObject => ({
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name, namespace },
    spec: { minAvailable: 1, selector },
});
const STOPS = "the eviction API refuses to evict a pod that more than one budget selects, so node drains stop at them; keep one budget per pod";

/** The API's canary as a second instance: the API's name label, an instance label of its own. */
const canary = (): K8sObject =>
    withChange(compliantDeployment(), (x) => {
        x.metadata!.name = "api-canary";
        x.spec.selector.matchLabels["app.kubernetes.io/instance"] = "api-canary-prod";
        x.spec.template.metadata.labels["app.kubernetes.io/instance"] = "api-canary-prod";
    });
const instance = (d: K8sObject) => ({ ...NAME, "app.kubernetes.io/instance": d.spec.template.metadata.labels["app.kubernetes.io/instance"] });

describe(disallowOverlappingDisruptionBudgets.name, () => {
    it("accepts one budget per workload, a canary's beside the API's when each selects its own instance", () => {
        assert.deepStrictEqual(violations(rule, [compliantDeployment(), budget("api", { matchLabels: NAME })]), []);
        const api = compliantDeployment();
        const c = canary();
        assert.deepStrictEqual(
            violations(rule, [api, c, budget("api", { matchLabels: instance(api) }), budget("api-canary", { matchLabels: instance(c) })]),
            [],
        );
    });

    it("refuses a pod that two budgets select, naming both: a canary's budget beside one that selects by name only", () => {
        const c = canary();
        assert.deepStrictEqual(
            violations(rule, [compliantDeployment(), c, budget("api", { matchLabels: NAME }), budget("api-canary", { matchLabels: instance(c) })]),
            [
                `Deployment voting-api/api-canary: its pods are selected by PodDisruptionBudget voting-api/api and PodDisruptionBudget voting-api/api-canary; ${STOPS}`,
            ],
        );
    });

    it("reads selectors as policy/v1 does: an empty selector selects every pod of its namespace, a missing one none", () => {
        const base = [compliantDeployment(), budget("api", { matchLabels: NAME })];
        assert.deepStrictEqual(violations(rule, [...base, budget("all", {})]), [
            `Deployment voting-api/api: its pods are selected by PodDisruptionBudget voting-api/api and PodDisruptionBudget voting-api/all; ${STOPS}`,
        ]);
        assert.deepStrictEqual(violations(rule, [...base, budget("none", undefined), budget("null", null)]), []);
        assert.deepStrictEqual(
            violations(rule, [
                ...base,
                budget("all", { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["api", "frontend"] }] }),
            ]),
            [
                `Deployment voting-api/api: its pods are selected by PodDisruptionBudget voting-api/api and PodDisruptionBudget voting-api/all; ${STOPS}`,
            ],
        );
    });

    it("counts only the budgets of the pod's namespace", () => {
        assert.deepStrictEqual(
            violations(rule, [compliantDeployment(), budget("api", { matchLabels: NAME }), budget("api", { matchLabels: NAME }, "voting-frontend")]),
            [],
        );
    });

    it("refuses the overlap on every kind that runs pods, three budgets named in the order given", () => {
        for (const kind of POD_KINDS) {
            const w = asKind(kind);
            assert.deepStrictEqual(
                violations(rule, [w, budget("a", { matchLabels: NAME }), budget("b", {}), budget("c", { matchLabels: NAME })]),
                [
                    `${named(w)}: its pods are selected by PodDisruptionBudget voting-api/a, PodDisruptionBudget voting-api/b and PodDisruptionBudget voting-api/c; ${STOPS}`,
                ],
                kind,
            );
        }
    });
});
