import * as assert from "assert";
import { requireRollingUpdate } from "../../../../policies/rules/operations/requireRollingUpdate";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

describe("require-rolling-update (4.1.1)", () => {
    it("accepts RollingUpdate with maxUnavailable 1, and the default 25% of 3 pods (none at once)", () => {
        assert.deepStrictEqual(violations(requireRollingUpdate, [compliantDeployment()]), []);
        assert.deepStrictEqual(violations(requireRollingUpdate, [withChange(compliantDeployment(), (x) => delete x.spec.strategy)]), []);
    });

    it("refuses Recreate", () => {
        const d = withChange(compliantDeployment(), (x) => (x.spec.strategy = { type: "Recreate" }));
        assert.deepStrictEqual(violations(requireRollingUpdate, [d]), [
            "Deployment voting-api/api: uses the Recreate strategy, which stops every pod before starting new ones; use RollingUpdate",
        ]);
    });

    it("refuses a rollout that takes down more pods than configured, or all of them", () => {
        const two = withChange(compliantDeployment(), (x) => (x.spec.strategy.rollingUpdate.maxUnavailable = 2));
        assert.deepStrictEqual(violations(requireRollingUpdate, [two]), [
            "Deployment voting-api/api: maxUnavailable 2 lets a rollout take down 2 of 3 pods at once; use 1",
        ]);
        const all = withChange(compliantDeployment(), (x) => (x.spec.strategy.rollingUpdate.maxUnavailable = "100%"));
        assert.deepStrictEqual(violations(requireRollingUpdate, [all], { maxUnavailable: 5 }), [
            'Deployment voting-api/api: maxUnavailable "100%" lets a rollout take down 3 of 3 pods at once; use 5',
        ]);
        const single = withChange(compliantDeployment(), (x) => (x.spec.replicas = 1));
        assert.deepStrictEqual(violations(requireRollingUpdate, [single]), [
            "Deployment voting-api/api: maxUnavailable 1 lets a rollout take down 1 of 1 pods at once; use 1",
        ]);
        const surgeFirst = withChange(single, (x) => (x.spec.strategy.rollingUpdate.maxUnavailable = 0));
        assert.deepStrictEqual(violations(requireRollingUpdate, [surgeFirst]), []);
    });
});
