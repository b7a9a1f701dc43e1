import * as assert from "assert";
import { requireDropAllCapabilities } from "../../../../policies/rules/security/requireDropAllCapabilities";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const container = (d: any) => d.spec.template.spec.containers[0];
const caps = (c: unknown) => withChange(compliantDeployment(), (x) => (container(x).securityContext.capabilities = c));
const NO_DROP = 'Deployment voting-api/api: container "api" does not drop all capabilities: set securityContext.capabilities.drop: ["ALL"]';

describe(requireDropAllCapabilities.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(requireDropAllCapabilities, asKind(k)), [], k);
    });

    it("accepts ALL in any case, among other dropped capabilities", () => {
        assert.deepStrictEqual(violations(requireDropAllCapabilities, caps({ drop: ["all"] })), []);
        assert.deepStrictEqual(violations(requireDropAllCapabilities, caps({ drop: ["NET_RAW", "All"] })), []);
    });

    it("refuses no capabilities, no drop list, a drop list without ALL, or ALL as a plain string", () => {
        for (const c of [undefined, {}, { drop: ["NET_RAW"] }, { drop: "ALL" }]) {
            assert.deepStrictEqual(violations(requireDropAllCapabilities, caps(c)), [NO_DROP], JSON.stringify(c));
        }
    });

    it("refuses capabilities added back, naming each", () => {
        assert.deepStrictEqual(violations(requireDropAllCapabilities, caps({ drop: ["NET_RAW"], add: ["NET_ADMIN", "SYS_TIME"] })), [
            NO_DROP,
            'Deployment voting-api/api: container "api" adds capabilities NET_ADMIN, SYS_TIME: remove them from securityContext.capabilities.add',
        ]);
    });

    it("accepts a capability the pack config allows back, however it is spelled, and only that one", () => {
        const cfg = { allowedCapabilities: ["NET_BIND_SERVICE"] };
        for (const spelled of ["NET_BIND_SERVICE", "net_bind_service", "CAP_NET_BIND_SERVICE"]) {
            assert.deepStrictEqual(violations(requireDropAllCapabilities, caps({ drop: ["ALL"], add: [spelled] }), cfg), [], spelled);
        }
        assert.deepStrictEqual(violations(requireDropAllCapabilities, caps({ drop: ["ALL"], add: ["NET_BIND_SERVICE", "NET_RAW"] }), cfg), [
            'Deployment voting-api/api: container "api" adds capabilities NET_RAW: remove them from securityContext.capabilities.add',
        ]);
        assert.deepStrictEqual(violations(requireDropAllCapabilities, caps({ drop: ["ALL"], add: ["NET_BIND_SERVICE"] })), [
            'Deployment voting-api/api: container "api" adds capabilities NET_BIND_SERVICE: remove them from securityContext.capabilities.add',
        ]);
    });

    it("refuses a container that drops nothing on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => delete s.containers[0].securityContext.capabilities)) {
            assert.deepStrictEqual(violations(requireDropAllCapabilities, obj), [
                `${named(obj)}: container "api" does not drop all capabilities: set securityContext.capabilities.drop: ["ALL"]`,
            ]);
        }
    });

    it("strips only a leading CAP_ from an added capability", () => {
        const cfg = { allowedCapabilities: ["NET_BIND_SERVICE"] };
        assert.deepStrictEqual(violations(requireDropAllCapabilities, caps({ drop: ["ALL"], add: ["XCAP_NET_BIND_SERVICE"] }), cfg), [
            'Deployment voting-api/api: container "api" adds capabilities XCAP_NET_BIND_SERVICE: remove them from securityContext.capabilities.add',
        ]);
    });
});
