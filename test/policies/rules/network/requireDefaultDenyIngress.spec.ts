import * as assert from "assert";
import { requireDefaultDenyIngress } from "../../../../policies/rules/network/requireDefaultDenyIngress";
import { compliantDeployment } from "../../../helpers/fixtures";
import { reportedOn, violations, withChange } from "../../../helpers/policy";
import { np } from "./fixtures";

const denyAll = (namespace: string) => np(namespace, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
const open = (n: string, pods: string) =>
    `Namespace ${n} has no default-deny ingress NetworkPolicy, and no policy with policyTypes Ingress selects the pods of ${pods}: they accept traffic from anywhere in the cluster`;
const missing = (n: string) => open(n, "Deployment api");
const unborn = (n: string) =>
    `Namespace ${n} has no default-deny ingress NetworkPolicy: a pod created there would accept traffic from anywhere in the cluster`;
const NONE = { namespaces: [] };

describe(requireDefaultDenyIngress.name, () => {
    it("accepts a namespace whose pods sit behind a default-deny ingress policy, with or without policyTypes", () => {
        assert.deepStrictEqual(
            violations(requireDefaultDenyIngress, [compliantDeployment(), denyAll("voting-api")], { namespaces: ["voting-api"] }),
            [],
        );
        const defaulted = np("voting-api", "default-deny", { podSelector: {} });
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [compliantDeployment(), defaulted], NONE), []);
    });

    it("refuses a namespace with workloads and no default-deny policy, reported on its Namespace or else its first workload", () => {
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [compliantDeployment()], NONE), [missing("voting-api")]);
        assert.deepStrictEqual(reportedOn(requireDefaultDenyIngress, [compliantDeployment()], NONE), ["Deployment voting-api/api"]);
        const nsObj = { apiVersion: "v1", kind: "Namespace", metadata: { name: "voting-api" } };
        assert.deepStrictEqual(reportedOn(requireDefaultDenyIngress, [compliantDeployment(), nsObj], NONE), ["Namespace /voting-api"]);
    });

    it("does not count a policy that selects only some pods, that allows ingress, that is egress-only, or of another namespace", () => {
        const partial = withChange(denyAll("voting-api"), (x) => (x.spec.podSelector = { matchLabels: { app: "other" } }));
        const allowing = withChange(denyAll("voting-api"), (x) => (x.spec.ingress = [{}]));
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [compliantDeployment(), allowing], NONE), [
            "Namespace voting-api has no default-deny ingress: NetworkPolicy default-deny selects every pod and allows all ingress (a rule with no peers and no ports), so every pod there accepts traffic from anywhere",
        ]);
        const egressOnly = withChange(denyAll("voting-api"), (x) => (x.spec.policyTypes = ["Egress"]));
        for (const p of [partial, egressOnly, denyAll("voting-data")]) {
            assert.deepStrictEqual(violations(requireDefaultDenyIngress, [compliantDeployment(), p], NONE), [missing("voting-api")]);
        }
        const emptyRules = withChange(denyAll("voting-api"), (x) => (x.spec.ingress = []));
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [compliantDeployment(), emptyRules], NONE), []);
    });

    it("refuses each declared namespace even before it runs pods, in name order, and the platform's by default", () => {
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [], { namespaces: ["voting-data", "voting-api"] }), [
            unborn("voting-api"),
            unborn("voting-data"),
        ]);
        assert.deepStrictEqual(
            violations(requireDefaultDenyIngress, []),
            ["voting-api", "voting-consumer", "voting-data", "voting-frontend"].map(unborn),
        );
    });

    it("ignores objects that run no pods and cluster-scoped objects", () => {
        const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "other" } };
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [cm], NONE), []);
    });

    it("reports on the Namespace object only, and on a stand-in Namespace when neither it nor a workload is in the set", () => {
        const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "voting-api", namespace: "voting-api" } };
        assert.deepStrictEqual(reportedOn(requireDefaultDenyIngress, [cm, compliantDeployment()], NONE), ["Deployment voting-api/api"]);
        assert.deepStrictEqual(reportedOn(requireDefaultDenyIngress, [], { namespaces: ["voting-data"] }), ["Namespace /voting-data"]);
    });
});
