import * as assert from "assert";
import { requireClusterAuditLogs } from "../../../../policies/rules/cloud/requireClusterAuditLogs";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources, without } from "./fixtures";

const EKS = "aws:eks/cluster:Cluster";

describe("require-cluster-audit-logs", () => {
    it("passes audit logs kept 90 days on each cloud", () => {
        assert.deepStrictEqual(cloudViolations(requireClusterAuditLogs, allClouds()), []);
    });
    it("refuses an EKS cluster without the audit log type, and a log group kept 30 days", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAuditLogs,
                changed(awsResources(), EKS, "voting-cluster", (p) => (p.enabledClusterLogTypes = ["api"])),
            ),
            ['Cluster voting-cluster does not ship its audit log; add "audit" to enabledClusterLogTypes'],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAuditLogs,
                changed(awsResources(), "aws:cloudwatch/logGroup:LogGroup", "voting-cluster-control-plane", (p) => (p.retentionInDays = 30)),
            ),
            ["LogGroup voting-cluster-control-plane keeps the audit log 30 days; keep it at least 90 days"],
        );
    });
    it("refuses an EKS cluster whose log group is not in the stack", () => {
        assert.deepStrictEqual(
            cloudViolations(requireClusterAuditLogs, without(awsResources(), "aws:cloudwatch/logGroup:LogGroup", "voting-cluster-control-plane")),
            [
                "Cluster voting-cluster has no log group /aws/eks/voting-prod/cluster in the stack; EKS would create one that keeps logs forever or not as set",
            ],
        );
    });
    it("refuses a GKE cluster without an audit sink, and a log bucket kept 30 days", () => {
        assert.deepStrictEqual(
            cloudViolations(requireClusterAuditLogs, without(gcpResources(), "gcp:logging/projectSink:ProjectSink", "voting-cluster-audit")),
            ["Cluster voting-cluster has no log sink routing its audit log to a bucket kept 90 days"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAuditLogs,
                changed(gcpResources(), "gcp:logging/projectBucketConfig:ProjectBucketConfig", "voting-cluster-audit", (p) => (p.retentionDays = 30)),
            ),
            ["ProjectBucketConfig voting-cluster-audit keeps the audit log 30 days; keep it at least 90 days"],
        );
    });
    it("refuses an AKS cluster whose diagnostic setting leaves kube-audit off, and a workspace kept 30 days", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAuditLogs,
                changed(
                    azureResources(),
                    "azure-native:monitor:DiagnosticSetting",
                    "voting-cluster-logs",
                    (p) => (p.logs = p.logs.filter((l: any) => !l.category.startsWith("kube-audit"))),
                ),
            ),
            ["ManagedCluster voting-cluster has no diagnostic setting sending kube-audit to a Log Analytics workspace"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAuditLogs,
                changed(azureResources(), "azure-native:operationalinsights:Workspace", "voting-cluster-logs", (p) => (p.retentionInDays = 30)),
            ),
            ["Workspace voting-cluster-logs keeps the audit log 30 days; keep it at least 90 days"],
        );
    });
    it("takes the retention from its settings", () => {
        assert.deepStrictEqual(cloudViolations(requireClusterAuditLogs, awsResources(), { retentionDays: 365 }), [
            "LogGroup voting-cluster-control-plane keeps the audit log 90 days; keep it at least 365 days",
        ]);
    });
    it("accepts a log group kept exactly retentionDays and refuses one a day shorter", () => {
        const group = (days: number) =>
            changed(awsResources(), "aws:cloudwatch/logGroup:LogGroup", "voting-cluster-control-plane", (p) => (p.retentionInDays = days));
        assert.deepStrictEqual(cloudViolations(requireClusterAuditLogs, group(90)), []);
        assert.deepStrictEqual(cloudViolations(requireClusterAuditLogs, group(89)), [
            "LogGroup voting-cluster-control-plane keeps the audit log 89 days; keep it at least 90 days",
        ]);
        assert.deepStrictEqual(cloudViolations(requireClusterAuditLogs, group(89), { retentionDays: 89 }), []);
    });
});
