import * as assert from "assert";
import { connectionId, judgeFlow, modelOf, parseFlow, reachable } from "../../../policies/lib/matrix";
import { declaredMatrix } from "../../../tools/syncPackConfig";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";

describe("reachability on the rendered prod stack", () => {
    it("reports the rendered prod stack's reachable connections as exactly the declared matrix", async () => {
        const objects = kubernetesObjects(await rendered("prod"));
        const matrix = declaredMatrix("prod");
        const model = modelOf(objects, matrix);
        const got = reachable(model).map(connectionId).sort();
        const want = matrix.allowed.map((f) => connectionId(parseFlow(f))).sort();
        assert.deepStrictEqual(got, want);
        for (const d of matrix.denied) assert.strictEqual(judgeFlow(model, parseFlow(d)).allowed, false, d);
        assert.deepStrictEqual(matrix.denied, [
            "voting-frontend/frontend -> voting-data/redis:6379/TCP",
            "voting-frontend/frontend -> voting-data/postgres:5432/TCP",
            "voting-consumer/consumer -> voting-api/api:8000/TCP",
        ]);
    });
});
