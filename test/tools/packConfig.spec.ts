import * as assert from "assert";
import * as fs from "fs";
import { resolveRules } from "../../policies/lib/evaluate";
import { RULES } from "../../policies/rules";
import { listStacks } from "../../tools/lib/stackConfig";
import { declaredExecSubjects, declaredMatrix, packConfigFile } from "../../tools/syncPackConfig";

/** A pack-config entry without the waiver decisions (waivers.spec.ts pins those). */
const withoutWaivers = (entry: Record<string, unknown>) => {
    const { waivable, exempt, ...rest } = entry;
    void waivable;
    void exempt;
    return rest;
};

describe("per-stack pack configs", () => {
    for (const stack of listStacks()) {
        it(`carry ${stack}'s declared traffic matrix (npm run sync-pack-config writes it)`, () => {
            const cfg = JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"));
            const { enforcementLevel, ...matrix } = withoutWaivers(cfg["enforce-traffic-matrix"]);
            assert.strictEqual(enforcementLevel, "mandatory");
            assert.deepStrictEqual(matrix, JSON.parse(JSON.stringify(declaredMatrix(stack))), "out of step: run npm run sync-pack-config");
        });

        it(`let only ${stack}'s SRE group exec into pods`, () => {
            const cfg = JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"));
            assert.deepStrictEqual(withoutWaivers(cfg["restrict-role-bindings"]), {
                enforcementLevel: "mandatory",
                execSubjects: declaredExecSubjects(stack),
            });
        });

        it(`judge ${stack}'s API versions against the Kubernetes version its config declares`, () => {
            const cfg = JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"));
            assert.deepStrictEqual(withoutWaivers(cfg["disallow-deprecated-apis"]), { enforcementLevel: "mandatory", kubernetesVersion: "1.30" });
        });

        it(`name only known policies and settings for ${stack}`, () => {
            assert.doesNotThrow(() => resolveRules(RULES, JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"))));
        });
    }

    it("refuse an unknown policy or setting", () => {
        assert.throws(() => resolveRules(RULES, { "require-everything": "mandatory" }), /pack config names an unknown policy "require-everything"/);
        assert.throws(
            () => resolveRules(RULES, { "require-replicas": { minimum: 2 } }),
            /pack config gives policy "require-replicas" the unknown setting "minimum"/,
        );
        assert.throws(() => resolveRules(RULES, { all: "strict" as never }), /unknown enforcement level "strict"/);
    });
});
