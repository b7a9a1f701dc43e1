import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disallowBlockingPodDisruptionBudget } from "../../../../policies/rules/reliability/disallowBlockingPodDisruptionBudget";
import { asKind, compliantDeployment, named } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const pdb = (spec: Record<string, unknown>, namespace = "voting-api"): K8sObject => ({
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "api", namespace },
    spec: { selector: { matchLabels: { "app.kubernetes.io/name": "api" } }, ...spec },
});
const hpa = (min: number): K8sObject => ({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "api", namespace: "voting-api" },
    spec: { scaleTargetRef: { kind: "Deployment", name: "api" }, minReplicas: min, maxReplicas: 10 },
});
const noReplicas = () => withChange(compliantDeployment(), (x) => delete x.spec.replicas);
const blocks = (min: unknown, floor: number, w = "Deployment api") =>
    `PodDisruptionBudget voting-api/api: minAvailable ${JSON.stringify(min)} of ${w}'s ${floor} replica(s) allows no eviction; node drains would hang`;
const check = (...objs: K8sObject[]) => violations(disallowBlockingPodDisruptionBudget, objs);

describe(disallowBlockingPodDisruptionBudget.name, () => {
    it("accepts budgets that leave room for an eviction", () => {
        for (const spec of [{ minAvailable: 2 }, { maxUnavailable: 1 }, { minAvailable: "50%" }, { maxUnavailable: "1%" }, {}]) {
            assert.deepStrictEqual(check(compliantDeployment(), pdb(spec)), [], JSON.stringify(spec));
        }
    });

    it("refuses maxUnavailable 0, as a number, a string or a percentage", () => {
        for (const v of [0, "0", "0%"]) {
            assert.deepStrictEqual(check(pdb({ maxUnavailable: v })), [
                `PodDisruptionBudget voting-api/api: maxUnavailable ${JSON.stringify(v)} allows no eviction; node drains would hang`,
            ]);
        }
    });

    it("refuses minAvailable 100% whatever it covers", () => {
        assert.deepStrictEqual(check(pdb({ minAvailable: "100%" })), [
            'PodDisruptionBudget voting-api/api: minAvailable "100%" allows no eviction; node drains would hang',
        ]);
    });

    it("accepts minAvailable one under the replicas, and refuses it at and over them", () => {
        assert.deepStrictEqual(check(compliantDeployment(), pdb({ minAvailable: 2 })), []);
        assert.deepStrictEqual(check(compliantDeployment(), pdb({ minAvailable: 3 })), [blocks(3, 3)]);
        assert.deepStrictEqual(check(compliantDeployment(), pdb({ minAvailable: "4" })), [blocks("4", 3)]);
    });

    it("rounds a percentage up, as the disruption controller does", () => {
        assert.deepStrictEqual(check(compliantDeployment(), pdb({ minAvailable: "66%" })), [], "66% of 3 is 1.98: 2 must stay, 1 may go");
        assert.deepStrictEqual(check(compliantDeployment(), pdb({ minAvailable: "67%" })), [blocks("67%", 3)], "67% of 3 is 2.01: all 3 must stay");
    });

    it("measures minAvailable against the autoscaler's floor", () => {
        assert.deepStrictEqual(check(noReplicas(), hpa(5), pdb({ minAvailable: 5 })), [blocks(5, 5)]);
        assert.deepStrictEqual(check(noReplicas(), hpa(5), pdb({ minAvailable: 4 })), []);
    });

    it("ignores workloads in another namespace, workloads it does not select, and a minAvailable it cannot read", () => {
        assert.deepStrictEqual(check(compliantDeployment(), pdb({ minAvailable: 3 }, "voting-frontend")), []);
        const other = withChange(compliantDeployment(), (x) => (x.spec.template.metadata.labels = { app: "other" }));
        assert.deepStrictEqual(check(other, pdb({ minAvailable: 3 })), []);
        assert.deepStrictEqual(check(compliantDeployment(), pdb({ minAvailable: "three" })), []);
    });

    it("judges the budget of every kind whose replicas are chosen, and not of DaemonSets or Jobs", () => {
        for (const k of ["StatefulSet", "ReplicaSet", "ReplicationController"] as const) {
            const obj = asKind(k);
            assert.deepStrictEqual(check(obj, pdb({ minAvailable: 3 })), [blocks(3, 3, `${k} ${obj.metadata!.name}`)], named(obj));
        }
        for (const k of ["DaemonSet", "Job", "CronJob"] as const) assert.deepStrictEqual(check(asKind(k), pdb({ minAvailable: 3 })), [], k);
    });

    it("judges only PodDisruptionBudgets", () => {
        const widget: K8sObject = {
            apiVersion: "example.com/v1",
            kind: "Widget",
            metadata: { name: "w", namespace: "voting-api" },
            spec: { maxUnavailable: 0, minAvailable: "100%" },
        };
        assert.deepStrictEqual(check(compliantDeployment(), widget), []);
    });
});
