import * as assert from "assert";
import { disallowBestEffortQos } from "../../../../policies/rules/resources/disallowBestEffortQos";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const BEST_EFFORT = "runs in the BestEffort QoS class (no container sets requests or limits); set requests and limits";
const only = (resources: unknown) => withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].resources = resources));

describe(disallowBestEffortQos.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(disallowBestEffortQos, asKind(k)), [], k);
    });

    it("accepts a pod where one container sets one request or one limit of CPU or memory", () => {
        for (const r of [{ requests: { cpu: "10m" } }, { requests: { memory: "1Mi" } }, { limits: { cpu: "10m" } }, { limits: { memory: "1Mi" } }]) {
            assert.deepStrictEqual(violations(disallowBestEffortQos, only(r)), [], JSON.stringify(r));
        }
        const viaInit = withChange(
            only(undefined),
            (x) => (x.spec.template.spec.initContainers = [{ name: "i", image: "i:1", resources: { limits: { cpu: "1" } } }]),
        );
        assert.deepStrictEqual(violations(disallowBestEffortQos, viaInit), []);
    });

    it("refuses a pod whose containers set nothing, or only other resources, or only on an ephemeral container", () => {
        assert.deepStrictEqual(violations(disallowBestEffortQos, only(undefined)), [`Deployment voting-api/api: ${BEST_EFFORT}`]);
        assert.deepStrictEqual(violations(disallowBestEffortQos, only({ requests: { "ephemeral-storage": "1Gi" } })), [
            `Deployment voting-api/api: ${BEST_EFFORT}`,
        ]);
        const viaEphemeral = withChange(
            only(undefined),
            (x) => (x.spec.template.spec.ephemeralContainers = [{ name: "d", image: "d:1", resources: { limits: { cpu: "1" } } }]),
        );
        assert.deepStrictEqual(violations(disallowBestEffortQos, viaEphemeral), [`Deployment voting-api/api: ${BEST_EFFORT}`]);
    });

    it("refuses a BestEffort pod on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => delete s.containers[0].resources)) {
            assert.deepStrictEqual(violations(disallowBestEffortQos, obj), [`${named(obj)}: ${BEST_EFFORT}`]);
        }
    });
});
