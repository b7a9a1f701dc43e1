import * as assert from "assert";
import { restrictClusterEndpoint } from "../../../../policies/rules/cloud/restrictClusterEndpoint";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources } from "./fixtures";

const EKS = "aws:eks/cluster:Cluster";
const GKE = "gcp:container/cluster:Cluster";
const AKS = "azure-native:containerservice:ManagedCluster";

describe("restrict-cluster-endpoint", () => {
    it("passes endpoints open only to listed networks, and private ones", () => {
        assert.deepStrictEqual(cloudViolations(restrictClusterEndpoint, allClouds()), []);
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(
                    awsResources(),
                    EKS,
                    "voting-cluster",
                    (p) => ((p.vpcConfig.endpointPublicAccess = false), delete p.vpcConfig.publicAccessCidrs),
                ),
            ),
            [],
        );
    });
    it("refuses 0.0.0.0/0 on EKS, an unlisted GKE endpoint with public nodes, and an AKS endpoint without ranges", () => {
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(awsResources(), EKS, "voting-cluster", (p) => (p.vpcConfig.publicAccessCidrs = ["0.0.0.0/0"])),
            ),
            [
                "Cluster voting-cluster opens its API endpoint to the internet; set vpcConfig.publicAccessCidrs to your networks or endpointPublicAccess: false",
            ],
        );
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(
                    gcpResources(),
                    GKE,
                    "voting-cluster",
                    (p) => ((p.privateClusterConfig.enablePrivateNodes = false), (p.masterAuthorizedNetworksConfig.cidrBlocks = [])),
                ),
            ),
            [
                "Cluster voting-cluster gives its nodes public addresses; set privateClusterConfig.enablePrivateNodes: true",
                "Cluster voting-cluster opens its API endpoint to the internet; list your networks in masterAuthorizedNetworksConfig or set privateClusterConfig.enablePrivateEndpoint",
            ],
        );
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(azureResources(), AKS, "voting-cluster", (p) => (p.apiServerAccessProfile = {})),
            ),
            [
                "ManagedCluster voting-cluster opens its API endpoint to the internet; set apiServerAccessProfile.authorizedIPRanges or enablePrivateCluster",
            ],
        );
    });
    it("refuses an allow-list that includes the whole internet next to listed networks", () => {
        const EKS_OPEN =
            "Cluster voting-cluster opens its API endpoint to the internet; set vpcConfig.publicAccessCidrs to your networks or endpointPublicAccess: false";
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(awsResources(), EKS, "voting-cluster", (p) => p.vpcConfig.publicAccessCidrs.push("0.0.0.0/0")),
            ),
            [EKS_OPEN],
        );
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(awsResources(), EKS, "voting-cluster", (p) => (p.vpcConfig.publicAccessCidrs = [])),
            ),
            [EKS_OPEN],
        );
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(azureResources(), AKS, "voting-cluster", (p) => p.apiServerAccessProfile.authorizedIPRanges.push("::/0")),
            ),
            [
                "ManagedCluster voting-cluster opens its API endpoint to the internet; set apiServerAccessProfile.authorizedIPRanges or enablePrivateCluster",
            ],
        );
    });
    it("refuses a GKE endpoint listing 0.0.0.0/0, or open to Google Cloud's public addresses", () => {
        const GKE_OPEN =
            "Cluster voting-cluster opens its API endpoint to the internet; list your networks in masterAuthorizedNetworksConfig or set privateClusterConfig.enablePrivateEndpoint";
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(gcpResources(), GKE, "voting-cluster", (p) =>
                    p.masterAuthorizedNetworksConfig.cidrBlocks.push({ cidrBlock: "0.0.0.0/0", displayName: "anywhere" }),
                ),
            ),
            [GKE_OPEN],
        );
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(gcpResources(), GKE, "voting-cluster", (p) => (p.masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled = true)),
            ),
            [GKE_OPEN],
        );
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(gcpResources(), GKE, "voting-cluster", (p) => delete p.masterAuthorizedNetworksConfig),
            ),
            [GKE_OPEN],
        );
    });
    it("passes a private GKE endpoint and a private AKS cluster without any allow-list", () => {
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(
                    gcpResources(),
                    GKE,
                    "voting-cluster",
                    (p) => ((p.privateClusterConfig.enablePrivateEndpoint = true), delete p.masterAuthorizedNetworksConfig),
                ),
            ),
            [],
        );
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(azureResources(), AKS, "voting-cluster", (p) => (p.apiServerAccessProfile = { enablePrivateCluster: true })),
            ),
            [],
        );
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(azureResources(), AKS, "voting-cluster", (p) => (p.apiServerAccessProfile = { enablePrivateCluster: false })),
            ),
            [
                "ManagedCluster voting-cluster opens its API endpoint to the internet; set apiServerAccessProfile.authorizedIPRanges or enablePrivateCluster",
            ],
        );
    });
});
