import * as assert from "assert";
import { requireMetricsServer } from "../../../../policies/rules/cloud/requireMetricsServer";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, changed, without } from "./fixtures";

describe("require-metrics-server", () => {
    it("passes an EKS cluster with the metrics-server add-on (GKE and AKS run it themselves)", () => {
        assert.deepStrictEqual(cloudViolations(requireMetricsServer, allClouds()), []);
    });
    it("refuses an EKS cluster without it", () => {
        assert.deepStrictEqual(
            cloudViolations(requireMetricsServer, without(awsResources(), "aws:eks/addon:Addon", "voting-cluster-metrics-server")),
            ["Cluster voting-cluster has no metrics-server add-on; the HPA cannot read CPU usage"],
        );
    });
    it("refuses an EKS cluster whose metrics-server add-on belongs to another cluster", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireMetricsServer,
                changed(awsResources(), "aws:eks/addon:Addon", "voting-cluster-metrics-server", (p) => (p.clusterName = "voting-staging")),
            ),
            ["Cluster voting-cluster has no metrics-server add-on; the HPA cannot read CPU usage"],
        );
    });
});
