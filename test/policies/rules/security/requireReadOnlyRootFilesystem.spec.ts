import * as assert from "assert";
import { requireReadOnlyRootFilesystem } from "../../../../policies/rules/security/requireReadOnlyRootFilesystem";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const container = (d: any) => d.spec.template.spec.containers[0];
const WRITABLE = 'Deployment voting-api/api: container "api" has a writable root filesystem: set securityContext.readOnlyRootFilesystem: true';

describe(requireReadOnlyRootFilesystem.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, asKind(k)), [], k);
    });

    it("refuses readOnlyRootFilesystem false, unset, or anything but the boolean true", () => {
        for (const v of [false, undefined, "true", 1]) {
            const d = withChange(compliantDeployment(), (x) => (container(x).securityContext.readOnlyRootFilesystem = v));
            assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, d), [WRITABLE], String(v));
        }
    });

    it("ignores a pod-level readOnlyRootFilesystem, which Kubernetes does not have", () => {
        const d = withChange(compliantDeployment(), (x) => {
            x.spec.template.spec.securityContext.readOnlyRootFilesystem = true;
            delete container(x).securityContext.readOnlyRootFilesystem;
        });
        assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, d), [WRITABLE]);
    });

    it("refuses a container with no securityContext, and checks init containers", () => {
        const d = withChange(compliantDeployment(), (x) => {
            delete container(x).securityContext;
            x.spec.template.spec.initContainers = [{ name: "migrate", image: "i:1" }];
        });
        assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, d), [
            WRITABLE,
            'Deployment voting-api/api: init container "migrate" has a writable root filesystem: set securityContext.readOnlyRootFilesystem: true',
        ]);
    });

    it("refuses a writable root filesystem on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.containers[0].securityContext.readOnlyRootFilesystem = false))) {
            assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, obj), [
                `${named(obj)}: container "api" has a writable root filesystem: set securityContext.readOnlyRootFilesystem: true`,
            ]);
        }
    });
});
