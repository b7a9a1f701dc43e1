import * as assert from "assert";
import { disallowReplicasWithAutoscaler } from "../../../../policies/rules/scaling/disallowReplicasWithAutoscaler";
import { asKind, compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";
import { consumer, hpa, noReplicas, scaledObject } from "./fixtures";

describe(disallowReplicasWithAutoscaler.name, () => {
    it("accepts a workload an autoscaler owns that leaves replicas unset, and one without an autoscaler that sets them", () => {
        assert.deepStrictEqual(violations(disallowReplicasWithAutoscaler, [noReplicas(), hpa()]), []);
        assert.deepStrictEqual(violations(disallowReplicasWithAutoscaler, [compliantDeployment()]), []);
    });

    it("refuses spec.replicas on a workload an HPA or a ScaledObject owns, zero included", () => {
        assert.deepStrictEqual(violations(disallowReplicasWithAutoscaler, [compliantDeployment(), hpa()]), [
            "Deployment voting-api/api: sets replicas 3 while HorizontalPodAutoscaler api owns its scale; remove spec.replicas",
        ]);
        const c = withChange(consumer(), (x) => (x.spec.replicas = 0));
        assert.deepStrictEqual(violations(disallowReplicasWithAutoscaler, [c, scaledObject()]), [
            "Deployment voting-consumer/consumer: sets replicas 0 while ScaledObject consumer owns its scale; remove spec.replicas",
        ]);
    });

    it("ignores an autoscaler in another namespace", () => {
        const elsewhere = withChange(hpa(), (x) => (x.metadata!.namespace = "voting-frontend"));
        assert.deepStrictEqual(violations(disallowReplicasWithAutoscaler, [compliantDeployment(), elsewhere]), []);
    });

    it("refuses replicas on every kind whose replicas are chosen", () => {
        for (const k of ["StatefulSet", "ReplicaSet", "ReplicationController"] as const) {
            const w = withChange(asKind(k), (x) => (x.metadata!.name = "api"));
            const h = withChange(hpa(), (x) => (x.spec.scaleTargetRef.kind = k));
            assert.deepStrictEqual(violations(disallowReplicasWithAutoscaler, [w, h]), [
                `${k} voting-api/api: sets replicas 3 while HorizontalPodAutoscaler api owns its scale; remove spec.replicas`,
            ]);
        }
    });
});
