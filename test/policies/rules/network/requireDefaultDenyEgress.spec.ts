import * as assert from "assert";
import { requireDefaultDenyEgress } from "../../../../policies/rules/network/requireDefaultDenyEgress";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";
import { changed, np, platform } from "./fixtures";

const denyAll = (namespace: string) => np(namespace, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
const missing = (n: string) => `Namespace ${n} has no default-deny egress NetworkPolicy: every pod there can open connections anywhere`;
const NONE = { namespaces: [] };

describe(requireDefaultDenyEgress.name, () => {
    it("accepts a namespace behind a default-deny egress policy", () => {
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, platform(), NONE), []);
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, [compliantDeployment(), denyAll("voting-api")], NONE), []);
    });

    it("refuses a namespace isolated for ingress only, whether policyTypes says so or defaults to it", () => {
        const ingressOnly = changed(platform(), "default-deny", "voting-data", (s) => (s.policyTypes = ["Ingress"]));
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, ingressOnly, NONE), [missing("voting-data")]);
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, [compliantDeployment(), np("voting-api", "d", { podSelector: {} })], NONE), [
            missing("voting-api"),
        ]);
    });

    it("does not count a policy that allows some egress, or selects only some pods", () => {
        const allowing = withChange(denyAll("voting-api"), (x) => (x.spec.egress = [{ to: [] }]));
        const partial = withChange(denyAll("voting-api"), (x) => (x.spec.podSelector = { matchLabels: { app: "api" } }));
        for (const p of [allowing, partial])
            assert.deepStrictEqual(violations(requireDefaultDenyEgress, [compliantDeployment(), p], NONE), [missing("voting-api")]);
    });

    it("refuses each declared namespace even before it runs pods", () => {
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, [], { namespaces: ["voting-data"] }), [missing("voting-data")]);
    });
});
