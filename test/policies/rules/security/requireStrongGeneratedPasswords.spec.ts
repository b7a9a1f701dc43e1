import * as assert from "assert";
import { requireStrongGeneratedPasswords } from "../../../../policies/rules/security/requireStrongGeneratedPasswords";
import { cloudResources } from "../../../../tools/lib/render";
import { cloudViolations } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";
import { rendered } from "../../../helpers/render";

const RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
const password = (props: Record<string, unknown>) => ({ type: RANDOM_PASSWORD, name: "postgres-password", props });
const check = (props: Record<string, unknown>, cfg: Record<string, unknown> = {}) =>
    cloudViolations(requireStrongGeneratedPasswords, [password(props)], cfg);

describe(requireStrongGeneratedPasswords.name, () => {
    it("accepts the staging stack's generated passwords of 32 characters", async () => {
        const staging = cloudResources(await rendered("staging")).map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
        assert.deepStrictEqual(
            staging.filter((r) => r.type === RANDOM_PASSWORD).map((r) => r.props.length),
            [32, 32],
        );
        assert.deepStrictEqual(cloudViolations(requireStrongGeneratedPasswords, staging), []);
    });

    it("accepts 16 characters and refuses 15", () => {
        assert.deepStrictEqual(check({ length: 16 }), []);
        assert.deepStrictEqual(check({ length: 15 }), ["RandomPassword postgres-password: generates 15-character passwords; generate at least 16"]);
    });

    it("refuses a generator with no length, and takes its minimum from the settings", () => {
        assert.deepStrictEqual(check({ special: true }), ["RandomPassword postgres-password: sets no length; generate at least 16 characters"]);
        assert.deepStrictEqual(check({ length: 20 }, { minLength: 24 }), [
            "RandomPassword postgres-password: generates 20-character passwords; generate at least 24",
        ]);
    });

    it("judges nothing but password generators", () => {
        assert.deepStrictEqual(
            cloudViolations(requireStrongGeneratedPasswords, [
                { type: "random:index/randomString:RandomString", name: "suffix", props: { length: 4 } },
            ]),
            [],
        );
    });

    it("blocks the registry's mutant of 1.4.1 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("1.4.1", "the stack generates an 8-character database password"), [
            "require-strong-generated-passwords: RandomPassword postgres-password: generates 8-character passwords; generate at least 16",
        ]);
    });
});
