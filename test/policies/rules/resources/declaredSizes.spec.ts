import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { enforceDisruptionBudgetMinimum } from "../../../../policies/rules/reliability/enforceDisruptionBudgetMinimum";
import { enforceMinimumRequests } from "../../../../policies/rules/resources/enforceMinimumRequests";
import { enforceAutoscalerTargets } from "../../../../policies/rules/scaling/enforceAutoscalerTargets";
import { compliantDeployment, LABELS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

// What a stack declares for the API (npm run sync-pack-config writes it from config/workloads.ts and the stack's overrides).
const REQUESTS = { workloads: { "voting-api/api": { cpu: "200m", memory: "256Mi" } } };
const BUDGET = { workloads: { "voting-api/api": 2 } };
const SCALING = { workloads: { "voting-api/api": { minReplicas: 3, maxReplicas: 10 } } };

const pdb = (minAvailable: unknown): K8sObject => ({
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "api", namespace: "voting-api", labels: LABELS },
    spec: {
        ...(minAvailable === undefined ? { maxUnavailable: 1 } : { minAvailable }),
        selector: { matchLabels: { "app.kubernetes.io/name": "api" } },
    },
});
const hpa = (minReplicas: unknown, maxReplicas: unknown): K8sObject => ({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "api", namespace: "voting-api", labels: LABELS },
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" }, minReplicas, maxReplicas },
});
const scaled = (minReplicaCount: unknown, maxReplicaCount: unknown): K8sObject => ({
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: "api", namespace: "voting-api", labels: LABELS },
    spec: { scaleTargetRef: { name: "api" }, minReplicaCount, maxReplicaCount },
});
const requesting = (cpu: unknown, memory: unknown) =>
    withChange(compliantDeployment(), (d) => (d.spec.template.spec.containers[0].resources.requests = { cpu, memory, "ephemeral-storage": "128Mi" }));

describe("enforce-minimum-requests, with the sizes a stack declares (2.2.1)", () => {
    it("refuses requests under the declared ones, comparing quantities, not strings", () => {
        assert.deepStrictEqual(violations(enforceMinimumRequests, requesting("0.1", "64Mi"), REQUESTS), [
            "Deployment voting-api/api: requests 100m of cpu where at least 200m is required",
            "Deployment voting-api/api: requests 64Mi of memory where at least 256Mi is required",
        ]);
        assert.deepStrictEqual(violations(enforceMinimumRequests, requesting("0.2", "268435456"), REQUESTS), []);
    });

    it("judges nothing the pack config does not name", () => {
        assert.deepStrictEqual(violations(enforceMinimumRequests, requesting("1m", "1Mi")), []);
    });

    it("blocks the registry's PostgreSQL request mutant of 2.2.1 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("2.2.1", "PostgreSQL requests 100m of CPU where the checklist asks 250m"), [
            // The server's 100m plus its password-sync sidecar's 20m: the rule sums the pod's containers.
            "enforce-minimum-requests: StatefulSet voting-data/postgres: requests 120m of cpu where at least 250m is required",
        ]);
    });
});

describe("enforce-disruption-budget-minimum, with the sizes a stack declares (2.3.3)", () => {
    it("accepts a budget keeping the declared pods or more, at the autoscaler's floor", () => {
        for (const kept of [2, 3])
            assert.deepStrictEqual(violations(enforceDisruptionBudgetMinimum, [compliantDeployment(), pdb(kept), hpa(3, 10)], BUDGET), []);
    });

    it("refuses a budget that keeps fewer pods than declared", () => {
        assert.deepStrictEqual(violations(enforceDisruptionBudgetMinimum, [compliantDeployment(), pdb(1), hpa(3, 10)], BUDGET), [
            "Deployment voting-api/api: PodDisruptionBudget api keeps 1 pod(s) available (minAvailable 1 of 3) where at least 2 must stay",
        ]);
    });

    it("resolves maxUnavailable and percentages at the floor, as the disruption controller does: 1 of 3 unavailable and 50% of 3 keep 2", () => {
        assert.deepStrictEqual(violations(enforceDisruptionBudgetMinimum, [compliantDeployment(), pdb(undefined), hpa(3, 10)], BUDGET), []);
        assert.deepStrictEqual(violations(enforceDisruptionBudgetMinimum, [compliantDeployment(), pdb("50%"), hpa(3, 10)], BUDGET), []);
        assert.deepStrictEqual(violations(enforceDisruptionBudgetMinimum, [compliantDeployment(), pdb("50%"), hpa(2, 10)], BUDGET), [
            'Deployment voting-api/api: PodDisruptionBudget api keeps 1 pod(s) available (minAvailable "50%" of 2) where at least 2 must stay',
        ]);
    });
});

describe("enforce-autoscaler-targets, with the sizes a stack declares (5.1.1)", () => {
    it("accepts an HPA or ScaledObject whose bounds reach the declared ones or beyond", () => {
        for (const s of [hpa(3, 10), hpa(4, 20), scaled(3, 10)])
            assert.deepStrictEqual(violations(enforceAutoscalerTargets, [compliantDeployment(), s], SCALING), []);
    });

    it("refuses an HPA whose bounds fall under the declared ones, with the API's default minimum of 1 when unset", () => {
        assert.deepStrictEqual(violations(enforceAutoscalerTargets, [compliantDeployment(), hpa(3, 4)], SCALING), [
            "Deployment voting-api/api: its HorizontalPodAutoscaler api scales to at most 4 pod(s) where it must reach 10",
        ]);
        assert.deepStrictEqual(violations(enforceAutoscalerTargets, [compliantDeployment(), hpa(undefined, 10)], SCALING), [
            "Deployment voting-api/api: its HorizontalPodAutoscaler api keeps as few as 1 pod(s) where at least 3 are required",
        ]);
    });

    it("refuses a KEDA ScaledObject under the declared bounds, with KEDA's default minimum of 0 when unset", () => {
        assert.deepStrictEqual(violations(enforceAutoscalerTargets, [compliantDeployment(), scaled(undefined, undefined)], SCALING), [
            "Deployment voting-api/api: its ScaledObject api keeps as few as 0 pod(s) where at least 3 are required",
        ]);
        assert.deepStrictEqual(violations(enforceAutoscalerTargets, [compliantDeployment(), scaled(3, 6)], SCALING), [
            "Deployment voting-api/api: its ScaledObject api scales to at most 6 pod(s) where it must reach 10",
        ]);
    });

    it("does not take another workload's autoscaler for the declared one's", () => {
        const other = withChange(hpa(3, 10), (h) => (h.spec.scaleTargetRef.name = "frontend"));
        assert.deepStrictEqual(violations(enforceAutoscalerTargets, [compliantDeployment(), other], SCALING), [
            "Deployment voting-api/api: is not scaled by a HorizontalPodAutoscaler or ScaledObject",
        ]);
    });

    it("blocks the registry's mutant of the consumer's ScaledObject on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("5.1.1", "the consumer's ScaledObject stops at 3 pods where prod declares 6"), [
            "enforce-autoscaler-targets: Deployment voting-consumer/consumer: its ScaledObject consumer scales to at most 3 pod(s) where it must reach 6",
        ]);
    });
});
