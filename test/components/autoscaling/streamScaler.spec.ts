import * as assert from "assert";
import { buildTriggerAuthentication, type StreamScalerArgs } from "../../../components/autoscaling/streamScaler";

const args: StreamScalerArgs = {
    workload: { name: "consumer", namespace: "voting-consumer", component: "worker" } as unknown as StreamScalerArgs["workload"],
    stack: "prod",
    redisAddress: "redis.voting-data.svc.cluster.local:6379",
    tls: true,
    caSecret: "data-ca-bundle",
    stream: "votes",
    group: "vote-processors",
    passwordSecret: "redis-auth",
};

describe("StreamScaler", () => {
    it("gives KEDA the data CA from the workload's namespace when Redis speaks TLS", () => {
        assert.deepStrictEqual(buildTriggerAuthentication(args).spec?.secretTargetRef, [
            { parameter: "password", name: "redis-auth", key: "password" },
            { parameter: "ca", name: "data-ca-bundle", key: "ca.crt" },
        ]);
    });

    it("refuses a TLS scaler without the Secret whose CA verifies Redis", () => {
        assert.throws(() => buildTriggerAuthentication({ ...args, caSecret: undefined }), {
            message: "consumer: a TLS stream scaler needs caSecret, the Secret whose ca.crt verifies Redis",
        });
    });
});
