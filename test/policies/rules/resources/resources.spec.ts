import * as assert from "assert";
import { disallowBestEffortQos } from "../../../../policies/rules/resources/disallowBestEffortQos";
import { requireResourceLimits } from "../../../../policies/rules/resources/requireResourceLimits";
import { requireResourceRequests } from "../../../../policies/rules/resources/requireResourceRequests";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const resources = (d: any) => d.spec.template.spec.containers[0].resources;

describe("resource policies (2.2.1–2.2.3)", () => {
    it("accept the compliant Deployment", () => {
        for (const rule of [requireResourceRequests, requireResourceLimits, disallowBestEffortQos])
            assert.deepStrictEqual(violations(rule, compliantDeployment()), []);
    });

    it("refuses a container without a CPU request", () => {
        const d = withChange(compliantDeployment(), (x) => {
            delete resources(x).requests.cpu;
            delete resources(x).limits.cpu;
        });
        assert.deepStrictEqual(violations(requireResourceRequests, d), [
            'Deployment voting-api/api: container "api" requests no cpu: set resources.requests.cpu',
        ]);
    });

    it("counts a limit as the request when only the limit is set, as Kubernetes does", () => {
        const d = withChange(compliantDeployment(), (x) => delete resources(x).requests);
        assert.deepStrictEqual(violations(requireResourceRequests, d), []);
    });

    it("refuses a missing limit and a limit below its request", () => {
        const d = withChange(compliantDeployment(), (x) => {
            delete resources(x).limits.memory;
            resources(x).limits.cpu = "100m";
        });
        assert.deepStrictEqual(violations(requireResourceLimits, d), [
            'Deployment voting-api/api: container "api" has a cpu limit below its request: raise resources.limits.cpu to at least the request',
            'Deployment voting-api/api: container "api" has no memory limit: set resources.limits.memory',
        ]);
    });

    it("refuses a limit beyond the configured ratio of its request", () => {
        const d = withChange(compliantDeployment(), (x) => (resources(x).limits.memory = "2Gi"));
        assert.deepStrictEqual(violations(requireResourceLimits, d, { maxLimitToRequestRatio: 2 }), [
            'Deployment voting-api/api: container "api" has a memory limit 8× its request; keep it within 2×',
        ]);
        assert.deepStrictEqual(violations(requireResourceLimits, d, { maxLimitToRequestRatio: 8 }), []);
    });

    it("refuses a BestEffort pod and accepts a Burstable one", () => {
        const d = withChange(compliantDeployment(), (x) => delete x.spec.template.spec.containers[0].resources);
        assert.deepStrictEqual(violations(disallowBestEffortQos, d), [
            "Deployment voting-api/api: runs in the BestEffort QoS class (no container sets requests or limits); set requests and limits",
        ]);
        const burstable = withChange(compliantDeployment(), (x) => (resources(x).limits = {}));
        assert.deepStrictEqual(violations(disallowBestEffortQos, burstable), []);
    });
});
