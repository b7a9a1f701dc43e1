import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requirePodDisruptionBudgetPolicy } from "../../../../policies/rules/reliability/requirePodDisruptionBudgetPolicy";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations } from "../../../helpers/policy";

const pdb = (spec: Record<string, unknown>): K8sObject => ({
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "api", namespace: "voting-api" },
    spec: { selector: { matchLabels: { "app.kubernetes.io/name": "api" } }, ...spec },
});

describe("require-pod-disruption-budget-policy", () => {
    it("accepts a budget with maxUnavailable, or with minAvailable, as a number or a percentage", () => {
        for (const spec of [{ maxUnavailable: 1 }, { minAvailable: 2 }, { maxUnavailable: "25%" }, { minAvailable: 0 }]) {
            assert.deepStrictEqual(violations(requirePodDisruptionBudgetPolicy, pdb(spec)), [], JSON.stringify(spec));
        }
    });

    it("refuses a budget with neither, which lets every pod be evicted", () => {
        for (const spec of [{}, { minAvailable: null }]) {
            assert.deepStrictEqual(violations(requirePodDisruptionBudgetPolicy, pdb(spec)), [
                "PodDisruptionBudget voting-api/api: sets neither minAvailable nor maxUnavailable, so it lets every pod be evicted; set maxUnavailable: 1",
            ]);
        }
    });

    it("refuses a budget with both, which the API server refuses", () => {
        assert.deepStrictEqual(violations(requirePodDisruptionBudgetPolicy, pdb({ minAvailable: 1, maxUnavailable: 1 })), [
            "PodDisruptionBudget voting-api/api: sets both minAvailable and maxUnavailable; the API server accepts only one, keep maxUnavailable",
        ]);
    });

    it("judges nothing but PodDisruptionBudgets", () => {
        assert.deepStrictEqual(violations(requirePodDisruptionBudgetPolicy, compliantDeployment()), []);
    });
});
