import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { enforceDisruptionBudgetMinimum } from "../../../../policies/rules/reliability/enforceDisruptionBudgetMinimum";
import { asPodKind } from "../../../helpers/dataFixtures";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const CFG = { workloads: { "voting-api/api": 2 }, minAvailable: 1 };
const pdb = (spec: Record<string, unknown>, name = "api", namespace = "voting-api"): K8sObject => ({
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name, namespace },
    spec: { selector: { matchLabels: { "app.kubernetes.io/name": "api" } }, ...spec },
});
const hpa = (min: number): K8sObject => ({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "api", namespace: "voting-api" },
    spec: { scaleTargetRef: { kind: "Deployment", name: "api" }, minReplicas: min, maxReplicas: 10 },
});
const check = (objects: K8sObject[], cfg: Record<string, unknown> = CFG) => violations(enforceDisruptionBudgetMinimum, objects, cfg);
const SHORT = (keeps: number, how: string) =>
    `Deployment voting-api/api: PodDisruptionBudget api keeps ${keeps} pod(s) available (${how}) where at least 2 must stay`;

describe(enforceDisruptionBudgetMinimum.name, () => {
    it("accepts the API's budget of minAvailable 2 of 3, and a maxUnavailable or percentage that keeps as many", () => {
        for (const spec of [{ minAvailable: 2 }, { maxUnavailable: 1 }, { minAvailable: "60%" }, { maxUnavailable: "33%" }]) {
            assert.deepStrictEqual(check([compliantDeployment(), pdb(spec)]), [], JSON.stringify(spec));
        }
    });

    it("refuses a budget keeping one pod fewer than required, however it is written", () => {
        assert.deepStrictEqual(check([compliantDeployment(), pdb({ minAvailable: 1 })]), [SHORT(1, "minAvailable 1 of 3")]);
        assert.deepStrictEqual(check([compliantDeployment(), pdb({ maxUnavailable: 2 })]), [SHORT(1, "maxUnavailable 2 of 3")]);
        assert.deepStrictEqual(check([compliantDeployment(), pdb({ minAvailable: "33%" })]), [SHORT(1, 'minAvailable "33%" of 3')]);
        assert.deepStrictEqual(check([compliantDeployment(), pdb({ maxUnavailable: "34%" })]), [SHORT(1, 'maxUnavailable "34%" of 3')]);
        assert.deepStrictEqual(check([compliantDeployment(), pdb({})]), [SHORT(0, "neither minAvailable nor maxUnavailable")]);
    });

    it("judges the budget at the autoscaler's minimum, where a maxUnavailable keeps the fewest pods", () => {
        const scaled = withChange(compliantDeployment(), (x) => delete x.spec.replicas);
        assert.deepStrictEqual(check([scaled, hpa(3), pdb({ maxUnavailable: 1 })]), []);
        assert.deepStrictEqual(check([scaled, hpa(2), pdb({ maxUnavailable: 1 })]), [SHORT(1, "maxUnavailable 1 of 2")]);
    });

    it("says when no budget selects a ReplicaSet's pods in its namespace, and leaves a Deployment without one to require-pod-disruption-budget", () => {
        const rs = asPodKind("ReplicaSet", compliantDeployment());
        const MISSING = "ReplicaSet voting-api/api: no PodDisruptionBudget selects its pods; one must keep at least 2 available";
        assert.deepStrictEqual(check([rs]), [MISSING]);
        assert.deepStrictEqual(check([rs, pdb({ minAvailable: 2 }, "api", "voting-frontend")]), [MISSING]);
        assert.deepStrictEqual(check([compliantDeployment()]), []);
    });

    it("leaves a StatefulSet or Argo Rollout without a budget to require-pod-disruption-budget too", () => {
        const sts = withChange(asPodKind("StatefulSet", compliantDeployment()), (x) => (x.metadata!.name = "web"));
        const rollout: K8sObject = { ...compliantDeployment(), apiVersion: "argoproj.io/v1alpha1", kind: "Rollout" };
        assert.deepStrictEqual(check([sts, rollout], { workloads: { "voting-api/web": 2, "voting-api/api": 2 }, minAvailable: 1 }), []);
    });

    it("asks no budget of a workload configured to keep 0 pods", () => {
        const rs = asPodKind("ReplicaSet", compliantDeployment());
        assert.deepStrictEqual(check([rs], { workloads: { "voting-api/api": 0 }, minAvailable: 1 }), []);
    });

    it("reads minAvailable and maxUnavailable set to null as unset", () => {
        assert.deepStrictEqual(check([compliantDeployment(), pdb({ minAvailable: null, maxUnavailable: null })]), [
            SHORT(0, "neither minAvailable nor maxUnavailable"),
        ]);
        assert.deepStrictEqual(check([compliantDeployment(), pdb({ minAvailable: null, maxUnavailable: 1 })]), []);
    });

    it("reads a maxUnavailable it cannot resolve as keeping no pod", () => {
        assert.deepStrictEqual(check([compliantDeployment(), pdb({ maxUnavailable: "most" })]), [SHORT(0, 'maxUnavailable "most" of 3')]);
    });

    it("passes over a workload without a pod template, whose pods no budget can select", () => {
        assert.deepStrictEqual(check([withChange(compliantDeployment(), (x) => delete x.spec.template), pdb({ minAvailable: 2 })]), []);
    });

    it("holds every multi-replica workload of every scalable kind to minAvailable, and leaves single-replica ones alone", () => {
        for (const kind of ["StatefulSet", "ReplicaSet"] as const) {
            const other = withChange(asPodKind(kind, compliantDeployment()), (x) => {
                x.metadata!.name = "web";
                x.spec.replicas = 2;
            });
            assert.deepStrictEqual(check([other, pdb({ maxUnavailable: 2 }, "web")], { workloads: {}, minAvailable: 1 }), [
                `${kind} voting-api/web: PodDisruptionBudget web keeps 0 pod(s) available (maxUnavailable 2 of 2) where at least 1 must stay`,
            ]);
            const single = withChange(other, (x) => (x.spec.replicas = 1));
            assert.deepStrictEqual(check([single], { workloads: {}, minAvailable: 1 }), [], kind);
        }
        assert.deepStrictEqual(check([asPodKind("DaemonSet", compliantDeployment())], { workloads: {}, minAvailable: 1 }), []);
    });

    it("takes the budget that keeps the most when two select the same pods", () => {
        assert.deepStrictEqual(check([compliantDeployment(), pdb({ minAvailable: 1 }, "loose"), pdb({ minAvailable: 2 }, "tight")]), []);
    });

    it("blocks the registry's mutants of 2.3.3 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("2.3.3", "the API's PodDisruptionBudget keeps only 1 pod where the checklist asks 2"), [
            "enforce-disruption-budget-minimum: Deployment voting-api/api: PodDisruptionBudget api keeps 1 pod(s) available (minAvailable 1 of 3) where at least 2 must stay",
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("2.3.3", "the consumer's PodDisruptionBudget lets both its pods go (maxUnavailable 2)"), [
            "enforce-disruption-budget-minimum: Deployment voting-consumer/consumer: PodDisruptionBudget consumer keeps 0 pod(s) available (maxUnavailable 2 of 2) where at least 1 must stay",
        ]);
    });
});
