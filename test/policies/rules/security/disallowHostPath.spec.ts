import * as assert from "assert";
import { disallowHostPath } from "../../../../policies/rules/security/disallowHostPath";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const volumes = (v: unknown) => withChange(compliantDeployment(), (x) => (x.spec.template.spec.volumes = v));

describe(disallowHostPath.name, () => {
    it("accepts the compliant pod on every kind that runs pods, and volumes that are not host paths", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(disallowHostPath, asKind(k)), [], k);
        assert.deepStrictEqual(
            violations(disallowHostPath, volumes([{ name: "tmp", emptyDir: {} }, null, { name: "cfg", configMap: { name: "c" } }])),
            [],
        );
        assert.deepStrictEqual(violations(disallowHostPath, volumes("not-a-list")), []);
    });

    it("refuses each hostPath volume, naming its path (or an empty one)", () => {
        assert.deepStrictEqual(
            violations(
                disallowHostPath,
                volumes([
                    { name: "docker", hostPath: { path: "/var/run/docker.sock" } },
                    { name: "root", hostPath: {} },
                ]),
            ),
            [
                'Deployment voting-api/api: volume "docker" mounts host path "/var/run/docker.sock"; use emptyDir or a PVC',
                'Deployment voting-api/api: volume "root" mounts host path ""; use emptyDir or a PVC',
            ],
        );
    });

    it("refuses a hostPath volume on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.volumes = [{ name: "logs", hostPath: { path: "/var/log" } }]))) {
            assert.deepStrictEqual(violations(disallowHostPath, obj), [
                `${named(obj)}: volume "logs" mounts host path "/var/log"; use emptyDir or a PVC`,
            ]);
        }
    });
});
