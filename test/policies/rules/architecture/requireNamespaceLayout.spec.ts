import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireNamespaceLayout } from "../../../../policies/rules/architecture/requireNamespaceLayout";
import { reportedOn, violations, withChange } from "../../../helpers/policy";

const NS = ["voting-frontend", "voting-api", "voting-consumer", "voting-data"];

function compliantLayout(): K8sObject[] {
    return NS.flatMap((ns) => [
        { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
        { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "compute", namespace: ns }, spec: { hard: { pods: "10" } } },
        { apiVersion: "v1", kind: "LimitRange", metadata: { name: "container-defaults", namespace: ns }, spec: { limits: [] } },
    ]);
}
const withLevel = (level: string | undefined) =>
    compliantLayout().map((o) =>
        o.kind === "Namespace" && o.metadata?.name === "voting-api"
            ? withChange(o, (x) => {
                  if (level === undefined) delete x.metadata!.labels;
                  else x.metadata!.labels!["pod-security.kubernetes.io/enforce"] = level;
              })
            : o,
    );
const enforces = (level: string, want: string) =>
    `Namespace voting-api enforces Pod Security ${JSON.stringify(level)}; label it pod-security.kubernetes.io/enforce: ${want}`;

describe(requireNamespaceLayout.name, () => {
    it("accepts the four namespaces with Pod Security, a quota and limit defaults", () => {
        assert.deepStrictEqual(violations(requireNamespaceLayout, compliantLayout()), []);
    });

    it("refuses a declared namespace that is not created", () => {
        const objs = compliantLayout().filter((o) => o.metadata?.name !== "voting-data" || o.kind !== "Namespace");
        assert.deepStrictEqual(violations(requireNamespaceLayout, objs), ["Namespace voting-data is declared in the layout but not created"]);
    });

    it("accepts the configured level and a stricter one, and refuses a weaker one, an unknown one or none", () => {
        assert.deepStrictEqual(violations(requireNamespaceLayout, withLevel("baseline"), { podSecurityLevel: "baseline" }), []);
        assert.deepStrictEqual(violations(requireNamespaceLayout, withLevel("restricted"), { podSecurityLevel: "baseline" }), []);
        assert.deepStrictEqual(violations(requireNamespaceLayout, withLevel("privileged"), { podSecurityLevel: "baseline" }), [
            enforces("privileged", "baseline"),
        ]);
        assert.deepStrictEqual(violations(requireNamespaceLayout, withLevel("baseline")), [enforces("baseline", "restricted")]);
        assert.deepStrictEqual(violations(requireNamespaceLayout, withLevel("strict"), { podSecurityLevel: "baseline" }), [
            enforces("strict", "baseline"),
        ]);
        assert.deepStrictEqual(violations(requireNamespaceLayout, withLevel(undefined)), [enforces("nothing", "restricted")]);
    });

    it("refuses a namespace without a ResourceQuota or a LimitRange of its own", () => {
        const objs = compliantLayout().map((o) =>
            o.metadata?.namespace === "voting-consumer" ? withChange(o, (x) => (x.metadata!.namespace = "voting-other")) : o,
        );
        assert.deepStrictEqual(violations(requireNamespaceLayout, objs), [
            "Namespace voting-consumer has no ResourceQuota; add one sized for its workloads at maximum scale",
            "Namespace voting-consumer has no LimitRange; add one with default requests and limits",
        ]);
        const noQuota = compliantLayout().filter((o) => !(o.kind === "ResourceQuota" && o.metadata?.namespace === "voting-api"));
        assert.deepStrictEqual(violations(requireNamespaceLayout, noQuota), [
            "Namespace voting-api has no ResourceQuota; add one sized for its workloads at maximum scale",
        ]);
    });

    it("judges the configured namespaces only, and nothing when none are declared (generic manifests)", () => {
        assert.deepStrictEqual(violations(requireNamespaceLayout, [], { namespaces: [] }), []);
        assert.deepStrictEqual(violations(requireNamespaceLayout, [], { namespaces: ["team-a"] }), [
            "Namespace team-a is declared in the layout but not created",
        ]);
    });

    it("does not take an object of another kind for a namespace of the same name, and reports a missing one on a Namespace of that name", () => {
        const objs = [...compliantLayout(), { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "voting-data", namespace: "voting-api" } }];
        assert.deepStrictEqual(violations(requireNamespaceLayout, objs), []);
        assert.deepStrictEqual(reportedOn(requireNamespaceLayout, [], { namespaces: ["team-a"] }), ["Namespace /team-a"]);
    });
});
