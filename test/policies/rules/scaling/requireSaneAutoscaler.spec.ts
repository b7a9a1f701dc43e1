import * as assert from "assert";
import { requireSaneAutoscaler } from "../../../../policies/rules/scaling/requireSaneAutoscaler";
import { asKind } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";
import { hpa, noReplicas } from "./fixtures";

const say = (m: string) => `HorizontalPodAutoscaler voting-api/api: ${m}`;
const scaler = (change: (spec: any) => void) => withChange(hpa(), (x) => change(x.spec));
const check = (h = hpa(), cfg?: Record<string, unknown>) => violations(requireSaneAutoscaler, [noReplicas(), h], cfg);

describe(requireSaneAutoscaler.name, () => {
    it("accepts an HPA from 3 to 10 with metrics and a target", () => {
        assert.deepStrictEqual(check(), []);
    });

    it("accepts minReplicas at the configured floor, and refuses one just under it", () => {
        assert.deepStrictEqual(check(scaler((s) => (s.minReplicas = 2))), []);
        assert.deepStrictEqual(check(scaler((s) => (s.minReplicas = 1))), [
            say("minReplicas 1 lets the workload fall below 2 pods; raise minReplicas"),
        ]);
        assert.deepStrictEqual(
            check(
                scaler((s) => (s.minReplicas = 3)),
                { minReplicas: 4 },
            ),
            [say("minReplicas 3 lets the workload fall below 4 pods; raise minReplicas")],
        );
        assert.deepStrictEqual(check(scaler((s) => delete s.minReplicas)), [
            say("minReplicas 1 lets the workload fall below 2 pods; raise minReplicas"),
        ]);
    });

    it("accepts maxReplicas one above minReplicas, and refuses it equal or below", () => {
        assert.deepStrictEqual(check(scaler((s) => (s.maxReplicas = 4))), []);
        assert.deepStrictEqual(check(scaler((s) => (s.maxReplicas = 3))), [say("maxReplicas 3 is not above minReplicas 3; it cannot scale out")]);
        assert.deepStrictEqual(check(scaler((s) => (s.maxReplicas = 2))), [say("maxReplicas 2 is not above minReplicas 3; it cannot scale out")]);
        assert.deepStrictEqual(check(scaler((s) => delete s.maxReplicas)), []);
    });

    it("refuses no metrics or an empty list, except on autoscaling/v1, which has none", () => {
        for (const m of [undefined, []])
            assert.deepStrictEqual(check(scaler((s) => (s.metrics = m))), [say("has no metrics; set CPU and memory utilisation targets")]);
        const v1 = withChange(hpa(), (x) => {
            x.apiVersion = "autoscaling/v1";
            delete x.spec.metrics;
        });
        assert.deepStrictEqual(check(v1), []);
    });

    it("refuses a target that is not in the resource set, of another kind, or in another namespace", () => {
        assert.deepStrictEqual(check(scaler((s) => (s.scaleTargetRef.name = "php-apache"))), [
            say("targets Deployment php-apache, which is not in the resource set"),
        ]);
        assert.deepStrictEqual(check(scaler((s) => (s.scaleTargetRef.kind = "StatefulSet"))), [
            say("targets StatefulSet api, which is not in the resource set"),
        ]);
        assert.deepStrictEqual(check(scaler((s) => delete s.scaleTargetRef)), [say("targets ? ?, which is not in the resource set")]);
        const elsewhere = withChange(hpa(), (x) => (x.metadata!.namespace = "voting-frontend"));
        assert.deepStrictEqual(violations(requireSaneAutoscaler, [noReplicas(), elsewhere]), [
            "HorizontalPodAutoscaler voting-frontend/api: targets Deployment api, which is not in the resource set",
        ]);
    });

    it("accepts a StatefulSet target", () => {
        const sts = withChange(asKind("StatefulSet"), (x) => (x.metadata!.name = "api"));
        assert.deepStrictEqual(violations(requireSaneAutoscaler, [sts, scaler((s) => (s.scaleTargetRef.kind = "StatefulSet"))]), []);
    });

    it("passes over a maxReplicas that is not a number, which the API server refuses", () => {
        assert.deepStrictEqual(check(scaler((s) => (s.maxReplicas = "2"))), []);
    });
});
