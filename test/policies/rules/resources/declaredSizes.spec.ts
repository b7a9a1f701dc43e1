import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireDeclaredSizes } from "../../../../policies/rules/resources/requireDeclaredSizes";
import { compliantDeployment, LABELS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const API = { requests: { cpu: "200m", memory: "256Mi" }, minAvailable: 2, minReplicas: 3, maxReplicas: 10 };
const DECLARED = { workloads: { "voting-api/api": API } };

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
const compliant = () => [compliantDeployment(), pdb(2), hpa(3, 10)];

describe("require-declared-sizes (2.2.1, 2.3.3, 5.1.1)", () => {
    it("accepts a workload sized as its stack declares, or above it, and judges nothing the pack config does not name", () => {
        assert.deepStrictEqual(violations(requireDeclaredSizes, compliant(), DECLARED), []);
        assert.deepStrictEqual(violations(requireDeclaredSizes, [requesting("1", "1Gi"), pdb(3), hpa(4, 20)], DECLARED), []);
        assert.deepStrictEqual(violations(requireDeclaredSizes, [requesting("1m", "1Mi"), pdb(1), hpa(1, 2)]), []);
    });

    it("refuses requests under the declared ones, comparing quantities, not strings", () => {
        assert.deepStrictEqual(violations(requireDeclaredSizes, [requesting("0.1", "64Mi"), pdb(2), hpa(3, 10)], DECLARED), [
            'Deployment voting-api/api: container "api" requests "0.1" CPU, under the 200m its stack declares',
            'Deployment voting-api/api: container "api" requests "64Mi" of memory, under the 256Mi its stack declares',
        ]);
        assert.deepStrictEqual(violations(requireDeclaredSizes, [requesting("0.2", "268435456"), pdb(2), hpa(3, 10)], DECLARED), []);
        assert.deepStrictEqual(violations(requireDeclaredSizes, [requesting(undefined, { x: 1 }), pdb(2), hpa(3, 10)], DECLARED), [
            'Deployment voting-api/api: container "api" requests no CPU, under the 200m its stack declares',
            'Deployment voting-api/api: container "api" requests {"x":1} of memory, under the 256Mi its stack declares',
        ]);
    });

    it("refuses a budget of its pods that keeps fewer than declared, or no fixed number", () => {
        assert.deepStrictEqual(violations(requireDeclaredSizes, [compliantDeployment(), pdb(1), hpa(3, 10)], DECLARED), [
            "PodDisruptionBudget voting-api/api: keeps 1 pods of Deployment api available, under the 2 its stack declares",
        ]);
        assert.deepStrictEqual(violations(requireDeclaredSizes, [compliantDeployment(), pdb(undefined), hpa(3, 10)], DECLARED), [
            "PodDisruptionBudget voting-api/api: keeps no fixed number of pods of Deployment api available, under the 2 its stack declares",
        ]);
        assert.deepStrictEqual(violations(requireDeclaredSizes, [compliantDeployment(), pdb("50%"), hpa(3, 10)], DECLARED), [
            'PodDisruptionBudget voting-api/api: keeps "50%" pods of Deployment api available, under the 2 its stack declares',
        ]);
    });

    it("refuses an HPA or ScaledObject whose bounds fall under the declared ones, with the API's defaults when unset", () => {
        assert.deepStrictEqual(violations(requireDeclaredSizes, [compliantDeployment(), pdb(2), hpa(3, 4)], DECLARED), [
            "HorizontalPodAutoscaler voting-api/api: stops at 4 pods (maxReplicas), under the 10 its stack declares for Deployment api",
        ]);
        assert.deepStrictEqual(violations(requireDeclaredSizes, [compliantDeployment(), pdb(2), hpa(undefined, 10)], DECLARED), [
            "HorizontalPodAutoscaler voting-api/api: runs as few as 1 pods (minReplicas), under the 3 its stack declares for Deployment api",
        ]);
        assert.deepStrictEqual(violations(requireDeclaredSizes, [compliantDeployment(), pdb(2), scaled(undefined, undefined)], DECLARED), [
            "ScaledObject voting-api/api: runs as few as 0 pods (minReplicaCount), under the 3 its stack declares for Deployment api",
        ]);
        assert.deepStrictEqual(violations(requireDeclaredSizes, [compliantDeployment(), pdb(2), scaled(3, 6)], DECLARED), [
            "ScaledObject voting-api/api: stops at 6 pods (maxReplicaCount), under the 10 its stack declares for Deployment api",
        ]);
        const other = withChange(hpa(1, 2), (h) => (h.spec.scaleTargetRef.name = "frontend"));
        assert.deepStrictEqual(violations(requireDeclaredSizes, [compliantDeployment(), pdb(2), other], DECLARED), []);
    });
});
