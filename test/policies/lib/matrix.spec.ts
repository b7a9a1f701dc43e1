import * as assert from "assert";
import { anchorFor, connectionId, judgeFlow, modelOf, parseFlow } from "../../../policies/lib/matrix";
import { changed, platform } from "../rules/network/fixtures";

describe("traffic matrix flows", () => {
    it("parses a flow with or without a protocol, spaces around the arrow", () => {
        assert.deepStrictEqual(parseFlow("voting-api/api -> voting-data/postgres:5432/TCP"), {
            from: "voting-api/api",
            to: "voting-data/postgres",
            port: 5432,
            protocol: "TCP",
        });
        assert.deepStrictEqual(parseFlow("  a/b->c/d:53/UDP "), { from: "a/b", to: "c/d", port: 53, protocol: "UDP" });
        assert.deepStrictEqual(parseFlow("a/b -> c/d:9000"), { from: "a/b", to: "c/d", port: 9000, protocol: "TCP" });
        assert.deepStrictEqual(parseFlow("a/b -> c/d:38412/SCTP").protocol, "SCTP");
    });

    it("refuses what is not a flow, quoting it", () => {
        for (const s of ["a/b -> c/d", "a/b => c/d:80", "a/b -> c/d:80/ICMP", "a/b -> c/d:http", "a/b c/d:80", "x a/b -> c/d:80 y"]) {
            assert.throws(
                () => parseFlow(s),
                (e: Error) => e.message === `not a flow: ${JSON.stringify(s)} (expected "ns/name -> ns/name:port/TCP")`,
                s,
            );
        }
    });

    it("names a connection with its protocol only when it is not TCP", () => {
        assert.strictEqual(connectionId({ from: "a/b", to: "c/d", port: 80, protocol: "TCP" }), "a/b → c/d:80");
        assert.strictEqual(connectionId({ from: "a/b", to: "c/d", port: 53, protocol: "UDP" }), "a/b → c/d:53/UDP");
    });

    it("reports a flow on its source workload when it is in the set, else on its namespace", () => {
        assert.deepStrictEqual(anchorFor(platform(), "voting-api/api").kind, "Deployment");
        assert.deepStrictEqual(anchorFor(platform(), "voting-api/worker"), { apiVersion: "v1", kind: "Namespace", metadata: { name: "voting-api" } });
        assert.deepStrictEqual(anchorFor(platform(), "voting-data/allow-postgres").kind, "Namespace", "a NetworkPolicy runs no pods");
        // Two kinds of workload may share a name: the finding goes on the first of the set, whichever order the kinds come in.
        const api = platform().find((o) => o.kind === "Deployment" && o.metadata?.name === "api")!;
        const twin = { ...api, apiVersion: "apps/v1", kind: "StatefulSet" };
        assert.strictEqual(anchorFor([...platform(), twin], "voting-api/api").kind, "Deployment");
        assert.strictEqual(anchorFor([twin, ...platform()], "voting-api/api").kind, "StatefulSet");
    });

    it("judges a flow to a named port by the destination's port number and protocol", () => {
        const model = modelOf(platform(), { outside: [] });
        assert.strictEqual(judgeFlow(model, parseFlow("voting-api/api -> voting-data/postgres:5432")).allowed, true);
        assert.deepStrictEqual(judgeFlow(model, parseFlow("voting-api/api -> voting-data/postgres:5433")), {
            connection: parseFlow("voting-api/api -> voting-data/postgres:5433"),
            allowed: false,
            reason: "no egress rule in voting-api allows it, and no ingress rule in voting-data allows it",
        });
        assert.strictEqual(judgeFlow(model, parseFlow("voting-api/api -> voting-data/postgres:5432/UDP")).allowed, false);
    });

    it("judges a flow to a port the destination does not declare by the policies' port numbers", () => {
        const opened = changed(
            changed(platform(), "allow-api", "voting-api", (s) => s.egress[0].ports.push({ port: 5433 })),
            "allow-postgres",
            "voting-data",
            (s) => s.ingress[0].ports.push({ port: 5433 }),
        );
        const flow = parseFlow("voting-api/api -> voting-data/postgres:5433");
        assert.deepStrictEqual(judgeFlow(modelOf(opened, { outside: [] }), flow), { connection: flow, allowed: true, reason: "" });
    });
});
