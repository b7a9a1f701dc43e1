import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireMinimumKubernetesVersion } from "../../../../policies/rules/architecture/requireMinimumKubernetesVersion";
import { violations } from "../../../helpers/policy";

const ns = (version?: string, name = "voting-api"): K8sObject => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, ...(version === undefined ? {} : { annotations: { "voting-platform.io/kubernetes-version": version } }) },
});
const CFG = { namespaces: ["voting-api"], minimum: "1.28" };
const older = (v: string, min = "1.28") => `Namespace voting-api targets Kubernetes ${v}, older than the required ${min}`;

describe(requireMinimumKubernetesVersion.name, () => {
    it("accepts the minimum version and later ones, compared as numbers", () => {
        for (const v of ["1.28", "1.29", "1.100"]) assert.deepStrictEqual(violations(requireMinimumKubernetesVersion, [ns(v)], CFG), [], v);
    });

    it("refuses the minor version just under the minimum", () => {
        assert.deepStrictEqual(violations(requireMinimumKubernetesVersion, [ns("1.27")], CFG), [older("1.27")]);
        assert.deepStrictEqual(violations(requireMinimumKubernetesVersion, [ns("1.29")], { ...CFG, minimum: "1.30" }), [older("1.29", "1.30")]);
    });

    it("refuses a version it cannot read as 1.<minor>", () => {
        for (const v of ["v1.30", "1.30.2", "1.x", "2"])
            assert.deepStrictEqual(violations(requireMinimumKubernetesVersion, [ns(v)], CFG), [older(v)], v);
    });

    it("refuses a declared namespace that states no version, or an empty one", () => {
        for (const v of [undefined, ""]) {
            assert.deepStrictEqual(violations(requireMinimumKubernetesVersion, [ns(v)], CFG), [
                "Namespace voting-api declares no Kubernetes version; annotate it voting-platform.io/kubernetes-version",
            ]);
        }
    });

    it("judges only the configured namespaces that are in the resource set, the platform's by default", () => {
        assert.deepStrictEqual(violations(requireMinimumKubernetesVersion, [ns(undefined, "other")], CFG), []);
        assert.deepStrictEqual(violations(requireMinimumKubernetesVersion, [], CFG), []);
        assert.deepStrictEqual(violations(requireMinimumKubernetesVersion, [ns("1.27", "voting-data")]), [
            "Namespace voting-data targets Kubernetes 1.27, older than the required 1.28",
        ]);
    });

    it("reads the annotation of the Namespace only, not of another object of that name", () => {
        const cm: K8sObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "voting-api", namespace: "voting-api" } };
        assert.deepStrictEqual(violations(requireMinimumKubernetesVersion, [cm, ns("1.30")], CFG), []);
    });
});
