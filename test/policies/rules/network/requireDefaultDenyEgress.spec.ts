import * as assert from "assert";
import { requireDefaultDenyEgress } from "../../../../policies/rules/network/requireDefaultDenyEgress";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";
import { changed, np, platform, without } from "./fixtures";

const denyAll = (namespace: string) => np(namespace, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
const open = (n: string, pods: string) =>
    `Namespace ${n} has no default-deny egress NetworkPolicy, and no policy with policyTypes Egress selects the pods of ${pods}: they can open connections anywhere`;
const unborn = (n: string) =>
    `Namespace ${n} has no default-deny egress NetworkPolicy: a pod created there would be able to open connections anywhere`;
const NONE = { namespaces: [] };

describe(requireDefaultDenyEgress.name, () => {
    it("accepts a namespace behind a default-deny egress policy", () => {
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, platform(), NONE), []);
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, [compliantDeployment(), denyAll("voting-api")], NONE), []);
    });

    it("refuses a namespace isolated for ingress only, whether policyTypes says so or defaults to it", () => {
        const ingressOnly = changed(
            without(platform(), "allow-dns", "voting-data"),
            "default-deny",
            "voting-data",
            (s) => (s.policyTypes = ["Ingress"]),
        );
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, ingressOnly, NONE), [open("voting-data", "Deployment postgres")]);
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, [compliantDeployment(), np("voting-api", "d", { podSelector: {} })], NONE), [
            open("voting-api", "Deployment api"),
        ]);
    });

    it("judges isolation by its effect: a namespace-wide policy that allows only DNS isolates every pod", () => {
        const ingressOnly = changed(platform(), "default-deny", "voting-data", (s) => (s.policyTypes = ["Ingress"]));
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, ingressOnly, NONE), []);
    });

    it("does not count a policy that allows all egress, or selects only some pods", () => {
        const allowing = withChange(denyAll("voting-api"), (x) => (x.spec.egress = [{ to: [] }]));
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, [compliantDeployment(), allowing], NONE), [
            "Namespace voting-api has no default-deny egress: NetworkPolicy default-deny selects every pod and allows all egress (a rule with no peers and no ports), so every pod there can open connections anywhere",
        ]);
        const partial = withChange(denyAll("voting-api"), (x) => (x.spec.podSelector = { matchLabels: { app: "other" } }));
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, [compliantDeployment(), partial], NONE), [open("voting-api", "Deployment api")]);
    });

    it("refuses each declared namespace even before it runs pods", () => {
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, [], { namespaces: ["voting-data"] }), [unborn("voting-data")]);
    });
});
