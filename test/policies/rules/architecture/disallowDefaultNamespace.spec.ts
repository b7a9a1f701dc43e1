import * as assert from "assert";
import { disallowDefaultNamespace } from "../../../../policies/rules/architecture/disallowDefaultNamespace";
import { asKind, compliantDeployment, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

describe(disallowDefaultNamespace.name, () => {
    it("flags any namespaced object in the default namespace", () => {
        for (const k of POD_KINDS) {
            const obj = withChange(asKind(k), (x) => (x.metadata!.namespace = "default"));
            assert.deepStrictEqual(violations(disallowDefaultNamespace, obj), [
                `${k} default/${obj.metadata!.name}: is in the default namespace; move it to a platform namespace`,
            ]);
        }
        const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "default" } };
        assert.deepStrictEqual(violations(disallowDefaultNamespace, cm), [
            "ConfigMap default/c: is in the default namespace; move it to a platform namespace",
        ]);
    });

    it("accepts objects in another namespace, objects that name none (the deployer chooses), and cluster-scoped objects", () => {
        assert.deepStrictEqual(violations(disallowDefaultNamespace, compliantDeployment()), []);
        assert.deepStrictEqual(
            violations(
                disallowDefaultNamespace,
                withChange(compliantDeployment(), (x) => delete x.metadata!.namespace),
            ),
            [],
        );
        for (const kind of ["Namespace", "ClusterRole", "PriorityClass"]) {
            assert.deepStrictEqual(
                violations(disallowDefaultNamespace, { apiVersion: "v1", kind, metadata: { name: "x", namespace: "default" } }),
                [],
                kind,
            );
        }
    });
});
