import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireMinimumKubernetesVersion } from "../../../../policies/rules/architecture/requireMinimumKubernetesVersion";
import { disallowDeprecatedApis } from "../../../../policies/rules/operations/disallowDeprecatedApis";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const ns = (annotations?: Record<string, string>): K8sObject => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "voting-api", ...(annotations ? { annotations } : {}) },
});

describe("upgrade policies (4.3.1, 7.1.1)", () => {
    it("disallow-deprecated-apis accepts current API versions", () => {
        assert.deepStrictEqual(violations(disallowDeprecatedApis, compliantDeployment(), { kubernetesVersion: "1.30" }), []);
    });

    it("disallow-deprecated-apis names the removal and the replacement, against the target version", () => {
        const pdb: K8sObject = {
            apiVersion: "policy/v1beta1",
            kind: "PodDisruptionBudget",
            metadata: { name: "api", namespace: "voting-api" },
            spec: {},
        };
        assert.deepStrictEqual(violations(disallowDeprecatedApis, pdb, { kubernetesVersion: "1.30" }), [
            "PodDisruptionBudget voting-api/api: uses policy/v1beta1, removed in Kubernetes 1.25; use policy/v1 (PodSecurityPolicy has no successor: use Pod Security Admission)",
        ]);
        assert.deepStrictEqual(violations(disallowDeprecatedApis, pdb, { kubernetesVersion: "1.24" }), [], "still served on 1.24");
        const old = withChange(compliantDeployment(), (x) => (x.apiVersion = "extensions/v1beta1"));
        assert.strictEqual(violations(disallowDeprecatedApis, old, { kubernetesVersion: "1.28" }).length, 1);
    });

    it("require-minimum-kubernetes-version wants each namespace to declare a recent enough version", () => {
        const cfg = { namespaces: ["voting-api"], minimum: "1.28" };
        assert.deepStrictEqual(violations(requireMinimumKubernetesVersion, [ns({ "voting-platform.io/kubernetes-version": "1.30" })], cfg), []);
        assert.deepStrictEqual(violations(requireMinimumKubernetesVersion, [ns({ "voting-platform.io/kubernetes-version": "1.27" })], cfg), [
            "Namespace voting-api targets Kubernetes 1.27, older than the required 1.28",
        ]);
        assert.deepStrictEqual(violations(requireMinimumKubernetesVersion, [ns()], cfg), [
            "Namespace voting-api declares no Kubernetes version; annotate it voting-platform.io/kubernetes-version",
        ]);
    });
});
