import * as assert from "assert";
import { expandFlow, flowMatches, idMatches, modelOf, parseFlow } from "../../../policies/lib/matrix";
import { enforceTrafficMatrix } from "../../../policies/rules/network/enforceTrafficMatrix";
import { asKind, compliantDeployment } from "../../helpers/fixtures";
import { violations, withChange } from "../../helpers/policy";

/** A Job known by its name: it carries no `app.kubernetes.io/name` label, which would name it instead. */
const job = (name: string) =>
    withChange(asKind("Job"), (x) => {
        x.metadata!.name = name;
        const labels = { ...x.metadata!.labels };
        delete labels["app.kubernetes.io/name"];
        x.metadata!.labels = labels;
    });

describe("traffic matrix names (per-release Jobs)", () => {
    it("matches a name exactly, or by the prefix before a trailing *", () => {
        assert.deepStrictEqual(
            [
                idMatches("voting-api/api", "voting-api/api"),
                idMatches("voting-api/api", "voting-api/api-2"),
                idMatches("voting-api/verify-*", "voting-api/verify-a5f7611f"),
                idMatches("voting-api/verify-*", "voting-api/verify"),
                idMatches("voting-api/verify-*", "voting-frontend/verify-a5f7611f"),
            ],
            [true, false, true, false, false],
        );
    });

    it("matches a connection on both ends, the port and the protocol", () => {
        const declared = parseFlow("voting-api/verify-* -> voting-data/postgres:5432/TCP");
        assert.ok(flowMatches(declared, parseFlow("voting-api/verify-1 -> voting-data/postgres:5432/TCP")));
        assert.ok(!flowMatches(declared, parseFlow("voting-api/verify-1 -> voting-data/postgres:5433/TCP")));
        assert.ok(!flowMatches(declared, parseFlow("voting-api/verify-1 -> voting-data/postgres:5432/UDP")));
    });

    it("expands a pattern to every pod group it names, and keeps it whole when it names none", () => {
        const model = modelOf([compliantDeployment(), job("verify-1"), job("verify-2")], { outside: [] });
        assert.deepStrictEqual(
            expandFlow(model, parseFlow("voting-api/verify-* -> voting-api/api:8000/TCP")).map((c) => c.from),
            ["voting-api/verify-1", "voting-api/verify-2"],
        );
        assert.deepStrictEqual(expandFlow(model, parseFlow("voting-api/smoke-* -> voting-api/api:8000/TCP")), [
            parseFlow("voting-api/smoke-* -> voting-api/api:8000/TCP"),
        ]);
    });

    it("lets enforce-traffic-matrix judge every release's Job by one declared flow, and say when no release is rendered", () => {
        const cfg = { outside: [], allowed: ["voting-api/api-job-* -> voting-api/api:8000/TCP"], denied: [], strict: false };
        assert.deepStrictEqual(violations(enforceTrafficMatrix, [compliantDeployment(), job("api-job-a5f7611f")], cfg), []);
        assert.deepStrictEqual(violations(enforceTrafficMatrix, [compliantDeployment()], cfg), [
            "voting-api/api-job-* → voting-api/api:8000 is declared but denied: no pods of voting-api/api-job-* are in the resource set",
        ]);
    });
});
