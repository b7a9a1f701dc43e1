import * as assert from "assert";
import { requireSupportedClusterVersion } from "../../../../policies/rules/cloud/requireSupportedClusterVersion";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources } from "./fixtures";

const EKS = "aws:eks/cluster:Cluster";
const GKE = "gcp:container/cluster:Cluster";

describe("require-supported-cluster-version", () => {
    it("passes clusters and node groups on 1.30", () => {
        assert.deepStrictEqual(cloudViolations(requireSupportedClusterVersion, allClouds()), []);
    });
    it("refuses an EKS cluster on 1.27, a GKE cluster with no version, and an AKS cluster below a raised minimum", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireSupportedClusterVersion,
                changed(awsResources(), EKS, "voting-cluster", (p) => (p.version = "1.27")),
            ),
            ["Cluster voting-cluster runs Kubernetes 1.27, older than the required 1.28"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireSupportedClusterVersion,
                changed(gcpResources(), GKE, "voting-cluster", (p) => delete p.minMasterVersion),
            ),
            ["Cluster voting-cluster declares no Kubernetes version (minMasterVersion); pin 1.28 or later"],
        );
        assert.deepStrictEqual(cloudViolations(requireSupportedClusterVersion, azureResources(), { minimum: "1.31" }), [
            "ManagedCluster voting-cluster runs Kubernetes 1.30, older than the required 1.31",
        ]);
    });
});
