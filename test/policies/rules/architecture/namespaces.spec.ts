import * as assert from "assert";
import { disallowDefaultNamespace } from "../../../../policies/rules/architecture/disallowDefaultNamespace";
import { requireNamespaceLayout } from "../../../../policies/rules/architecture/requireNamespaceLayout";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const NS = ["voting-frontend", "voting-api", "voting-consumer", "voting-data"];

function compliantLayout(): K8sObject[] {
    return NS.flatMap((ns) => [
        { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
        { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "compute", namespace: ns }, spec: { hard: { pods: "10" } } },
        { apiVersion: "v1", kind: "LimitRange", metadata: { name: "container-defaults", namespace: ns }, spec: { limits: [] } },
    ]);
}

describe("namespace policies (7.1.2, P.9)", () => {
    it("accept the four namespaces with Pod Security, a quota and limit defaults", () => {
        assert.deepStrictEqual(violations(requireNamespaceLayout, compliantLayout()), []);
    });

    it("report a declared namespace that is not created", () => {
        const objs = compliantLayout().filter((o) => o.metadata?.name !== "voting-data" || o.kind !== "Namespace");
        assert.deepStrictEqual(violations(requireNamespaceLayout, objs), ["Namespace voting-data is declared in the layout but not created"]);
    });

    it("report a namespace that enforces a weaker Pod Security level than configured", () => {
        const objs = compliantLayout().map((o) =>
            o.kind === "Namespace" && o.metadata?.name === "voting-api"
                ? withChange(o, (x) => (x.metadata!.labels!["pod-security.kubernetes.io/enforce"] = "baseline"))
                : o,
        );
        assert.deepStrictEqual(violations(requireNamespaceLayout, objs), [
            'Namespace voting-api enforces Pod Security "baseline"; label it pod-security.kubernetes.io/enforce: restricted',
        ]);
        assert.deepStrictEqual(violations(requireNamespaceLayout, objs, { podSecurityLevel: "baseline" }), []);
    });

    it("report a namespace without a ResourceQuota or a LimitRange", () => {
        const objs = compliantLayout().filter((o) => !(o.metadata?.namespace === "voting-consumer" && o.kind !== "Namespace"));
        assert.deepStrictEqual(violations(requireNamespaceLayout, objs), [
            "Namespace voting-consumer has no ResourceQuota; add one sized for its workloads at maximum scale",
            "Namespace voting-consumer has no LimitRange; add one with default requests and limits",
        ]);
    });

    it("judge nothing when no namespaces are declared (generic manifests)", () => {
        assert.deepStrictEqual(violations(requireNamespaceLayout, [], { namespaces: [] }), []);
    });

    it("flag a workload in the default namespace", () => {
        const d = withChange(compliantDeployment(), (x) => (x.metadata!.namespace = "default"));
        assert.deepStrictEqual(violations(disallowDefaultNamespace, d), [
            "Deployment default/api: is in the default namespace; move it to a platform namespace",
        ]);
        assert.deepStrictEqual(violations(disallowDefaultNamespace, compliantDeployment()), []);
    });
});
