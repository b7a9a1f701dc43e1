import * as assert from "assert";
import { disallowHostProcess } from "../../../../policies/rules/security/disallowHostProcess";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const hostProcess = (pod: boolean | undefined, own: boolean | undefined) =>
    withChange(compliantDeployment(), (x) => {
        if (pod !== undefined) x.spec.template.spec.securityContext.windowsOptions = { hostProcess: pod };
        if (own !== undefined) x.spec.template.spec.containers[0].securityContext.windowsOptions = { hostProcess: own };
    });
const HOST_PROCESS = 'Deployment voting-api/api: container "api" runs as a Windows HostProcess container; remove windowsOptions.hostProcess';

describe(disallowHostProcess.name, () => {
    it("accepts the compliant pod on every kind that runs pods, and hostProcess: false", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(disallowHostProcess, asKind(k)), [], k);
        assert.deepStrictEqual(violations(disallowHostProcess, hostProcess(false, false)), []);
    });

    it("refuses hostProcess on the container, and on the pod when the container says nothing", () => {
        assert.deepStrictEqual(violations(disallowHostProcess, hostProcess(undefined, true)), [HOST_PROCESS]);
        assert.deepStrictEqual(violations(disallowHostProcess, hostProcess(true, undefined)), [HOST_PROCESS]);
    });

    it("lets the container's setting win over the pod's, both ways", () => {
        assert.deepStrictEqual(violations(disallowHostProcess, hostProcess(true, false)), []);
        assert.deepStrictEqual(violations(disallowHostProcess, hostProcess(false, true)), [HOST_PROCESS]);
    });

    it("refuses a HostProcess pod on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.securityContext.windowsOptions = { hostProcess: true }))) {
            assert.deepStrictEqual(violations(disallowHostProcess, obj), [
                `${named(obj)}: container "api" runs as a Windows HostProcess container; remove windowsOptions.hostProcess`,
            ]);
        }
    });
});
