import * as assert from "assert";
import { requireStreamLagAutoscaling } from "../../../../policies/rules/scaling/requireStreamLagAutoscaling";
import { reportedOn, violations, withChange } from "../../../helpers/policy";
import { consumer, hpa, scaledObject, triggerAuth } from "./fixtures";

const STREAM = { consumers: ["voting-consumer/consumer"], maxPendingEntries: 100 };
const say = (m: string) => `Deployment voting-consumer/consumer: ${m}`;
const pending = (v: unknown) =>
    withChange(scaledObject(), (x) => {
        if (v === undefined) delete x.spec.triggers[0].metadata.pendingEntriesCount;
        else x.spec.triggers[0].metadata.pendingEntriesCount = v;
    });
const check = (...objs: any[]) => violations(requireStreamLagAutoscaling, objs, STREAM);

describe(requireStreamLagAutoscaling.name, () => {
    it("accepts a redis-streams ScaledObject with its TriggerAuthentication, and asks nothing when no consumer is configured", () => {
        assert.deepStrictEqual(check(consumer(), scaledObject(), triggerAuth()), []);
        assert.deepStrictEqual(violations(requireStreamLagAutoscaling, [consumer()]), []);
    });

    it("accepts pendingEntriesCount at the maximum, and refuses one just over it", () => {
        assert.deepStrictEqual(check(consumer(), pending("100"), triggerAuth()), []);
        assert.deepStrictEqual(check(consumer(), pending("101"), triggerAuth()), [
            say("ScaledObject consumer scales only past 101 pending entries; use at most 100"),
        ]);
    });

    it("counts KEDA's default of 5 when the trigger names none, and refuses a count it cannot read", () => {
        assert.deepStrictEqual(
            violations(requireStreamLagAutoscaling, [consumer(), pending(undefined), triggerAuth()], { ...STREAM, maxPendingEntries: 5 }),
            [],
        );
        assert.deepStrictEqual(
            violations(requireStreamLagAutoscaling, [consumer(), pending(undefined), triggerAuth()], { ...STREAM, maxPendingEntries: 4 }),
            [say("ScaledObject consumer scales only past 5 pending entries; use at most 4")],
        );
        assert.deepStrictEqual(check(consumer(), pending("lots"), triggerAuth()), [
            say("ScaledObject consumer scales only past lots pending entries; use at most 100"),
        ]);
        assert.deepStrictEqual(check(consumer(), pending(true), triggerAuth()), [
            say("ScaledObject consumer scales only past true pending entries; use at most 100"),
        ]);
    });

    it("refuses a consumer missing from the resource set, one with no ScaledObject, and one scaled by an HPA", () => {
        assert.deepStrictEqual(check(), [say("is listed as a stream consumer but not in the resource set")]);
        assert.deepStrictEqual(check(consumer()), [say("is not scaled by a KEDA ScaledObject on stream lag")]);
        const byHpa = withChange(hpa(), (x) => {
            x.metadata!.namespace = "voting-consumer";
            x.spec.scaleTargetRef.name = "consumer";
        });
        assert.deepStrictEqual(check(consumer(), byHpa), [say("is not scaled by a KEDA ScaledObject on stream lag")]);
    });

    it("does not take a Deployment or a ScaledObject of another namespace for the consumer's", () => {
        const elsewhere = withChange(consumer(), (x) => (x.metadata!.namespace = "voting-api"));
        assert.deepStrictEqual(check(elsewhere), [say("is listed as a stream consumer but not in the resource set")]);
        const scalerElsewhere = withChange(scaledObject(), (x) => (x.metadata!.namespace = "voting-api"));
        assert.deepStrictEqual(check(consumer(), scalerElsewhere, triggerAuth()), [say("is not scaled by a KEDA ScaledObject on stream lag")]);
    });

    it("refuses a ScaledObject without a redis-streams trigger", () => {
        const cpu = withChange(scaledObject(), (x) => (x.spec.triggers = [{ type: "cpu", metadata: { value: "70" } }]));
        assert.deepStrictEqual(check(consumer(), cpu), [say("ScaledObject consumer has no redis-streams trigger")]);
        assert.deepStrictEqual(
            check(
                consumer(),
                withChange(scaledObject(), (x) => delete x.spec.triggers),
            ),
            [say("ScaledObject consumer has no redis-streams trigger")],
        );
    });

    it("refuses a trigger with no authenticationRef, or one naming a TriggerAuthentication absent from the consumer's namespace", () => {
        const noAuth = withChange(scaledObject(), (x) => delete x.spec.triggers[0].authenticationRef);
        assert.deepStrictEqual(check(consumer(), noAuth, triggerAuth()), [
            say("ScaledObject consumer's redis-streams trigger has no authenticationRef; Redis requires a password"),
        ]);
        const missing = say("ScaledObject consumer names TriggerAuthentication consumer-redis, which is not in the resource set");
        assert.deepStrictEqual(check(consumer(), scaledObject()), [missing]);
        assert.deepStrictEqual(check(consumer(), scaledObject(), triggerAuth("voting-api")), [missing]);
        assert.deepStrictEqual(check(consumer(), scaledObject(), triggerAuth("voting-consumer", "other")), [missing]);
    });

    it("takes only a Deployment for the consumer and only a TriggerAuthentication for its credentials", () => {
        const svc = withChange(consumer(), (x) => (x.kind = "Service"));
        assert.deepStrictEqual(check(svc), [say("is listed as a stream consumer but not in the resource set")]);
        const secret = withChange(triggerAuth(), (x) => (x.kind = "Secret"));
        assert.deepStrictEqual(check(consumer(), scaledObject(), secret), [
            say("ScaledObject consumer names TriggerAuthentication consumer-redis, which is not in the resource set"),
        ]);
    });

    it("reports a missing consumer on a Deployment of that name and namespace", () => {
        assert.deepStrictEqual(reportedOn(requireStreamLagAutoscaling, [], STREAM), ["Deployment voting-consumer/consumer"]);
    });

    it("finds the consumer by its name among the namespace's Deployments", () => {
        const bootstrap = withChange(consumer(), (x) => (x.metadata!.name = "bootstrap"));
        assert.deepStrictEqual(check(bootstrap, consumer(), scaledObject(), triggerAuth()), []);
    });
});
