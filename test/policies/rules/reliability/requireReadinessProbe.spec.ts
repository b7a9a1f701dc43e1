import * as assert from "assert";
import { requireReadinessProbe } from "../../../../policies/rules/reliability/requireReadinessProbe";
import { asKind, compliantDeployment, inEveryKind, LONG_RUNNING_KINDS, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

describe(requireReadinessProbe.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(requireReadinessProbe, asKind(k)), [], k);
    });

    it("refuses a long-running container without a readiness probe on every long-running kind", () => {
        for (const obj of inEveryKind((s) => delete s.containers[0].readinessProbe, LONG_RUNNING_KINDS)) {
            assert.deepStrictEqual(violations(requireReadinessProbe, obj), [
                `${named(obj)}: container "api" has no readiness probe: add readinessProbe (e.g. httpGet /ready)`,
            ]);
        }
    });

    it("asks nothing of Jobs, CronJobs, Pods that do not restart, init and ephemeral containers", () => {
        for (const obj of inEveryKind((s) => delete s.containers[0].readinessProbe, ["Job", "CronJob"])) {
            assert.deepStrictEqual(violations(requireReadinessProbe, obj), [], obj.kind);
        }
        const pod = withChange(asKind("Pod"), (x) => {
            delete x.spec.containers[0].readinessProbe;
            x.spec.restartPolicy = "OnFailure";
        });
        assert.deepStrictEqual(violations(requireReadinessProbe, pod), []);
        const d = withChange(compliantDeployment(), (x) => {
            x.spec.template.spec.initContainers = [{ name: "migrate", image: "m:1" }];
            x.spec.template.spec.ephemeralContainers = [{ name: "debug", image: "d:1" }];
        });
        assert.deepStrictEqual(violations(requireReadinessProbe, d), []);
    });

    it("judges a sidecar like a container, and a bare Pod that restarts by default as long-running", () => {
        const d = withChange(
            compliantDeployment(),
            (x) => (x.spec.template.spec.initContainers = [{ name: "proxy", image: "p:1", restartPolicy: "Always" }]),
        );
        assert.deepStrictEqual(violations(requireReadinessProbe, d), [
            'Deployment voting-api/api: init container "proxy" has no readiness probe: add readinessProbe (e.g. httpGet /ready)',
        ]);
        const pod = withChange(asKind("Pod"), (x) => delete x.spec.containers[0].readinessProbe);
        assert.deepStrictEqual(violations(requireReadinessProbe, pod), [
            'Pod voting-api/api-pod: container "api" has no readiness probe: add readinessProbe (e.g. httpGet /ready)',
        ]);
    });
});
