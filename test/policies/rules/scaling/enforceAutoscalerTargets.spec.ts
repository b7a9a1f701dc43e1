import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { enforceAutoscalerTargets } from "../../../../policies/rules/scaling/enforceAutoscalerTargets";
import { asPodKind } from "../../../helpers/dataFixtures";
import { compliantDeployment } from "../../../helpers/fixtures";
import { reportedOn, violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const CFG = { workloads: { "voting-api/api": { minReplicas: 3, maxReplicas: 10, cpuUtilization: 70, memoryUtilization: 80 } } };
const metric = (name: string, averageUtilization: number) => ({
    type: "Resource",
    resource: { name, target: { type: "Utilization", averageUtilization } },
});
const hpa = (spec: Record<string, unknown> = {}, apiVersion = "autoscaling/v2"): K8sObject => ({
    apiVersion,
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "api", namespace: "voting-api" },
    spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
        minReplicas: 3,
        maxReplicas: 10,
        metrics: [metric("cpu", 70), metric("memory", 80)],
        ...spec,
    },
});
const api = () => withChange(compliantDeployment(), (x) => delete x.spec.replicas);
const check = (objects: K8sObject[], cfg: Record<string, unknown> = CFG) => violations(enforceAutoscalerTargets, objects, cfg);
const BY = "Deployment voting-api/api: its HorizontalPodAutoscaler api";

describe(enforceAutoscalerTargets.name, () => {
    it("accepts the API's HPA of 3 to 10 pods on 70% CPU and 80% memory", () => {
        assert.deepStrictEqual(check([api(), hpa()]), []);
    });

    it("accepts more headroom: a higher floor, a higher ceiling, and lower targets that scale out sooner", () => {
        assert.deepStrictEqual(check([api(), hpa({ minReplicas: 4, maxReplicas: 11, metrics: [metric("cpu", 69), metric("memory", 79)] })]), []);
    });

    it("refuses a floor, a ceiling and targets each one step the wrong side of the checklist's numbers", () => {
        assert.deepStrictEqual(check([api(), hpa({ minReplicas: 2, maxReplicas: 9, metrics: [metric("cpu", 71), metric("memory", 81)] })]), [
            `${BY} keeps as few as 2 pod(s) where at least 3 are required`,
            `${BY} scales to at most 9 pod(s) where it must reach 10`,
            `${BY} scales on cpu only at 71% of the request; scale out by 70%`,
            `${BY} scales on memory only at 81% of the request; scale out by 80%`,
        ]);
    });

    it("refuses an HPA without a CPU or memory utilisation target, and reads the minimum's default of 1", () => {
        const noMin = hpa({ metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "AverageValue", averageValue: "100m" } } }] });
        delete noMin.spec.minReplicas;
        assert.deepStrictEqual(check([api(), noMin]), [
            `${BY} keeps as few as 1 pod(s) where at least 3 are required`,
            `${BY} has no cpu utilisation target; scale on cpu at 70% of the request`,
            `${BY} has no memory utilisation target; scale on memory at 80% of the request`,
        ]);
    });

    it("reads autoscaling/v1's CPU target and per-container targets", () => {
        const v1 = hpa({ metrics: undefined, targetCPUUtilizationPercentage: 75 }, "autoscaling/v1");
        assert.deepStrictEqual(check([api(), v1], { workloads: { "voting-api/api": { cpuUtilization: 70 } } }), [
            `${BY} scales on cpu only at 75% of the request; scale out by 70%`,
        ]);
        const perContainer = hpa({
            metrics: [
                {
                    type: "ContainerResource",
                    containerResource: { name: "cpu", container: "api", target: { type: "Utilization", averageUtilization: 60 } },
                },
            ],
        });
        assert.deepStrictEqual(check([api(), perContainer], { workloads: { "voting-api/api": { cpuUtilization: 70 } } }), []);
    });

    it("reads the 80% CPU target the API server gives an HPA without metrics, and no memory target", () => {
        const cpu = (limit: number) => ({ workloads: { "voting-api/api": { cpuUtilization: limit } } });
        const bare = hpa({ metrics: undefined });
        assert.deepStrictEqual(check([api(), bare], cpu(70)), [`${BY} scales on cpu only at 80% of the request; scale out by 70%`]);
        assert.deepStrictEqual(check([api(), bare], cpu(80)), []);
        assert.deepStrictEqual(check([api(), bare], { workloads: { "voting-api/api": { memoryUtilization: 80 } } }), [
            `${BY} has no memory utilisation target; scale on memory at 80% of the request`,
        ]);
        const v1 = hpa({ metrics: undefined }, "autoscaling/v1");
        assert.deepStrictEqual(check([api(), v1], cpu(70)), [`${BY} scales on cpu only at 80% of the request; scale out by 70%`]);
        const v1Set = hpa({ metrics: undefined, targetCPUUtilizationPercentage: 60 }, "autoscaling/v1");
        assert.deepStrictEqual(check([api(), v1Set], CFG), [`${BY} has no memory utilisation target; scale on memory at 80% of the request`]);
    });

    it("takes the lowest of several targets on one resource, which scales out first", () => {
        const cpu = (n: number) => ({
            type: "ContainerResource",
            containerResource: { name: "cpu", container: "api", target: { type: "Utilization", averageUtilization: n } },
        });
        const two = (a: number, b: number) => hpa({ metrics: [metric("cpu", a), cpu(b), metric("memory", 80)] });
        assert.deepStrictEqual(check([api(), two(75, 72)]), [`${BY} scales on cpu only at 72% of the request; scale out by 70%`]);
        assert.deepStrictEqual(check([api(), two(90, 60)]), []);
    });

    it("ignores an averageUtilization beside an AverageValue target, as the controller does", () => {
        const value = hpa({
            metrics: [
                { type: "Resource", resource: { name: "cpu", target: { type: "AverageValue", averageValue: "100m", averageUtilization: 50 } } },
                metric("memory", 80),
            ],
        });
        assert.deepStrictEqual(check([api(), value]), [`${BY} has no cpu utilisation target; scale on cpu at 70% of the request`]);
    });

    it("says when an HPA sets no maxReplicas", () => {
        const noMax = hpa();
        delete noMax.spec.maxReplicas;
        assert.deepStrictEqual(check([api(), noMax]), [`${BY} scales to at most an unset number of pod(s) where it must reach 10`]);
    });

    it("judges a KEDA ScaledObject by its replica counts and cpu and memory triggers", () => {
        const scaled: K8sObject = {
            apiVersion: "keda.sh/v1alpha1",
            kind: "ScaledObject",
            metadata: { name: "api", namespace: "voting-api" },
            spec: {
                scaleTargetRef: { name: "api" },
                minReplicaCount: 3,
                maxReplicaCount: 8,
                triggers: [
                    { type: "cpu", metricType: "Utilization", metadata: { value: "70" } },
                    { type: "memory", metricType: "Utilization", metadata: { value: "90" } },
                ],
            },
        };
        assert.deepStrictEqual(check([api(), scaled]), [
            "Deployment voting-api/api: its ScaledObject api scales to at most 8 pod(s) where it must reach 10",
            "Deployment voting-api/api: its ScaledObject api scales on memory only at 90% of the request; scale out by 80%",
        ]);
    });

    it("counts a KEDA trigger as a utilisation target only when it is one and states a whole percentage", () => {
        const keda = (...triggers: Record<string, unknown>[]): K8sObject => ({
            apiVersion: "keda.sh/v1alpha1",
            kind: "ScaledObject",
            metadata: { name: "api", namespace: "voting-api" },
            spec: { scaleTargetRef: { name: "api" }, minReplicaCount: 3, maxReplicaCount: 10, triggers },
        });
        const memory = { type: "memory", metricType: "Utilization", metadata: { value: "80" } };
        const noCpu = "Deployment voting-api/api: its ScaledObject api has no cpu utilisation target; scale on cpu at 70% of the request";
        assert.deepStrictEqual(check([api(), keda({ type: "cpu", metadata: { value: "90" } }, memory)]), [
            "Deployment voting-api/api: its ScaledObject api scales on cpu only at 90% of the request; scale out by 70%",
        ]);
        assert.deepStrictEqual(check([api(), keda({ type: "cpu", metricType: "AverageValue", metadata: { value: "1" } }, memory)]), [noCpu]);
        assert.deepStrictEqual(check([api(), keda({ type: "cpu", metadata: { type: "AverageValue", value: "1" } }, memory)]), [noCpu]);
        assert.deepStrictEqual(check([api(), keda({ type: "cpu", metricType: "Utilization", metadata: {} }, memory)]), [noCpu]);
    });

    it("refuses a named workload that nothing scales, or that is missing, on each scalable kind", () => {
        for (const kind of ["Deployment", "StatefulSet", "ReplicaSet"] as const) {
            assert.deepStrictEqual(check([asPodKind(kind, api())]), [
                `${kind} voting-api/api: is not scaled by a HorizontalPodAutoscaler or ScaledObject`,
            ]);
        }
        assert.deepStrictEqual(check([hpa()]), ["workload voting-api/api is named for autoscaling but is not in the resource set"]);
        assert.deepStrictEqual(reportedOn(enforceAutoscalerTargets, [hpa()], CFG), ["Deployment voting-api/api"]);
        assert.deepStrictEqual(check([api(), hpa({ minReplicas: 1 })], { workloads: {} }), []);
    });

    it("blocks the registry's mutants of 5.1.1 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("5.1.1", "the API's HPA stops at 4 pods where the checklist asks 10"), [
            "enforce-autoscaler-targets: Deployment voting-api/api: its HorizontalPodAutoscaler api scales to at most 4 pod(s) where it must reach 10",
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("5.1.1", "the API's HPA scales out only at 90% CPU where the checklist asks 70%"), [
            "enforce-autoscaler-targets: Deployment voting-api/api: its HorizontalPodAutoscaler api scales on cpu only at 90% of the request; scale out by 70%",
        ]);
    });
});
