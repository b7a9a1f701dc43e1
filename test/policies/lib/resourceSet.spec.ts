import * as assert from "assert";
import { nameOf, namespaceOf, type K8sObject } from "../../../policies/lib/k8s";
import { resourceSet } from "../../../policies/lib/resourceSet";

function deployment(name: string, namespace: string, labels: Record<string, string>): K8sObject {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace },
        spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "c", image: "x:1" }] } } },
    };
}

const objects = [
    deployment("api", "voting-api", { app: "api", tier: "backend" }),
    deployment("worker", "voting-api", { app: "worker", tier: "backend" }),
    deployment("api", "voting-frontend", { app: "api", tier: "backend" }),
];
const picked = (namespace: string, selector: unknown) =>
    resourceSet(objects)
        .workloadsMatching(namespace, selector)
        .map((p) => `${namespaceOf(p.object)}/${nameOf(p.object)}`);

describe("resourceSet workloadsMatching", () => {
    it("selects by matchLabels within the namespace only", () => {
        assert.deepStrictEqual(picked("voting-api", { matchLabels: { app: "api", tier: "backend" } }), ["voting-api/api"]);
        assert.deepStrictEqual(picked("voting-api", { matchLabels: { tier: "backend" } }), ["voting-api/api", "voting-api/worker"]);
        assert.deepStrictEqual(picked("voting-api", { matchLabels: { app: "api", tier: "frontend" } }), []);
    });

    it("selects by matchExpressions alone, and every workload of the namespace with an empty selector", () => {
        assert.deepStrictEqual(picked("voting-api", { matchExpressions: [{ key: "app", operator: "In", values: ["worker"] }] }), [
            "voting-api/worker",
        ]);
        assert.deepStrictEqual(picked("voting-api", { matchExpressions: [{ key: "app", operator: "NotIn", values: ["worker"] }] }), [
            "voting-api/api",
        ]);
        assert.deepStrictEqual(picked("voting-api", {}), ["voting-api/api", "voting-api/worker"]);
        assert.deepStrictEqual(picked("voting-data", {}), []);
    });

    it("applies the whole selector, expressions and labels that are not text included, to the workloads its labels find", () => {
        const notBackend = { key: "tier", operator: "NotIn", values: ["backend"] };
        assert.deepStrictEqual(picked("voting-api", { matchLabels: { app: "api" }, matchExpressions: [notBackend] }), []);
        assert.deepStrictEqual(picked("voting-api", { matchLabels: { app: "api", tier: 5 } }), []);
    });

    it("selects nothing with a selector that is not an object", () => {
        assert.deepStrictEqual(picked("voting-api", "app=api"), []);
        assert.deepStrictEqual(picked("voting-api", null), []);
    });

    it("finds the first of two objects of one kind and name, in a namespace and anywhere", () => {
        const first: K8sObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "voting-api" }, data: { n: "1" } };
        const second: K8sObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "voting-api" }, data: { n: "2" } };
        const elsewhere: K8sObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "voting-data" }, data: { n: "3" } };
        const set = resourceSet([first, second, elsewhere]);
        assert.strictEqual(set.find("ConfigMap", "voting-api", "cfg"), first);
        assert.strictEqual(set.find("ConfigMap", "voting-data", "cfg"), elsewhere);
        assert.strictEqual(set.findAnywhere("ConfigMap", "cfg"), first);
        assert.strictEqual(resourceSet([elsewhere, first]).findAnywhere("ConfigMap", "cfg"), elsewhere);
    });
});
