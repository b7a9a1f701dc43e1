import * as assert from "assert";
import { requireDefaultDenyIngress } from "../../../../policies/rules/network/requireDefaultDenyIngress";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const denyAll = (ns: string): K8sObject => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "default-deny", namespace: ns },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
});

describe("require-default-deny-ingress (1.2.2)", () => {
    it("accepts a namespace whose pods sit behind a default-deny ingress policy", () => {
        assert.deepStrictEqual(
            violations(requireDefaultDenyIngress, [compliantDeployment(), denyAll("voting-api")], { namespaces: ["voting-api"] }),
            [],
        );
    });

    it("reports a namespace with workloads and no default-deny policy", () => {
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [compliantDeployment()], { namespaces: [] }), [
            "Namespace voting-api has no default-deny ingress NetworkPolicy: every pod there accepts traffic from anywhere in the cluster",
        ]);
    });

    it("does not count a policy that selects only some pods, or that allows ingress", () => {
        const partial = withChange(denyAll("voting-api"), (x) => (x.spec.podSelector = { matchLabels: { app: "api" } }));
        const allowing = withChange(denyAll("voting-api"), (x) => (x.spec.ingress = [{}]));
        for (const np of [partial, allowing]) {
            assert.strictEqual(violations(requireDefaultDenyIngress, [compliantDeployment(), np], { namespaces: [] }).length, 1);
        }
    });

    it("does not count an egress-only policy", () => {
        const egressOnly = withChange(denyAll("voting-api"), (x) => (x.spec.policyTypes = ["Egress"]));
        assert.strictEqual(violations(requireDefaultDenyIngress, [compliantDeployment(), egressOnly], { namespaces: [] }).length, 1);
    });

    it("reports a declared namespace even before it runs pods", () => {
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [], { namespaces: ["voting-data"] }), [
            "Namespace voting-data has no default-deny ingress NetworkPolicy: every pod there accepts traffic from anywhere in the cluster",
        ]);
    });
});
