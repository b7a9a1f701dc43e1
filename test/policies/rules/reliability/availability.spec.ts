import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disallowBlockingPodDisruptionBudget } from "../../../../policies/rules/reliability/disallowBlockingPodDisruptionBudget";
import { requirePodDisruptionBudget } from "../../../../policies/rules/reliability/requirePodDisruptionBudget";
import { requirePodSpread } from "../../../../policies/rules/reliability/requirePodSpread";
import { requireReplicas } from "../../../../policies/rules/reliability/requireReplicas";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const pdb = (spec: Record<string, unknown>): K8sObject => ({
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "api", namespace: "voting-api" },
    spec: { selector: { matchLabels: { "app.kubernetes.io/name": "api" } }, ...spec },
});
const hpa = (min: number | undefined, max = 10): K8sObject => ({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "api", namespace: "voting-api" },
    spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
        ...(min === undefined ? {} : { minReplicas: min }),
        maxReplicas: max,
        metrics: [{}],
    },
});
const scaled = (min?: number): K8sObject => ({
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: "api", namespace: "voting-api" },
    spec: { scaleTargetRef: { name: "api" }, ...(min === undefined ? {} : { minReplicaCount: min }), triggers: [] },
});
const noReplicas = () => withChange(compliantDeployment(), (x) => delete x.spec.replicas);

describe("availability policies (2.3.1–2.3.3)", () => {
    it("require-replicas accepts 3 replicas, and an HPA or ScaledObject floor of 3", () => {
        const cfg = { minReplicas: 2, workloads: { "voting-api/api": 3 } };
        assert.deepStrictEqual(violations(requireReplicas, [compliantDeployment()], cfg), []);
        assert.deepStrictEqual(violations(requireReplicas, [noReplicas(), hpa(3)], cfg), []);
        assert.deepStrictEqual(violations(requireReplicas, [noReplicas(), scaled(3)], cfg), []);
    });

    it("require-replicas says where a low count comes from", () => {
        const cfg = { minReplicas: 2, workloads: { "voting-api/api": 3 } };
        const two = withChange(compliantDeployment(), (x) => (x.spec.replicas = 2));
        assert.deepStrictEqual(violations(requireReplicas, [two], cfg), [
            "Deployment voting-api/api: keeps as few as 2 replica(s) where 3 are required: it runs 2",
        ]);
        assert.deepStrictEqual(violations(requireReplicas, [noReplicas()], cfg), [
            "Deployment voting-api/api: keeps as few as 1 replica(s) where 3 are required: it sets no replicas (Kubernetes runs 1)",
        ]);
        assert.deepStrictEqual(violations(requireReplicas, [noReplicas(), hpa(undefined)], cfg), [
            "Deployment voting-api/api: keeps as few as 1 replica(s) where 3 are required: its HorizontalPodAutoscaler api allows 1",
        ]);
        assert.deepStrictEqual(violations(requireReplicas, [noReplicas(), scaled()], cfg), [
            "Deployment voting-api/api: keeps as few as 0 replica(s) where 3 are required: its ScaledObject api allows 0",
        ]);
    });

    it("require-pod-spread accepts anti-affinity or a zone spread that selects the workload's own pods", () => {
        assert.deepStrictEqual(violations(requirePodSpread, compliantDeployment()), []);
        const spread = withChange(compliantDeployment(), (x) => {
            delete x.spec.template.spec.affinity;
            x.spec.template.spec.topologySpreadConstraints = [
                {
                    maxSkew: 1,
                    topologyKey: "topology.kubernetes.io/zone",
                    whenUnsatisfiable: "ScheduleAnyway",
                    labelSelector: { matchLabels: { "app.kubernetes.io/name": "api" } },
                },
            ];
        });
        assert.deepStrictEqual(violations(requirePodSpread, spread), []);
    });

    it("require-pod-spread refuses no spreading, and spreading that selects other pods", () => {
        const none = withChange(compliantDeployment(), (x) => delete x.spec.template.spec.affinity);
        assert.deepStrictEqual(violations(requirePodSpread, none), [
            "Deployment voting-api/api: has no pod anti-affinity or topology spread constraint; all replicas may land on one node",
        ]);
        const other = withChange(
            none,
            (x) =>
                (x.spec.template.spec.topologySpreadConstraints = [
                    { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app: "foo" } } },
                ]),
        );
        assert.deepStrictEqual(violations(requirePodSpread, other), [
            "Deployment voting-api/api: has anti-affinity or spread rules, but none selects its own pods on a node, zone or region key; all replicas may land on one node",
        ]);
    });

    it("require-pod-disruption-budget wants a budget selecting the pod template in the same namespace", () => {
        assert.deepStrictEqual(violations(requirePodDisruptionBudget, [compliantDeployment(), pdb({ minAvailable: 2 })]), []);
        const elsewhere = withChange(pdb({ minAvailable: 2 }), (x) => (x.metadata!.namespace = "voting-frontend"));
        const wrongLabels = withChange(pdb({ minAvailable: 2 }), (x) => (x.spec.selector = { matchLabels: { app: "api" } }));
        for (const set of [[compliantDeployment()], [compliantDeployment(), elsewhere], [compliantDeployment(), wrongLabels]]) {
            assert.deepStrictEqual(violations(requirePodDisruptionBudget, set), [
                "Deployment voting-api/api: no PodDisruptionBudget selects its pods",
            ]);
        }
    });

    it("disallow-blocking-pod-disruption-budget accepts budgets that leave room for an eviction", () => {
        for (const spec of [{ minAvailable: 2 }, { maxUnavailable: 1 }, { minAvailable: "50%" }, {}]) {
            assert.deepStrictEqual(violations(disallowBlockingPodDisruptionBudget, [compliantDeployment(), pdb(spec)]), [], JSON.stringify(spec));
        }
    });

    it("disallow-blocking-pod-disruption-budget refuses budgets that allow no eviction", () => {
        assert.deepStrictEqual(violations(disallowBlockingPodDisruptionBudget, [pdb({ maxUnavailable: 0 })]), [
            "PodDisruptionBudget voting-api/api: maxUnavailable 0 allows no eviction; node drains would hang",
        ]);
        assert.deepStrictEqual(violations(disallowBlockingPodDisruptionBudget, [pdb({ minAvailable: "100%" })]), [
            'PodDisruptionBudget voting-api/api: minAvailable "100%" allows no eviction; node drains would hang',
        ]);
        assert.deepStrictEqual(violations(disallowBlockingPodDisruptionBudget, [compliantDeployment(), pdb({ minAvailable: 3 })]), [
            "PodDisruptionBudget voting-api/api: minAvailable 3 of Deployment api's 3 replica(s) allows no eviction; node drains would hang",
        ]);
    });

    it("disallow-blocking-pod-disruption-budget counts the pods of every workload the budget selects, as a canary beside the API", () => {
        const canary = (replicas: number) =>
            withChange(compliantDeployment(), (d) => {
                d.metadata!.name = "api-canary";
                d.spec.replicas = replicas;
                d.spec.selector.matchLabels.track = "canary";
                d.spec.template.metadata.labels.track = "canary";
            });
        assert.deepStrictEqual(violations(disallowBlockingPodDisruptionBudget, [noReplicas(), hpa(3, 10), canary(1), pdb({ minAvailable: 2 })]), []);
        assert.deepStrictEqual(violations(disallowBlockingPodDisruptionBudget, [noReplicas(), hpa(3, 10), canary(1), pdb({ minAvailable: 4 })]), [
            "PodDisruptionBudget voting-api/api: minAvailable 4 of the Deployment api and Deployment api-canary's 4 replica(s) allows no eviction; node drains would hang",
        ]);
    });

    it("disallow-blocking-pod-disruption-budget measures minAvailable against the autoscaler's floor", () => {
        assert.deepStrictEqual(violations(disallowBlockingPodDisruptionBudget, [noReplicas(), hpa(5, 7), pdb({ minAvailable: 10 })]), [
            "PodDisruptionBudget voting-api/api: minAvailable 10 of Deployment api's 5 replica(s) allows no eviction; node drains would hang",
        ]);
        assert.deepStrictEqual(violations(disallowBlockingPodDisruptionBudget, [noReplicas(), hpa(5, 7), pdb({ minAvailable: 4 })]), []);
    });
});
