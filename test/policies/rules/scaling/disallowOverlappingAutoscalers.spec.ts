import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disallowOverlappingAutoscalers } from "../../../../policies/rules/scaling/disallowOverlappingAutoscalers";
import { asKind, compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";
import { consumer, hpa, noReplicas, scaledObject } from "./fixtures";

const rule = disallowOverlappingAutoscalers;

/** The API's canary: the API's pod labels plus `track: canary`, its selector the API's plus the track. */
const canary = (): K8sObject =>
    withChange(noReplicas(), (x) => {
        x.metadata!.name = "api-canary";
        x.spec.selector.matchLabels.track = "canary";
        x.spec.template.metadata.labels.track = "canary";
    });
const canaryHpa = (): K8sObject => withChange(hpa(), (x) => ((x.metadata!.name = "api-canary"), (x.spec.scaleTargetRef.name = "api-canary")));
const STOPS = "the HPA controller stops both (ScalingActive False, AmbiguousSelector)";

describe(disallowOverlappingAutoscalers.name, () => {
    it("accepts one autoscaler per workload, and a canary without one beside the autoscaled stable API", () => {
        assert.deepStrictEqual(violations(rule, [noReplicas(), hpa(), consumer(), scaledObject()]), []);
        assert.deepStrictEqual(violations(rule, [noReplicas(), hpa(), canary()]), []);
    });

    it("refuses an HPA of the canary when the stable API's selector also matches the canary's pods", () => {
        assert.deepStrictEqual(violations(rule, [noReplicas(), hpa(), canary(), canaryHpa()]), [
            `HorizontalPodAutoscaler voting-api/api-canary and HorizontalPodAutoscaler voting-api/api both act on the pods of Deployment voting-api/api-canary, which the selectors of Deployment voting-api/api-canary and Deployment voting-api/api both match: ${STOPS}; give each target's pods a label the other's selector excludes`,
        ]);
    });

    it("names every workload whose pods both autoscalers read", () => {
        const second = withChange(canary(), (x) => (x.metadata!.name = "api-canary-2"));
        assert.deepStrictEqual(
            violations(rule, [noReplicas(), hpa(), canary(), second, canaryHpa()]).map((m) => m.split(", which")[0]),
            [
                "HorizontalPodAutoscaler voting-api/api-canary and HorizontalPodAutoscaler voting-api/api both act on the pods of Deployment voting-api/api-canary, Deployment voting-api/api-canary-2",
            ],
        );
    });

    it("accepts the canary's HPA once the stable selector excludes the canary's pods", () => {
        const stable = withChange(
            noReplicas(),
            (x) => (x.spec.selector.matchExpressions = [{ key: "track", operator: "NotIn", values: ["canary"] }]),
        );
        assert.deepStrictEqual(violations(rule, [stable, hpa(), canary(), canaryHpa()]), []);
        const labelled = withChange(noReplicas(), (x) => {
            x.spec.selector.matchLabels.track = "stable";
            x.spec.template.metadata.labels.track = "stable";
        });
        assert.deepStrictEqual(violations(rule, [labelled, hpa(), canary(), canaryHpa()]), []);
    });

    it("refuses two autoscalers of one workload: two HPAs, or an HPA beside a ScaledObject", () => {
        const second = withChange(hpa(), (x) => (x.metadata!.name = "api-memory"));
        assert.deepStrictEqual(violations(rule, [noReplicas(), hpa(), second]), [
            `HorizontalPodAutoscaler voting-api/api-memory and HorizontalPodAutoscaler voting-api/api both target Deployment voting-api/api: ${STOPS}; keep one`,
        ]);
        const cpu = withChange(
            hpa(),
            (x) => ((x.metadata!.name = "consumer-cpu"), (x.metadata!.namespace = "voting-consumer"), (x.spec.scaleTargetRef.name = "consumer")),
        );
        assert.deepStrictEqual(violations(rule, [consumer(), cpu, scaledObject()]), [
            `ScaledObject voting-consumer/consumer and HorizontalPodAutoscaler voting-consumer/consumer-cpu both target Deployment voting-consumer/consumer: ${STOPS}; keep one`,
        ]);
    });

    it("takes a ScaledObject's target as a Deployment when it names no kind, and any kind it names", () => {
        const cpu = withChange(
            hpa(),
            (x) => ((x.metadata!.name = "consumer-cpu"), (x.metadata!.namespace = "voting-consumer"), (x.spec.scaleTargetRef.name = "consumer")),
        );
        const statefulTarget = withChange(scaledObject(), (x) => (x.spec.scaleTargetRef.kind = "StatefulSet"));
        assert.deepStrictEqual(violations(rule, [consumer(), cpu, statefulTarget]), []);
    });

    it("judges pods by the target's selector on every kind an autoscaler scales, a ReplicationController's plain map included", () => {
        for (const kind of ["StatefulSet", "ReplicaSet", "ReplicationController"] as const) {
            const base = withChange(asKind(kind), (x) => ((x.metadata!.name = "api"), delete x.spec.replicas));
            const other = withChange(base, (x) => {
                x.metadata!.name = "api-canary";
                if (kind === "ReplicationController") x.spec.selector.track = "canary";
                else x.spec.selector.matchLabels.track = "canary";
                x.spec.template.metadata.labels.track = "canary";
            });
            const h = withChange(hpa(), (x) => (x.spec.scaleTargetRef.kind = kind));
            const c = withChange(canaryHpa(), (x) => (x.spec.scaleTargetRef.kind = kind));
            assert.deepStrictEqual(
                violations(rule, [base, h, other, c]).map((m) => m.split(":")[0]),
                [
                    `HorizontalPodAutoscaler voting-api/api-canary and HorizontalPodAutoscaler voting-api/api both act on the pods of ${kind} voting-api/api-canary, which the selectors of ${kind} voting-api/api-canary and ${kind} voting-api/api both match`,
                ],
                kind,
            );
        }
    });

    it("leaves autoscalers of other namespaces, and autoscalers whose target is not in the set, to other rules", () => {
        const elsewhere = withChange(compliantDeployment(), (x) => ((x.metadata!.namespace = "voting-frontend"), delete x.spec.replicas));
        const elsewhereHpa = withChange(hpa(), (x) => (x.metadata!.namespace = "voting-frontend"));
        assert.deepStrictEqual(violations(rule, [noReplicas(), hpa(), elsewhere, elsewhereHpa]), []);
        const dangling = withChange(hpa(), (x) => ((x.metadata!.name = "ghost"), (x.spec.scaleTargetRef.name = "ghost")));
        assert.deepStrictEqual(violations(rule, [noReplicas(), hpa(), dangling]), []);
        const noKind = withChange(hpa(), (x) => ((x.metadata!.name = "nokind"), delete x.spec.scaleTargetRef.kind));
        assert.deepStrictEqual(violations(rule, [noReplicas(), hpa(), noKind]), []);
    });
});
