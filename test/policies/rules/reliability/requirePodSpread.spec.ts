import * as assert from "assert";
import { requirePodSpread } from "../../../../policies/rules/reliability/requirePodSpread";
import { asKind, compliantDeployment, inEveryKind, named } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const SELF = { matchLabels: { "app.kubernetes.io/name": "api" } };
const NONE = "has no pod anti-affinity or topology spread constraint; all replicas may land on one node";
const OTHERS = "has anti-affinity or spread rules, but none selects its own pods on a node, zone or region key; all replicas may land on one node";
const spread = (affinity: unknown, constraints?: unknown) =>
    withChange(compliantDeployment(), (x) => {
        x.spec.template.spec.affinity = affinity;
        if (constraints !== undefined) x.spec.template.spec.topologySpreadConstraints = constraints;
    });

describe(requirePodSpread.name, () => {
    it("accepts preferred or required anti-affinity that selects the workload's own pods", () => {
        assert.deepStrictEqual(violations(requirePodSpread, compliantDeployment()), []);
        const required = spread({
            podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: SELF, topologyKey: "kubernetes.io/hostname" }] },
        });
        assert.deepStrictEqual(violations(requirePodSpread, required), []);
    });

    it("accepts a topology spread constraint on the node, zone or region key", () => {
        for (const topologyKey of ["kubernetes.io/hostname", "topology.kubernetes.io/zone", "topology.kubernetes.io/region"]) {
            assert.deepStrictEqual(
                violations(requirePodSpread, spread(undefined, [{ maxSkew: 1, topologyKey, labelSelector: SELF }])),
                [],
                topologyKey,
            );
        }
    });

    it("refuses no spreading at all", () => {
        assert.deepStrictEqual(violations(requirePodSpread, spread(undefined)), [`Deployment voting-api/api: ${NONE}`]);
        assert.deepStrictEqual(violations(requirePodSpread, spread({ podAntiAffinity: {} }, "not-a-list")), [`Deployment voting-api/api: ${NONE}`]);
    });

    it("refuses spreading that selects other pods, or on another key", () => {
        const others = spread(undefined, [{ topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app: "foo" } } }]);
        assert.deepStrictEqual(violations(requirePodSpread, others), [`Deployment voting-api/api: ${OTHERS}`]);
        const rack = spread(undefined, [{ topologyKey: "example.com/rack", labelSelector: SELF }]);
        assert.deepStrictEqual(violations(requirePodSpread, rack), [`Deployment voting-api/api: ${OTHERS}`]);
        const preferredOther = spread({
            podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                    { weight: 1, podAffinityTerm: { labelSelector: { matchLabels: { app: "foo" } }, topologyKey: "kubernetes.io/hostname" } },
                ],
            },
        });
        assert.deepStrictEqual(violations(requirePodSpread, preferredOther), [`Deployment voting-api/api: ${OTHERS}`]);
        const noTerm = spread({ podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 }] } });
        assert.deepStrictEqual(violations(requirePodSpread, noTerm), [`Deployment voting-api/api: ${OTHERS}`]);
    });

    it("refuses an unspread Deployment and StatefulSet, and asks nothing of the other kinds", () => {
        for (const obj of inEveryKind((s) => delete s.affinity, ["Deployment", "StatefulSet"])) {
            assert.deepStrictEqual(violations(requirePodSpread, obj), [`${named(obj)}: ${NONE}`]);
        }
        for (const obj of inEveryKind((s) => delete s.affinity, ["Pod", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"])) {
            assert.deepStrictEqual(violations(requirePodSpread, obj), [], obj.kind);
        }
        assert.deepStrictEqual(
            violations(
                requirePodSpread,
                withChange(asKind("StatefulSet"), (x) => delete x.spec.template),
            ),
            [],
        );
    });

    it("refuses an unspread Argo Rollout", () => {
        const rollout = withChange(
            { ...compliantDeployment(), apiVersion: "argoproj.io/v1alpha1", kind: "Rollout" },
            (x) => delete x.spec.template.spec.affinity,
        );
        assert.deepStrictEqual(violations(requirePodSpread, rollout), [`Rollout voting-api/api: ${NONE}`]);
    });

    it("says rules exist when it has one anti-affinity term and one spread constraint, neither selecting its pods", () => {
        const other = { matchLabels: { app: "foo" } };
        const both = spread(
            {
                podAntiAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: other, topologyKey: "kubernetes.io/hostname" }],
                },
            },
            [{ topologyKey: "topology.kubernetes.io/zone", labelSelector: other }],
        );
        assert.deepStrictEqual(violations(requirePodSpread, both), [`Deployment voting-api/api: ${OTHERS}`]);
    });

    it("passes over preferred terms that are not objects", () => {
        const d = spread({
            podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                    null,
                    { weight: 1, podAffinityTerm: { labelSelector: SELF, topologyKey: "kubernetes.io/hostname" } },
                ],
            },
        });
        assert.deepStrictEqual(violations(requirePodSpread, d), []);
    });
});
