import * as assert from "assert";
import { requireResourceRequests } from "../../../../policies/rules/resources/requireResourceRequests";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const resources = (d: any) => d.spec.template.spec.containers[0].resources;
const requests = (r: unknown) => withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].resources = r));
const NO_CPU = 'Deployment voting-api/api: container "api" requests no cpu: set resources.requests.cpu';
const NO_MEMORY = 'Deployment voting-api/api: container "api" requests no memory: set resources.requests.memory';

describe(requireResourceRequests.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(requireResourceRequests, asKind(k)), [], k);
    });

    it("refuses a missing CPU request, and a missing memory request, each on its own", () => {
        assert.deepStrictEqual(violations(requireResourceRequests, requests({ requests: { memory: "1Mi" } })), [NO_CPU]);
        assert.deepStrictEqual(violations(requireResourceRequests, requests({ requests: { cpu: "1m" } })), [NO_MEMORY]);
        assert.deepStrictEqual(violations(requireResourceRequests, requests(undefined)), [NO_CPU, NO_MEMORY]);
    });

    it("accepts the smallest request there is, and refuses zero and a quantity that does not parse", () => {
        assert.deepStrictEqual(violations(requireResourceRequests, requests({ requests: { cpu: "1m", memory: "1" } })), []);
        assert.deepStrictEqual(violations(requireResourceRequests, requests({ requests: { cpu: "0", memory: "0Mi" } })), [NO_CPU, NO_MEMORY]);
        assert.deepStrictEqual(violations(requireResourceRequests, requests({ requests: { cpu: "lots", memory: "256MB" } })), [NO_CPU, NO_MEMORY]);
    });

    it("counts a limit as the request when only the limit is set, as Kubernetes does", () => {
        assert.deepStrictEqual(
            violations(
                requireResourceRequests,
                withChange(compliantDeployment(), (x) => delete resources(x).requests),
            ),
            [],
        );
    });

    it("asks nothing of ephemeral containers, and judges init containers", () => {
        const d = withChange(compliantDeployment(), (x) => {
            x.spec.template.spec.ephemeralContainers = [{ name: "debug", image: "d:1" }];
            x.spec.template.spec.initContainers = [{ name: "migrate", image: "m:1", resources: { requests: { cpu: "10m" } } }];
        });
        assert.deepStrictEqual(violations(requireResourceRequests, d), [
            'Deployment voting-api/api: init container "migrate" requests no memory: set resources.requests.memory',
        ]);
    });

    it("refuses a container without requests on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => delete s.containers[0].resources)) {
            assert.deepStrictEqual(violations(requireResourceRequests, obj), [
                `${named(obj)}: container "api" requests no cpu: set resources.requests.cpu`,
                `${named(obj)}: container "api" requests no memory: set resources.requests.memory`,
            ]);
        }
    });
});
