import * as assert from "assert";
import { isManagedName } from "../../../policies/lib/rbac";

describe("isManagedName", () => {
    it("matches a name by its managed prefix, and never by an empty prefix", () => {
        assert.strictEqual(isManagedName("system:masters", ["system:", "eks:"]), true);
        assert.strictEqual(isManagedName("eks:node-manager", ["system:", "eks:"]), true);
        assert.strictEqual(isManagedName("voting-sre", ["system:", "eks:"]), false);
        assert.strictEqual(isManagedName("voting-sre", [""]), false);
        assert.strictEqual(isManagedName("voting-sre", []), false);
    });
});
