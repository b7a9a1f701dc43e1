import * as assert from "assert";
import { disallowHostNamespaces } from "../../../../policies/rules/security/disallowHostNamespaces";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const pod = (fields: Record<string, unknown>) => withChange(compliantDeployment(), (x) => Object.assign(x.spec.template.spec, fields));

describe(disallowHostNamespaces.name, () => {
    it("accepts the compliant pod on every kind that runs pods, and each field set to false", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(disallowHostNamespaces, asKind(k)), [], k);
        assert.deepStrictEqual(violations(disallowHostNamespaces, pod({ hostNetwork: false, hostPID: false, hostIPC: false })), []);
    });

    it("refuses hostNetwork, hostPID and hostIPC, each on its own", () => {
        for (const [field, ns] of [
            ["hostNetwork", "Network"],
            ["hostPID", "PID"],
            ["hostIPC", "IPC"],
        ]) {
            assert.deepStrictEqual(violations(disallowHostNamespaces, pod({ [field]: true })), [
                `Deployment voting-api/api: sets ${field}: true; the pod must not share the node's ${ns} namespace`,
            ]);
        }
    });

    it("refuses the node's network namespace on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.hostNetwork = true))) {
            assert.deepStrictEqual(violations(disallowHostNamespaces, obj), [
                `${named(obj)}: sets hostNetwork: true; the pod must not share the node's Network namespace`,
            ]);
        }
    });
});
