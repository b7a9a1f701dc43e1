import * as assert from "assert";
import { requireSeccompProfile } from "../../../../policies/rules/security/requireSeccompProfile";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const podSpec = (d: any) => d.spec.template.spec;
const container = (d: any) => d.spec.template.spec.containers[0];
const profiles = (pod: string | undefined, own: string | undefined) =>
    withChange(compliantDeployment(), (x) => {
        if (pod === undefined) delete podSpec(x).securityContext.seccompProfile;
        else podSpec(x).securityContext.seccompProfile = { type: pod };
        if (own !== undefined) container(x).securityContext.seccompProfile = { type: own };
    });

describe(requireSeccompProfile.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(requireSeccompProfile, asKind(k)), [], k);
    });

    it("accepts RuntimeDefault or Localhost, on the pod or on the container", () => {
        for (const [pod, own] of [
            ["RuntimeDefault", undefined],
            ["Localhost", undefined],
            [undefined, "RuntimeDefault"],
            [undefined, "Localhost"],
        ]) {
            assert.deepStrictEqual(violations(requireSeccompProfile, profiles(pod, own)), [], `${pod}/${own}`);
        }
    });

    it("lets the container's profile win over the pod's, both ways", () => {
        assert.deepStrictEqual(violations(requireSeccompProfile, profiles("Unconfined", "RuntimeDefault")), []);
        assert.deepStrictEqual(violations(requireSeccompProfile, profiles("RuntimeDefault", "Unconfined")), [
            'Deployment voting-api/api: container "api" uses seccomp profile "Unconfined": use RuntimeDefault',
        ]);
    });

    it("refuses no profile at all, and names a profile of an unknown type", () => {
        assert.deepStrictEqual(violations(requireSeccompProfile, profiles(undefined, undefined)), [
            'Deployment voting-api/api: container "api" has no seccomp profile: set securityContext.seccompProfile.type: RuntimeDefault',
        ]);
        assert.deepStrictEqual(violations(requireSeccompProfile, profiles("runtime/default", undefined)), [
            'Deployment voting-api/api: container "api" uses seccomp profile "runtime/default": use RuntimeDefault',
        ]);
    });

    it("refuses an Unconfined pod on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.securityContext.seccompProfile = { type: "Unconfined" }))) {
            assert.deepStrictEqual(violations(requireSeccompProfile, obj), [
                `${named(obj)}: container "api" uses seccomp profile "Unconfined": use RuntimeDefault`,
            ]);
        }
    });
});
