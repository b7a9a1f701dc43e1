import * as assert from "assert";
import { requirePairedRequestsAndLimits } from "../../../../policies/rules/resources/requirePairedRequestsAndLimits";
import { compliantDeployment } from "../../../helpers/fixtures";
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

    it("reads a request or limit of null or an empty string as not set", () => {
        const nullLimit = withChange(compliantDeployment(), (x) => (resources(x).limits.memory = null));
        assert.deepStrictEqual(violations(requirePairedRequestsAndLimits, nullLimit), [
            `${C} requests memory (256Mi) but sets no memory limit, so its use is unbounded; set resources.limits.memory`,
        ]);
        const emptyRequest = withChange(compliantDeployment(), (x) => (resources(x).requests.cpu = ""));
        assert.deepStrictEqual(violations(requirePairedRequestsAndLimits, emptyRequest), [
            `${C} sets a cpu limit (400m) but no cpu request, so Kubernetes requests the whole limit; set resources.requests.cpu`,
        ]);
    });
});
