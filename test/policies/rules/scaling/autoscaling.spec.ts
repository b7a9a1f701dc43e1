import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disallowReplicasWithAutoscaler } from "../../../../policies/rules/scaling/disallowReplicasWithAutoscaler";
import { requireSaneAutoscaler } from "../../../../policies/rules/scaling/requireSaneAutoscaler";
import { requireStreamLagAutoscaling } from "../../../../policies/rules/scaling/requireStreamLagAutoscaling";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const hpa = (): K8sObject => ({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "api", namespace: "voting-api" },
    spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
        minReplicas: 3,
        maxReplicas: 10,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    },
});
const consumer = () =>
    withChange(compliantDeployment(), (x) => {
        x.metadata!.name = "consumer";
        x.metadata!.namespace = "voting-consumer";
        delete x.spec.replicas;
    });
const scaledObject = (): K8sObject => ({
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: "consumer", namespace: "voting-consumer" },
    spec: {
        scaleTargetRef: { name: "consumer" },
        minReplicaCount: 2,
        triggers: [
            {
                type: "redis-streams",
                metadata: { stream: "votes", consumerGroup: "vote-processors", pendingEntriesCount: "100" },
                authenticationRef: { name: "consumer-redis" },
            },
        ],
    },
});
const triggerAuth = (): K8sObject => ({
    apiVersion: "keda.sh/v1alpha1",
    kind: "TriggerAuthentication",
    metadata: { name: "consumer-redis", namespace: "voting-consumer" },
    spec: {},
});
const noReplicas = () => withChange(compliantDeployment(), (x) => delete x.spec.replicas);
const STREAM = { consumers: ["voting-consumer/consumer"], maxPendingEntries: 100 };

describe("autoscaling policies (5.1.1, 5.1.2)", () => {
    it("require-sane-autoscaler accepts an HPA from 3 to 10 with metrics and a target", () => {
        assert.deepStrictEqual(violations(requireSaneAutoscaler, [noReplicas(), hpa()]), []);
    });

    it("require-sane-autoscaler reports a low floor, no room to scale, no metrics and a missing target", () => {
        const bad = withChange(hpa(), (x) => {
            x.spec.minReplicas = 1;
            x.spec.maxReplicas = 1;
            x.spec.metrics = [];
            x.spec.scaleTargetRef.name = "php-apache";
        });
        assert.deepStrictEqual(violations(requireSaneAutoscaler, [noReplicas(), bad]), [
            "HorizontalPodAutoscaler voting-api/api: minReplicas 1 lets the workload fall below 2 pods; raise minReplicas",
            "HorizontalPodAutoscaler voting-api/api: maxReplicas 1 is not above minReplicas 1; it cannot scale out",
            "HorizontalPodAutoscaler voting-api/api: has no metrics; set CPU and memory utilisation targets",
            "HorizontalPodAutoscaler voting-api/api: targets Deployment php-apache, which is not in the resource set",
        ]);
    });

    it("disallow-replicas-with-autoscaler refuses spec.replicas on a workload an HPA or ScaledObject owns", () => {
        assert.deepStrictEqual(violations(disallowReplicasWithAutoscaler, [noReplicas(), hpa()]), []);
        assert.deepStrictEqual(violations(disallowReplicasWithAutoscaler, [compliantDeployment(), hpa()]), [
            "Deployment voting-api/api: sets replicas 3 while HorizontalPodAutoscaler api owns its scale; remove spec.replicas",
        ]);
        const c = withChange(consumer(), (x) => (x.spec.replicas = 2));
        assert.deepStrictEqual(violations(disallowReplicasWithAutoscaler, [c, scaledObject()]), [
            "Deployment voting-consumer/consumer: sets replicas 2 while ScaledObject consumer owns its scale; remove spec.replicas",
        ]);
    });

    it("require-stream-lag-autoscaling accepts a redis-streams ScaledObject with its TriggerAuthentication", () => {
        assert.deepStrictEqual(violations(requireStreamLagAutoscaling, [consumer(), scaledObject(), triggerAuth()], STREAM), []);
        assert.deepStrictEqual(violations(requireStreamLagAutoscaling, [consumer()], { consumers: [], maxPendingEntries: 100 }), []);
    });

    it("require-stream-lag-autoscaling reports each way the consumer escapes lag-based scaling", () => {
        assert.deepStrictEqual(violations(requireStreamLagAutoscaling, [], STREAM), [
            "Deployment voting-consumer/consumer: is listed as a stream consumer but not in the resource set",
        ]);
        assert.deepStrictEqual(violations(requireStreamLagAutoscaling, [consumer()], STREAM), [
            "Deployment voting-consumer/consumer: is not scaled by a KEDA ScaledObject on stream lag",
        ]);
        const cpu = withChange(scaledObject(), (x) => (x.spec.triggers = [{ type: "cpu", metadata: { value: "70" } }]));
        assert.deepStrictEqual(violations(requireStreamLagAutoscaling, [consumer(), cpu], STREAM), [
            "Deployment voting-consumer/consumer: ScaledObject consumer has no redis-streams trigger",
        ]);
        const lazy = withChange(scaledObject(), (x) => {
            x.spec.triggers[0].metadata.pendingEntriesCount = "1000";
            delete x.spec.triggers[0].authenticationRef;
        });
        assert.deepStrictEqual(violations(requireStreamLagAutoscaling, [consumer(), lazy], STREAM), [
            "Deployment voting-consumer/consumer: ScaledObject consumer scales only past 1000 pending entries; use at most 100",
            "Deployment voting-consumer/consumer: ScaledObject consumer's redis-streams trigger has no authenticationRef; Redis requires a password",
        ]);
        assert.deepStrictEqual(violations(requireStreamLagAutoscaling, [consumer(), scaledObject()], STREAM), [
            "Deployment voting-consumer/consumer: ScaledObject consumer names TriggerAuthentication consumer-redis, which is not in the resource set",
        ]);
    });
});
