import * as assert from "assert";
import { requireSupportedClusterVersion } from "../../../../policies/rules/cloud/requireSupportedClusterVersion";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources } from "./fixtures";

const EKS = "aws:eks/cluster:Cluster";
const GKE = "gcp:container/cluster:Cluster";
const AKS = "azure-native:containerservice:ManagedCluster";
const NODES = "aws:eks/nodeGroup:NodeGroup";

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
    it("accepts a cluster exactly on the minimum, with a patch version or a v prefix", () => {
        assert.deepStrictEqual(cloudViolations(requireSupportedClusterVersion, allClouds(), { minimum: "1.30" }), []);
        assert.deepStrictEqual(
            cloudViolations(
                requireSupportedClusterVersion,
                changed(gcpResources(), GKE, "voting-cluster", (p) => (p.minMasterVersion = "v1.28.9-gke.1000")),
            ),
            [],
        );
    });
    it("lets an EKS node group without a version follow its cluster, but refuses one pinned below the minimum", () => {
        const group = (change: (p: any) => void) => changed(awsResources(), NODES, "voting-cluster-zone-1", change);
        assert.deepStrictEqual(
            cloudViolations(
                requireSupportedClusterVersion,
                group((p) => delete p.version),
            ),
            [],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireSupportedClusterVersion,
                group((p) => (p.version = "1.26")),
            ),
            ["NodeGroup voting-cluster-zone-1 runs Kubernetes 1.26, older than the required 1.28"],
        );
    });
    it("refuses an EKS or AKS cluster that declares no version, or one that is not a Kubernetes 1.x version", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireSupportedClusterVersion,
                changed(awsResources(), EKS, "voting-cluster", (p) => delete p.version),
            ),
            ["Cluster voting-cluster declares no Kubernetes version (version); pin 1.28 or later"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireSupportedClusterVersion,
                changed(azureResources(), AKS, "voting-cluster", (p) => (p.kubernetesVersion = "latest")),
            ),
            ["ManagedCluster voting-cluster declares no Kubernetes version (kubernetesVersion); pin 1.28 or later"],
        );
    });
});
