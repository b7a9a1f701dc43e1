import * as assert from "assert";
import { disallowPrivilegeEscalation } from "../../../../policies/rules/security/disallowPrivilegeEscalation";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const container = (d: any) => d.spec.template.spec.containers[0];

describe(disallowPrivilegeEscalation.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(disallowPrivilegeEscalation, asKind(k)), [], k);
    });

    it("treats allowPrivilegeEscalation true, unset or not a boolean as allowed, and refuses it", () => {
        for (const v of [true, undefined, "false"]) {
            const d = withChange(compliantDeployment(), (x) => (container(x).securityContext.allowPrivilegeEscalation = v));
            assert.deepStrictEqual(
                violations(disallowPrivilegeEscalation, d),
                ['Deployment voting-api/api: container "api" allows privilege escalation: set securityContext.allowPrivilegeEscalation: false'],
                String(v),
            );
        }
    });

    it("refuses privilege escalation on every kind that runs pods, in init containers too", () => {
        for (const obj of inEveryKind(
            (s) => (s.initContainers = [{ name: "migrate", image: "i:1", securityContext: { allowPrivilegeEscalation: true } }]),
        )) {
            assert.deepStrictEqual(violations(disallowPrivilegeEscalation, obj), [
                `${named(obj)}: init container "migrate" allows privilege escalation: set securityContext.allowPrivilegeEscalation: false`,
            ]);
        }
    });
});
