import * as assert from "assert";
import { ciRequiresTools, requireBinary } from "./servers";

describe("test servers helper", () => {
    it("counts a run as CI only when CI is true or 1", () => {
        const verdicts = ["true", "1", "false", "0", "", "yes", undefined].map((CI) => ciRequiresTools(CI === undefined ? {} : { CI }));
        assert.deepStrictEqual(verdicts, [true, true, false, false, false, false, false]);
    });

    describe("requireBinary", () => {
        const saved = process.env.CI;
        afterEach(() => {
            if (saved === undefined) delete process.env.CI;
            else process.env.CI = saved;
        });
        const attempt = () => {
            let skipped = false;
            const ctx = { skip: () => (skipped = true) } as unknown as Mocha.Context;
            requireBinary(ctx, "no-such-binary-for-the-test", "some-package");
            return skipped;
        };

        it("skips the suite when a binary is missing and CI is false", () => {
            process.env.CI = "false";
            assert.strictEqual(attempt(), true);
        });

        it("fails the suite when a binary is missing and CI is true", () => {
            process.env.CI = "true";
            assert.throws(attempt, { message: "no-such-binary-for-the-test is not installed; .ci/run installs some-package" });
        });
    });
});
