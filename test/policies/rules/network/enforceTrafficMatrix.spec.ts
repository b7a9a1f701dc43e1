import * as assert from "assert";
import { KNOWN_OUTSIDE } from "../../../../policies/lib/matrix";
import { enforceTrafficMatrix } from "../../../../policies/rules/network/enforceTrafficMatrix";
import { reportedOn, violations } from "../../../helpers/policy";
import { changed, platform, without } from "./fixtures";

const DECLARED = {
    outside: Object.values(KNOWN_OUTSIDE),
    allowed: ["voting-api/api -> voting-data/postgres:5432/TCP", "ingress-nginx/ingress-controller -> voting-api/api:8000"],
    denied: ["ingress-nginx/ingress-controller -> voting-data/postgres:5432/TCP"],
    strict: false,
};
const DNS_FLOWS = ["voting-api/api", "voting-data/postgres"].flatMap((p) => [
    `${p} -> kube-system/kube-dns:53/UDP`,
    `${p} -> kube-system/kube-dns:53/TCP`,
]);
const STRICT = { ...DECLARED, allowed: [...DECLARED.allowed, ...DNS_FLOWS], strict: true };

describe(enforceTrafficMatrix.name, () => {
    it("accepts policies that allow exactly the declared matrix, strict or not", () => {
        assert.deepStrictEqual(violations(enforceTrafficMatrix, platform(), DECLARED), []);
        assert.deepStrictEqual(violations(enforceTrafficMatrix, platform(), STRICT), []);
    });

    it("judges nothing when the matrix declares no flow", () => {
        assert.deepStrictEqual(violations(enforceTrafficMatrix, without(platform(), "allow-api", "voting-api"), { strict: true }), []);
    });

    it("names a declared flow that the source's egress cuts, the destination's ingress cuts, or both", () => {
        assert.deepStrictEqual(
            violations(
                enforceTrafficMatrix,
                changed(platform(), "allow-api", "voting-api", (s) => (s.egress = [])),
                DECLARED,
            ),
            ["voting-api/api → voting-data/postgres:5432 is declared but denied: no egress rule in voting-api allows it"],
        );
        assert.deepStrictEqual(violations(enforceTrafficMatrix, without(platform(), "allow-postgres", "voting-data"), DECLARED), [
            "voting-api/api → voting-data/postgres:5432 is declared but denied: no ingress rule in voting-data allows it",
        ]);
        const both = changed(without(platform(), "allow-postgres", "voting-data"), "allow-api", "voting-api", (s) => (s.egress = []));
        assert.deepStrictEqual(violations(enforceTrafficMatrix, both, DECLARED), [
            "voting-api/api → voting-data/postgres:5432 is declared but denied: no egress rule in voting-api allows it, and no ingress rule in voting-data allows it",
        ]);
    });

    it("reports a declared flow from or to pods that are not in the resource set on the source's workload, else the destination's, else the source's namespace", () => {
        const cfg = {
            ...DECLARED,
            allowed: [
                "voting-api/worker -> voting-data/postgres:5432",
                "voting-api/api -> voting-data/mysql:3306",
                "voting-api/worker -> voting-data/mysql:3306",
            ],
        };
        assert.deepStrictEqual(violations(enforceTrafficMatrix, platform(), cfg), [
            "voting-api/worker → voting-data/postgres:5432 is declared but denied: no pods of voting-api/worker are in the resource set",
            "voting-api/api → voting-data/mysql:3306 is declared but denied: no pods of voting-data/mysql are in the resource set",
            "voting-api/worker → voting-data/mysql:3306 is declared but denied: no pods of voting-api/worker are in the resource set",
        ]);
        assert.deepStrictEqual(reportedOn(enforceTrafficMatrix, platform(), cfg), [
            "Deployment voting-data/postgres",
            "Deployment voting-api/api",
            "Namespace /voting-api",
        ]);
    });

    it("refuses a denied flow that a broad rule opens", () => {
        const open = changed(platform(), "allow-postgres", "voting-data", (s) => s.ingress.push({ from: [{ namespaceSelector: {} }] }));
        assert.deepStrictEqual(violations(enforceTrafficMatrix, open, DECLARED), [
            "ingress-nginx/ingress-controller → voting-data/postgres:5432 must be denied but is allowed",
        ]);
    });

    it("under strict, refuses every reachable flow the matrix does not declare, and names a non-TCP protocol", () => {
        const open = changed(platform(), "allow-postgres", "voting-data", (s) => s.ingress.push({ from: [{ namespaceSelector: {} }] }));
        assert.deepStrictEqual(violations(enforceTrafficMatrix, open, { ...STRICT, denied: [] }), [
            "ingress-nginx/ingress-controller → voting-data/postgres:5432 is allowed but not declared in the traffic matrix",
            "kube-system/kube-dns → voting-data/postgres:5432 is allowed but not declared in the traffic matrix",
            "monitoring/prometheus → voting-data/postgres:5432 is allowed but not declared in the traffic matrix",
            "monitoring/grafana → voting-data/postgres:5432 is allowed but not declared in the traffic matrix",
            "monitoring/tempo → voting-data/postgres:5432 is allowed but not declared in the traffic matrix",
            "keda/keda-operator → voting-data/postgres:5432 is allowed but not declared in the traffic matrix",
            "voting-frontend/acme-http01-solver → voting-data/postgres:5432 is allowed but not declared in the traffic matrix",
        ]);
        assert.deepStrictEqual(
            violations(enforceTrafficMatrix, platform(), { ...STRICT, allowed: DECLARED.allowed }),
            DNS_FLOWS.map((f) => {
                const [from, to] = f.split(" -> ");
                const [dst, port] = to.split(":");
                return `${from} → ${dst}:${port.replace("/TCP", "")} is allowed but not declared in the traffic matrix`;
            }),
        );
    });

    it("does not report, under strict, a flow it names as denied", () => {
        const open = changed(platform(), "allow-postgres", "voting-data", (s) => s.ingress.push({ from: [{ namespaceSelector: {} }] }));
        const found = violations(enforceTrafficMatrix, open, STRICT);
        assert.deepStrictEqual(
            found.filter((m) => m.startsWith("ingress-nginx")),
            ["ingress-nginx/ingress-controller → voting-data/postgres:5432 must be denied but is allowed"],
        );
    });

    it("judges the denied flows when no flow is declared allowed, and everything under strict once any flow is declared", () => {
        const open = changed(platform(), "allow-postgres", "voting-data", (s) => s.ingress.push({ from: [{ namespaceSelector: {} }] }));
        assert.deepStrictEqual(violations(enforceTrafficMatrix, open, { ...DECLARED, allowed: [] }), [
            "ingress-nginx/ingress-controller → voting-data/postgres:5432 must be denied but is allowed",
        ]);
        assert.deepStrictEqual(
            violations(enforceTrafficMatrix, platform(), { outside: DECLARED.outside, allowed: [], denied: [], strict: true }),
            [],
        );
    });
});
