import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireReplicas } from "../../../../policies/rules/reliability/requireReplicas";
import { asKind, compliantDeployment, named } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const CFG = { minReplicas: 2, workloads: { "voting-api/api": 3 } };
const replicas = (n: number | undefined) =>
    withChange(compliantDeployment(), (x) => {
        if (n === undefined) delete x.spec.replicas;
        else x.spec.replicas = n;
    });
const hpa = (min: number | undefined, namespace = "voting-api", kind = "Deployment"): K8sObject => ({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "api", namespace },
    spec: { scaleTargetRef: { apiVersion: "apps/v1", kind, name: "api" }, ...(min === undefined ? {} : { minReplicas: min }), maxReplicas: 10 },
});
const scaled = (min?: number, kind?: string): K8sObject => ({
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: "api", namespace: "voting-api" },
    spec: { scaleTargetRef: { name: "api", ...(kind ? { kind } : {}) }, ...(min === undefined ? {} : { minReplicaCount: min }), triggers: [] },
});
const few = (n: number, want: number, source: string, obj = "Deployment voting-api/api") =>
    `${obj}: keeps as few as ${n} replica(s) where ${want} are required: ${source}`;

describe(requireReplicas.name, () => {
    it("accepts replicas at the workload's minimum and above it", () => {
        assert.deepStrictEqual(violations(requireReplicas, [replicas(3)], CFG), []);
        assert.deepStrictEqual(violations(requireReplicas, [replicas(4)], CFG), []);
    });

    it("refuses replicas just under the workload's minimum", () => {
        assert.deepStrictEqual(violations(requireReplicas, [replicas(2)], CFG), [few(2, 3, "it runs 2")]);
    });

    it("uses the general minimum for workloads the config does not name", () => {
        const other = withChange(replicas(2), (x) => (x.metadata!.name = "other"));
        assert.deepStrictEqual(violations(requireReplicas, [other], CFG), []);
        const one = withChange(replicas(1), (x) => (x.metadata!.name = "other"));
        assert.deepStrictEqual(violations(requireReplicas, [one], CFG), [few(1, 2, "it runs 1", "Deployment voting-api/other")]);
        assert.deepStrictEqual(violations(requireReplicas, [replicas(1)]), [few(1, 2, "it runs 1")], "default minimum 2");
    });

    it("counts an unset replicas as the 1 Kubernetes runs", () => {
        assert.deepStrictEqual(violations(requireReplicas, [replicas(undefined)], CFG), [few(1, 3, "it sets no replicas (Kubernetes runs 1)")]);
    });

    it("counts the HPA's minimum, 1 when unset, at and under the limit", () => {
        assert.deepStrictEqual(violations(requireReplicas, [replicas(undefined), hpa(3)], CFG), []);
        assert.deepStrictEqual(violations(requireReplicas, [replicas(undefined), hpa(2)], CFG), [
            few(2, 3, "its HorizontalPodAutoscaler api allows 2"),
        ]);
        assert.deepStrictEqual(violations(requireReplicas, [replicas(undefined), hpa(undefined)], CFG), [
            few(1, 3, "its HorizontalPodAutoscaler api allows 1"),
        ]);
    });

    it("counts the ScaledObject's minimum, 0 when unset", () => {
        assert.deepStrictEqual(violations(requireReplicas, [replicas(undefined), scaled(3)], CFG), []);
        assert.deepStrictEqual(violations(requireReplicas, [replicas(undefined), scaled()], CFG), [few(0, 3, "its ScaledObject api allows 0")]);
    });

    it("counts the autoscaler's minimum over spec.replicas", () => {
        assert.deepStrictEqual(violations(requireReplicas, [replicas(5), hpa(2)], CFG), [few(2, 3, "its HorizontalPodAutoscaler api allows 2")]);
    });

    it("ignores an autoscaler in another namespace, or one that targets another kind", () => {
        assert.deepStrictEqual(violations(requireReplicas, [replicas(1), hpa(3, "voting-frontend")], CFG), [few(1, 3, "it runs 1")]);
        assert.deepStrictEqual(violations(requireReplicas, [replicas(1), hpa(3, "voting-api", "StatefulSet")], CFG), [few(1, 3, "it runs 1")]);
        assert.deepStrictEqual(violations(requireReplicas, [replicas(1), scaled(3, "StatefulSet")], CFG), [few(1, 3, "it runs 1")]);
    });

    it("refuses a single replica on every kind whose replicas are chosen, and asks nothing of DaemonSets, Jobs and Pods", () => {
        for (const k of ["StatefulSet", "ReplicaSet", "ReplicationController"] as const) {
            const obj = withChange(asKind(k), (x) => (x.spec.replicas = 1));
            assert.deepStrictEqual(violations(requireReplicas, [obj], CFG), [few(1, 2, "it runs 1", named(obj))]);
        }
        for (const k of ["DaemonSet", "Job", "CronJob", "Pod"] as const) assert.deepStrictEqual(violations(requireReplicas, [asKind(k)], CFG), [], k);
    });
});
