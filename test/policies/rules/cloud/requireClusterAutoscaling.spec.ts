import * as assert from "assert";
import { requireClusterAutoscaling } from "../../../../policies/rules/cloud/requireClusterAutoscaling";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources, without, withCopy } from "./fixtures";

const AKS = "azure-native:containerservice:ManagedCluster";
const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const GKE = "gcp:container/cluster:Cluster";
const POOL = "gcp:container/nodePool:NodePool";
const NO_GKE_POOL = "Cluster voting-cluster has no node pool with autoscaling (a maximum above the minimum)";
const NO_AKS_POOL = "ManagedCluster voting-cluster has no agent pool with the cluster autoscaler on (enableAutoScaling, maxCount above minCount)";

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
    it("counts only the EKS cluster's own node groups", () => {
        let aws = awsResources();
        for (const i of [1, 2, 3]) aws = changed(aws, NODE_GROUP, `voting-cluster-zone-${i}`, (p) => (p.clusterName = "voting-staging"));
        assert.deepStrictEqual(cloudViolations(requireClusterAutoscaling, aws), [
            "Cluster voting-cluster has no node group that can scale (maxSize above minSize)",
        ]);
    });
    it("accepts a GKE pool with per-zone limits in the cluster's node locations", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAutoscaling,
                changed(gcpResources(), POOL, "voting-cluster-general", (p) => {
                    delete p.nodeLocations;
                    p.autoscaling = { minNodeCount: 1, maxNodeCount: 2 };
                }),
            ),
            [],
        );
    });
    it("refuses a GKE pool whose maximum equals its minimum, per zone or in total", () => {
        const limits = (autoscaling: Record<string, number>) =>
            cloudViolations(
                requireClusterAutoscaling,
                changed(gcpResources(), POOL, "voting-cluster-general", (p) => (p.autoscaling = autoscaling)),
            );
        assert.deepStrictEqual(limits({ minNodeCount: 2, maxNodeCount: 2 }), [NO_GKE_POOL]);
        assert.deepStrictEqual(limits({ totalMinNodeCount: 6, totalMaxNodeCount: 6 }), [NO_GKE_POOL]);
        assert.deepStrictEqual(limits({ minNodeCount: 1, maxNodeCount: 2 }), []);
        assert.deepStrictEqual(limits({ totalMaxNodeCount: 6 }), [], "an unset minimum is 0");
    });
    it("refuses a GKE pool in fewer node locations than the zones setting, in its own list or the cluster's", () => {
        const twoZones = (p: any) => (p.nodeLocations = ["europe-west1-b", "europe-west1-c"]);
        const message = "NodePool voting-cluster-general places nodes in 2 zone(s); list 3 nodeLocations";
        assert.deepStrictEqual(cloudViolations(requireClusterAutoscaling, changed(gcpResources(), POOL, "voting-cluster-general", twoZones)), [
            message,
        ]);
        assert.deepStrictEqual(
            cloudViolations(requireClusterAutoscaling, changed(gcpResources(), POOL, "voting-cluster-general", twoZones), { zones: 2 }),
            [],
        );
        const inherited = changed(
            changed(gcpResources(), POOL, "voting-cluster-general", (p) => delete p.nodeLocations),
            GKE,
            "voting-cluster",
            twoZones,
        );
        assert.deepStrictEqual(cloudViolations(requireClusterAutoscaling, inherited), [message]);
    });
    it("judges each of several GKE clusters by the pools that name it, by id or by name", () => {
        const two = withCopy(gcpResources(), GKE, "voting-cluster", "prod-cluster", (p) => (p.name = "prod"));
        assert.deepStrictEqual(cloudViolations(requireClusterAutoscaling, two), [
            "Cluster prod-cluster has no node pool with autoscaling (a maximum above the minimum)",
        ]);
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAutoscaling,
                withCopy(two, POOL, "voting-cluster-general", "prod-cluster-general", (p) => (p.cluster = "prod")),
            ),
            [],
        );
    });
    it("gives the only GKE cluster of the stack every node pool, whatever name the pool gives it", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAutoscaling,
                changed(gcpResources(), POOL, "voting-cluster-general", (p) => (p.cluster = "voting-prod-7c1e2a9")),
            ),
            [],
        );
    });
    it("refuses an AKS pool whose counts differ but whose autoscaler is off, and one whose maxCount equals its minCount", () => {
        const pool = (change: (p: any) => void) =>
            cloudViolations(
                requireClusterAutoscaling,
                changed(azureResources(), AKS, "voting-cluster", (c) => change(c.agentPoolProfiles[0])),
            );
        assert.deepStrictEqual(
            pool((p) => (p.enableAutoScaling = false)),
            [NO_AKS_POOL],
        );
        assert.deepStrictEqual(
            pool((p) => (p.maxCount = p.minCount)),
            [NO_AKS_POOL],
        );
        assert.deepStrictEqual(
            pool((p) => (p.maxCount = p.minCount + 1)),
            [],
        );
    });
    it("judges the zones of the AKS pools that autoscale only", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAutoscaling,
                changed(azureResources(), AKS, "voting-cluster", (c) =>
                    c.agentPoolProfiles.push({
                        ...c.agentPoolProfiles[0],
                        name: "batch",
                        mode: "User",
                        enableAutoScaling: false,
                        availabilityZones: ["1"],
                    }),
                ),
            ),
            [],
        );
    });
});
