import * as assert from "assert";
import { disallowUnconfinedAppArmor } from "../../../../policies/rules/security/disallowUnconfinedAppArmor";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const podSpec = (d: any) => d.spec.template.spec;
const container = (d: any) => d.spec.template.spec.containers[0];
const ANNOTATION = "container.apparmor.security.beta.kubernetes.io/api";

describe(disallowUnconfinedAppArmor.name, () => {
    it("accepts the compliant pod on every kind that runs pods, and RuntimeDefault or Localhost profiles", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, asKind(k)), [], k);
        for (const profile of [{ type: "RuntimeDefault" }, { type: "Localhost", localhostProfile: "k8s-api" }]) {
            const d = withChange(compliantDeployment(), (x) => (container(x).securityContext.appArmorProfile = profile));
            assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, d), [], profile.type);
        }
    });

    it("refuses a container whose own AppArmor profile is Unconfined, on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.containers[0].securityContext.appArmorProfile = { type: "Unconfined" }))) {
            assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, obj), [
                `${named(obj)}: container "api" runs without AppArmor (appArmorProfile.type: Unconfined); use RuntimeDefault`,
            ]);
        }
    });

    it("refuses a pod whose AppArmor profile is Unconfined, unless the container sets its own", () => {
        const pod = withChange(compliantDeployment(), (x) => (podSpec(x).securityContext.appArmorProfile = { type: "Unconfined" }));
        assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, pod), [
            'Deployment voting-api/api: container "api" runs without AppArmor (appArmorProfile.type: Unconfined on the pod); use RuntimeDefault',
        ]);
        const overridden = withChange(pod, (x) => (container(x).securityContext.appArmorProfile = { type: "RuntimeDefault" }));
        assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, overridden), []);
    });

    it("refuses an Unconfined init or ephemeral container", () => {
        const d = withChange(compliantDeployment(), (x) => {
            const unconfined = { appArmorProfile: { type: "Unconfined" } };
            podSpec(x).initContainers = [{ name: "init", image: "i:1", securityContext: unconfined }];
            podSpec(x).ephemeralContainers = [{ name: "debug", image: "i:1", securityContext: unconfined }];
        });
        assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, d), [
            'Deployment voting-api/api: init container "init" runs without AppArmor (appArmorProfile.type: Unconfined); use RuntimeDefault',
            'Deployment voting-api/api: ephemeral container "debug" runs without AppArmor (appArmorProfile.type: Unconfined); use RuntimeDefault',
        ]);
    });

    it("refuses a container the AppArmor annotation sets unconfined, and only that container", () => {
        const d = withChange(compliantDeployment(), (x) => (x.spec.template.metadata.annotations = { [ANNOTATION]: "unconfined" }));
        assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, d), [
            `Deployment voting-api/api: container "api" runs without AppArmor (annotation ${ANNOTATION}: "unconfined"); use runtime/default`,
        ]);
        const other = withChange(d, (x) => (x.spec.template.metadata.annotations = { [ANNOTATION]: "runtime/default" }));
        assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, other), []);
        const anotherContainer = withChange(
            d,
            (x) => (x.spec.template.metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/sidecar": "unconfined" }),
        );
        assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, anotherContainer), []);
    });

    it("judges a container's appArmorProfile field before the older annotation", () => {
        const d = withChange(compliantDeployment(), (x) => {
            x.spec.template.metadata.annotations = { [ANNOTATION]: "unconfined" };
            container(x).securityContext.appArmorProfile = { type: "RuntimeDefault" };
        });
        assert.deepStrictEqual(violations(disallowUnconfinedAppArmor, d), []);
    });
});
