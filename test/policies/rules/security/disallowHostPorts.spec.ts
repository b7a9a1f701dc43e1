import * as assert from "assert";
import { disallowHostPorts } from "../../../../policies/rules/security/disallowHostPorts";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const hostPort = (p: unknown) => withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].ports[0].hostPort = p));

describe(disallowHostPorts.name, () => {
    it("accepts the compliant pod on every kind that runs pods, and hostPort 0 (none)", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(disallowHostPorts, asKind(k)), [], k);
        assert.deepStrictEqual(violations(disallowHostPorts, hostPort(0)), []);
    });

    it("refuses hostPort 1, the lowest port there is, and any other", () => {
        for (const p of [1, 8000, 65535]) {
            assert.deepStrictEqual(violations(disallowHostPorts, hostPort(p)), [
                `Deployment voting-api/api: container "api" binds host port ${p} (container port 8000); remove hostPort and use a Service`,
            ]);
        }
    });

    it("passes over ports lists that are not lists, and entries that are not objects", () => {
        const d = withChange(compliantDeployment(), (x) => {
            x.spec.template.spec.containers[0].ports = [null, { containerPort: 80 }];
            x.spec.template.spec.initContainers = [{ name: "i", image: "i:1", ports: "8080" }];
        });
        assert.deepStrictEqual(violations(disallowHostPorts, d), []);
    });

    it("refuses a host port on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.containers[0].ports[0].hostPort = 8000))) {
            assert.deepStrictEqual(violations(disallowHostPorts, obj), [
                `${named(obj)}: container "api" binds host port 8000 (container port 8000); remove hostPort and use a Service`,
            ]);
        }
    });
});
