import * as assert from "assert";
import { disallowPrivileged } from "../../../../policies/rules/security/disallowPrivileged";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const container = (d: any) => d.spec.template.spec.containers[0];

describe(disallowPrivileged.name, () => {
    it("accepts the compliant pod on every kind that runs pods, and privileged: false", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(disallowPrivileged, asKind(k)), [], k);
        const off = withChange(compliantDeployment(), (x) => (container(x).securityContext.privileged = false));
        assert.deepStrictEqual(violations(disallowPrivileged, off), []);
    });

    it("refuses a privileged container on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.containers[0].securityContext.privileged = true))) {
            assert.deepStrictEqual(violations(disallowPrivileged, obj), [
                `${named(obj)}: container "api" runs privileged: set securityContext.privileged: false`,
            ]);
        }
    });

    it("refuses privileged init and ephemeral containers", () => {
        const d = withChange(compliantDeployment(), (x) => {
            x.spec.template.spec.initContainers = [{ name: "init", image: "i:1", securityContext: { privileged: true } }];
            x.spec.template.spec.ephemeralContainers = [{ name: "debug", image: "i:1", securityContext: { privileged: true } }];
        });
        assert.deepStrictEqual(violations(disallowPrivileged, d), [
            'Deployment voting-api/api: init container "init" runs privileged: set securityContext.privileged: false',
            'Deployment voting-api/api: ephemeral container "debug" runs privileged: set securityContext.privileged: false',
        ]);
    });
});
