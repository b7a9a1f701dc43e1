import * as assert from "assert";
import { requireVerifiedDataTls } from "../../../../policies/rules/security/requireVerifiedDataTls";
import { kubernetesObjects } from "../../../../tools/lib/render";
import { violations } from "../../../helpers/policy";
import { rendered } from "../../../helpers/render";

describe("require-verified-data-tls on the rendered stacks", () => {
    it("accepts the rendered prod stack, whose every data client verifies the server", async () => {
        assert.deepStrictEqual(violations(requireVerifiedDataTls, kubernetesObjects(await rendered("prod"))), []);
    });

    it("accepts the rendered staging stack, on plain TCP by design (plaintextAllowed)", async () => {
        assert.deepStrictEqual(violations(requireVerifiedDataTls, kubernetesObjects(await rendered("staging")), { plaintextAllowed: true }), []);
    });
});
