import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireEnforcingCni } from "../../../../policies/rules/network/requireEnforcingCni";
import { violations } from "../../../helpers/policy";

const ns = (cni?: string, name = "voting-api"): K8sObject => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, ...(cni === undefined ? {} : { annotations: { "networking.voting-platform.io/cni": cni } }) },
});
const CFG = { namespaces: ["voting-api"] };

describe(requireEnforcingCni.name, () => {
    it("accepts every CNI known to enforce NetworkPolicy", () => {
        for (const cni of ["calico", "cilium", "aws-vpc-cni", "azure-npm", "gke-dataplane-v2", "antrea"]) {
            assert.deepStrictEqual(violations(requireEnforcingCni, [ns(cni)], CFG), [], cni);
        }
    });

    it("refuses a CNI that does not enforce NetworkPolicy, and one spelled differently", () => {
        for (const cni of ["flannel", "Calico", "kubenet"]) {
            assert.deepStrictEqual(violations(requireEnforcingCni, [ns(cni)], CFG), [
                `Namespace voting-api runs on CNI ${JSON.stringify(cni)}, which does not enforce NetworkPolicy`,
            ]);
        }
        assert.deepStrictEqual(violations(requireEnforcingCni, [ns("weave")], { ...CFG, enforcing: ["weave"] }), []);
    });

    it("refuses a declared namespace that names no CNI, or an empty one", () => {
        for (const cni of [undefined, ""]) {
            assert.deepStrictEqual(violations(requireEnforcingCni, [ns(cni)], CFG), [
                "Namespace voting-api declares no CNI; annotate it networking.voting-platform.io/cni with the cluster's CNI",
            ]);
        }
    });

    it("judges only the configured namespaces present in the resource set, the platform's by default", () => {
        assert.deepStrictEqual(violations(requireEnforcingCni, [ns(undefined, "other")], CFG), []);
        assert.deepStrictEqual(violations(requireEnforcingCni, [], CFG), []);
        assert.strictEqual(violations(requireEnforcingCni, [ns("flannel", "voting-data")]).length, 1);
    });

    it("reads the annotation of the Namespace only, not of another object of that name", () => {
        const cm: K8sObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "voting-api", namespace: "voting-api" } };
        assert.deepStrictEqual(violations(requireEnforcingCni, [cm, ns("calico")], CFG), []);
    });
});
