import * as assert from "assert";
import { requireClusterAutoscaling } from "../../../../policies/rules/cloud/requireClusterAutoscaling";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources, without } from "./fixtures";

const AKS = "azure-native:containerservice:ManagedCluster";

describe("require-cluster-autoscaling", () => {
    it("passes node pools that scale over three zones", () => {
        assert.deepStrictEqual(cloudViolations(requireClusterAutoscaling, allClouds()), []);
    });
    it("refuses EKS node groups pinned to one size, a GKE pool without autoscaling, an AKS pool in one zone", () => {
        let aws = awsResources();
        for (const i of [1, 2, 3])
            aws = changed(aws, "aws:eks/nodeGroup:NodeGroup", `voting-cluster-zone-${i}`, (p) => (p.scalingConfig.maxSize = p.scalingConfig.minSize));
        assert.deepStrictEqual(cloudViolations(requireClusterAutoscaling, aws), [
            "Cluster voting-cluster has no node group that can scale (maxSize above minSize)",
        ]);
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAutoscaling,
                without(
                    without(awsResources(), "aws:eks/nodeGroup:NodeGroup", "voting-cluster-zone-2"),
                    "aws:eks/nodeGroup:NodeGroup",
                    "voting-cluster-zone-3",
                ),
            ),
            ["Cluster voting-cluster scales nodes in 1 subnet(s); spread its node groups over 3 zones"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAutoscaling,
                changed(gcpResources(), "gcp:container/nodePool:NodePool", "voting-cluster-general", (p) => delete p.autoscaling),
            ),
            ["Cluster voting-cluster has no node pool with autoscaling (a maximum above the minimum)"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAutoscaling,
                changed(azureResources(), AKS, "voting-cluster", (p) => (p.agentPoolProfiles[0].availabilityZones = ["1"])),
            ),
            ["ManagedCluster voting-cluster pool system spans 1 zone(s); set availabilityZones to 3"],
        );
    });
});
