import * as assert from "assert";
import { requireLivenessProbe } from "../../../../policies/rules/reliability/requireLivenessProbe";
import { asKind, compliantDeployment, inEveryKind, LONG_RUNNING_KINDS, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const container = (d: any) => d.spec.template.spec.containers[0];
const threshold = (ft: unknown, cfg?: Record<string, unknown>) =>
    violations(
        requireLivenessProbe,
        withChange(compliantDeployment(), (x) => (container(x).livenessProbe.failureThreshold = ft)),
        cfg,
    );
const restartsAfter = (n: number, min = 3) =>
    `Deployment voting-api/api: container "api" restarts after ${n} failed liveness probe(s); set livenessProbe.failureThreshold to at least ${min}`;

describe(requireLivenessProbe.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(requireLivenessProbe, asKind(k)), [], k);
    });

    it("accepts a failureThreshold at the minimum and above it, and an unset one (Kubernetes uses 3)", () => {
        assert.deepStrictEqual(threshold(3), []);
        assert.deepStrictEqual(threshold(4), []);
        assert.deepStrictEqual(threshold(undefined), []);
    });

    it("refuses a failureThreshold just under the minimum", () => {
        assert.deepStrictEqual(threshold(2), [restartsAfter(2)]);
        assert.deepStrictEqual(threshold(1), [restartsAfter(1)]);
    });

    it("takes the minimum from the pack config", () => {
        assert.deepStrictEqual(threshold(4, { minFailureThreshold: 5 }), [restartsAfter(4, 5)]);
        assert.deepStrictEqual(threshold(5, { minFailureThreshold: 5 }), []);
        assert.deepStrictEqual(threshold(undefined, { minFailureThreshold: 4 }), [restartsAfter(3, 4)]);
    });

    it("refuses a long-running container without a liveness probe on every long-running kind", () => {
        for (const obj of inEveryKind((s) => delete s.containers[0].livenessProbe, LONG_RUNNING_KINDS)) {
            assert.deepStrictEqual(violations(requireLivenessProbe, obj), [
                `${named(obj)}: container "api" has no liveness probe: add livenessProbe (e.g. httpGet /health)`,
            ]);
        }
    });

    it("asks nothing of Jobs, CronJobs and Pods that do not restart, nor of init and ephemeral containers", () => {
        for (const obj of inEveryKind((s) => delete s.containers[0].livenessProbe, ["Job", "CronJob"])) {
            assert.deepStrictEqual(violations(requireLivenessProbe, obj), [], obj.kind);
        }
        for (const restartPolicy of ["Never", "OnFailure"]) {
            const pod = withChange(asKind("Pod"), (x) => {
                delete x.spec.containers[0].livenessProbe;
                x.spec.restartPolicy = restartPolicy;
            });
            assert.deepStrictEqual(violations(requireLivenessProbe, pod), [], restartPolicy);
        }
        const d = withChange(compliantDeployment(), (x) => {
            x.spec.template.spec.initContainers = [{ name: "migrate", image: "m:1" }];
            x.spec.template.spec.ephemeralContainers = [{ name: "debug", image: "d:1" }];
        });
        assert.deepStrictEqual(violations(requireLivenessProbe, d), []);
    });

    it("judges a bare Pod with restartPolicy Always, set or defaulted, as long-running", () => {
        for (const restartPolicy of ["Always", undefined]) {
            const pod = withChange(asKind("Pod"), (x) => {
                delete x.spec.containers[0].livenessProbe;
                if (restartPolicy) x.spec.restartPolicy = restartPolicy;
            });
            assert.deepStrictEqual(violations(requireLivenessProbe, pod), [
                'Pod voting-api/api-pod: container "api" has no liveness probe: add livenessProbe (e.g. httpGet /health)',
            ]);
        }
    });

    it("judges a restartable init container (a sidecar) like a container", () => {
        const d = withChange(
            compliantDeployment(),
            (x) => (x.spec.template.spec.initContainers = [{ name: "proxy", image: "p:1", restartPolicy: "Always" }]),
        );
        assert.deepStrictEqual(violations(requireLivenessProbe, d), [
            'Deployment voting-api/api: init container "proxy" has no liveness probe: add livenessProbe (e.g. httpGet /health)',
        ]);
    });
});
