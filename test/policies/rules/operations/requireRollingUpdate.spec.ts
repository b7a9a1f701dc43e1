import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireRollingUpdate } from "../../../../policies/rules/operations/requireRollingUpdate";
import { asKind, compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const rollout = (replicas: number | undefined, maxUnavailable: unknown) =>
    withChange(compliantDeployment(), (x) => {
        if (replicas === undefined) delete x.spec.replicas;
        else x.spec.replicas = replicas;
        if (maxUnavailable === undefined) delete x.spec.strategy.rollingUpdate.maxUnavailable;
        else x.spec.strategy.rollingUpdate.maxUnavailable = maxUnavailable;
    });
const takesDown = (given: unknown, down: number, of: number, use = 1) =>
    `Deployment voting-api/api: maxUnavailable ${JSON.stringify(given)} lets a rollout take down ${down} of ${of} pods at once; use ${use}`;
const check = (objs: K8sObject[], cfg?: Record<string, unknown>) => violations(requireRollingUpdate, objs, cfg);

describe(requireRollingUpdate.name, () => {
    it("accepts RollingUpdate with maxUnavailable 1, and no strategy at all (25% of 3 pods is none)", () => {
        assert.deepStrictEqual(check([compliantDeployment()]), []);
        assert.deepStrictEqual(check([withChange(compliantDeployment(), (x) => delete x.spec.strategy)]), []);
    });

    it("refuses Recreate", () => {
        assert.deepStrictEqual(check([withChange(compliantDeployment(), (x) => (x.spec.strategy = { type: "Recreate" }))]), [
            "Deployment voting-api/api: uses the Recreate strategy, which stops every pod before starting new ones; use RollingUpdate",
        ]);
    });

    it("accepts maxUnavailable at the configured maximum, and refuses one just over it", () => {
        assert.deepStrictEqual(check([rollout(3, 1)]), []);
        assert.deepStrictEqual(check([rollout(3, 2)]), [takesDown(2, 2, 3)]);
        assert.deepStrictEqual(check([rollout(4, 2)], { maxUnavailable: 2 }), []);
        assert.deepStrictEqual(check([rollout(4, 3)], { maxUnavailable: 2 }), [takesDown(3, 3, 4, 2)]);
    });

    it("rounds a percentage down, as the Deployment controller does", () => {
        assert.deepStrictEqual(check([rollout(5, "39%")]), [], "39% of 5 is 1.95: 1 pod");
        assert.deepStrictEqual(check([rollout(5, "40%")]), [takesDown("40%", 2, 5)], "40% of 5 is 2 pods");
        assert.deepStrictEqual(check([rollout(7, undefined)]), [], "25% of 7 is 1.75: 1 pod");
        assert.deepStrictEqual(check([rollout(8, undefined)]), [takesDown("25%", 2, 8)], "25% of 8 is 2 pods");
    });

    it("refuses a rollout that may take down every pod, even within the configured maximum", () => {
        assert.deepStrictEqual(check([rollout(1, 1)]), [takesDown(1, 1, 1)]);
        assert.deepStrictEqual(check([rollout(2, 2)], { maxUnavailable: 5 }), [takesDown(2, 2, 2, 5)]);
        assert.deepStrictEqual(check([rollout(3, 2)], { maxUnavailable: 5 }), []);
        assert.deepStrictEqual(check([rollout(3, "100%")], { maxUnavailable: 5 }), [takesDown("100%", 3, 3, 5)]);
    });

    it("caps the pods it says a rollout takes down at the replicas", () => {
        assert.deepStrictEqual(check([rollout(3, 5)]), [takesDown(5, 3, 3)]);
    });

    it("accepts a surge-first rollout of a single pod, and a Deployment scaled to zero", () => {
        assert.deepStrictEqual(check([rollout(1, 0)]), []);
        assert.deepStrictEqual(check([rollout(0, 1)]), []);
    });

    it("counts unset replicas as 1, reads numbers written as strings, and passes over a value it cannot read", () => {
        assert.deepStrictEqual(check([rollout(undefined, 1)]), [takesDown(1, 1, 1)]);
        assert.deepStrictEqual(check([rollout(3, " 2 ")]), [takesDown(" 2 ", 2, 3)]);
        assert.deepStrictEqual(check([rollout(3, "two")]), []);
        assert.deepStrictEqual(check([rollout(3, true)]), []);
    });

    it("measures against the autoscaler's floor", () => {
        const hpa: K8sObject = {
            apiVersion: "autoscaling/v2",
            kind: "HorizontalPodAutoscaler",
            metadata: { name: "api", namespace: "voting-api" },
            spec: { scaleTargetRef: { kind: "Deployment", name: "api" }, minReplicas: 8, maxReplicas: 10 },
        };
        assert.deepStrictEqual(check([rollout(undefined, "25%"), hpa]), [takesDown("25%", 2, 8)]);
    });

    it("judges only Deployments", () => {
        for (const k of ["StatefulSet", "DaemonSet", "ReplicaSet"] as const) {
            assert.deepStrictEqual(check([withChange(asKind(k), (x) => (x.spec.strategy = { type: "Recreate" }))]), [], k);
        }
    });

    it("reads only a whole number or percentage, with nothing before or after it", () => {
        for (const v of ["x5", "5x", "5%%"]) assert.deepStrictEqual(check([rollout(3, v)]), [], v);
    });
});
