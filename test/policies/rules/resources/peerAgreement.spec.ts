import * as assert from "assert";
import { requireEphemeralStorage } from "../../../../policies/rules/resources/requireEphemeralStorage";
import { requirePairedRequestsAndLimits } from "../../../../policies/rules/resources/requirePairedRequestsAndLimits";
import { asKind, compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const resources = (d: any) => d.spec.template.spec.containers[0].resources;
const C = 'Deployment voting-api/api: container "api"';

describe("require-paired-requests-and-limits", () => {
    it("accepts a container that sets requests and limits together, and one that sets neither (disallow-best-effort-qos judges that)", () => {
        assert.deepStrictEqual(violations(requirePairedRequestsAndLimits, compliantDeployment()), []);
        assert.deepStrictEqual(
            violations(
                requirePairedRequestsAndLimits,
                withChange(compliantDeployment(), (d) => delete resources(d).requests && delete resources(d).limits),
            ),
            [],
        );
    });

    it("reports a limit without its request, which Kubernetes turns into the request", () => {
        const d = withChange(compliantDeployment(), (x) => delete resources(x).requests.memory);
        assert.deepStrictEqual(violations(requirePairedRequestsAndLimits, d), [
            `${C} sets a memory limit (512Mi) but no memory request, so Kubernetes requests the whole limit; set resources.requests.memory`,
        ]);
    });

    it("reports a request without its limit", () => {
        const d = withChange(compliantDeployment(), (x) => delete resources(x).limits.cpu);
        assert.deepStrictEqual(violations(requirePairedRequestsAndLimits, d), [
            `${C} requests cpu (200m) but sets no cpu limit, so its use is unbounded; set resources.limits.cpu`,
        ]);
    });

    it("judges only the resources its setting names", () => {
        const d = withChange(compliantDeployment(), (x) => {
            delete resources(x).limits.cpu;
            delete resources(x).limits["ephemeral-storage"];
        });
        assert.deepStrictEqual(violations(requirePairedRequestsAndLimits, d, { resources: ["memory"] }), []);
        assert.deepStrictEqual(violations(requirePairedRequestsAndLimits, d, { resources: ["ephemeral-storage"] }), [
            `${C} requests ephemeral-storage (128Mi) but sets no ephemeral-storage limit, so its use is unbounded; set resources.limits.ephemeral-storage`,
        ]);
    });
});

describe("require-ephemeral-storage", () => {
    it("accepts a container that requests and limits ephemeral-storage, on every pod-bearing kind", () => {
        assert.deepStrictEqual(violations(requireEphemeralStorage, compliantDeployment()), []);
        for (const kind of ["Pod", "Job", "CronJob", "StatefulSet", "DaemonSet"] as const)
            assert.deepStrictEqual(violations(requireEphemeralStorage, asKind(kind)), [], kind);
    });

    it("reports a container with neither", () => {
        const d = withChange(compliantDeployment(), (x) => {
            delete resources(x).requests["ephemeral-storage"];
            delete resources(x).limits["ephemeral-storage"];
        });
        assert.deepStrictEqual(violations(requireEphemeralStorage, d), [
            `${C} requests no ephemeral-storage: set resources.requests.ephemeral-storage`,
            `${C} has no ephemeral-storage limit: set resources.limits.ephemeral-storage`,
        ]);
    });

    it("counts a limit as the request when only the limit is set, as Kubernetes does", () => {
        const d = withChange(compliantDeployment(), (x) => delete resources(x).requests["ephemeral-storage"]);
        assert.deepStrictEqual(violations(requireEphemeralStorage, d), []);
    });

    it("reports a limit below the request, and accepts one equal to it", () => {
        const below = withChange(compliantDeployment(), (x) => (resources(x).limits["ephemeral-storage"] = "64Mi"));
        assert.deepStrictEqual(violations(requireEphemeralStorage, below), [
            `${C} has an ephemeral-storage limit below its request: raise resources.limits.ephemeral-storage to at least the request`,
        ]);
        const equal = withChange(compliantDeployment(), (x) => (resources(x).limits["ephemeral-storage"] = "128Mi"));
        assert.deepStrictEqual(violations(requireEphemeralStorage, equal), []);
    });
});
