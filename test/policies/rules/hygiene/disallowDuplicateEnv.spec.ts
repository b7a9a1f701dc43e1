import * as assert from "assert";
import { disallowDuplicateEnv } from "../../../../policies/rules/hygiene/disallowDuplicateEnv";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const env = (entries: unknown) => withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].env = entries));

describe(disallowDuplicateEnv.name, () => {
    it("accepts the compliant pod on every kind that runs pods, and distinct names", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(disallowDuplicateEnv, asKind(k)), [], k);
        assert.deepStrictEqual(violations(disallowDuplicateEnv, env([{ name: "A" }, { name: "a" }, { name: "B" }])), []);
        assert.deepStrictEqual(violations(disallowDuplicateEnv, env("A=1")), []);
    });

    it("refuses a variable defined twice, once per name however often it repeats", () => {
        assert.deepStrictEqual(
            violations(
                disallowDuplicateEnv,
                env([{ name: "A", value: "1" }, { name: "B" }, { name: "A", value: "2" }, { name: "A" }, { name: "B" }]),
            ),
            [
                'Deployment voting-api/api: container "api" defines env A more than once',
                'Deployment voting-api/api: container "api" defines env B more than once',
            ],
        );
    });

    it("refuses a duplicate on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.containers[0].env = [{ name: "A" }, { name: "A" }]))) {
            assert.deepStrictEqual(violations(disallowDuplicateEnv, obj), [`${named(obj)}: container "api" defines env A more than once`]);
        }
    });

    it("passes over env entries that are not objects", () => {
        assert.deepStrictEqual(violations(disallowDuplicateEnv, env([null, { name: "A" }, { name: "A" }])), [
            'Deployment voting-api/api: container "api" defines env A more than once',
        ]);
    });
});
