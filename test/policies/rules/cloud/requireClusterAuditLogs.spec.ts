import * as assert from "assert";
import { requireClusterAuditLogs } from "../../../../policies/rules/cloud/requireClusterAuditLogs";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources, without, withCopy } from "./fixtures";

const EKS = "aws:eks/cluster:Cluster";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const SINK = "gcp:logging/projectSink:ProjectSink";
const LOG_BUCKET = "gcp:logging/projectBucketConfig:ProjectBucketConfig";
const AKS = "azure-native:containerservice:ManagedCluster";
const DIAGNOSTIC = "azure-native:monitor:DiagnosticSetting";
const WORKSPACE = "azure-native:operationalinsights:Workspace";
const RG = "/subscriptions/sub/resourceGroups/voting-prod/providers";
const NO_SINK = "Cluster voting-cluster has no log sink routing its audit log to a bucket kept 90 days";
const NO_SETTING = "ManagedCluster voting-cluster has no diagnostic setting sending kube-audit to a Log Analytics workspace";

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
    it("accepts a log group that CloudWatch keeps forever: retentionInDays 0 or unset", () => {
        const forever = (change: (p: any) => void) => changed(awsResources(), LOG_GROUP, "voting-cluster-control-plane", change);
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAuditLogs,
                forever((p) => (p.retentionInDays = 0)),
            ),
            [],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAuditLogs,
                forever((p) => delete p.retentionInDays),
            ),
            [],
        );
    });
    it("refuses an EKS cluster whose log group is missing even where another cluster's log group is in the stack", () => {
        const other = withCopy(awsResources(), LOG_GROUP, "voting-cluster-control-plane", "staging-control-plane", (p) => {
            p.name = "/aws/eks/voting-staging/cluster";
        });
        assert.deepStrictEqual(cloudViolations(requireClusterAuditLogs, without(other, LOG_GROUP, "voting-cluster-control-plane")), [
            "Cluster voting-cluster has no log group /aws/eks/voting-prod/cluster in the stack; EKS would create one that keeps logs forever or not as set",
        ]);
    });
    it("refuses a GKE cluster whose only sink routes other logs, another cluster's audit log, or is disabled", () => {
        const sink = (change: (p: any) => void) =>
            cloudViolations(requireClusterAuditLogs, changed(gcpResources(), SINK, "voting-cluster-audit", change));
        assert.deepStrictEqual(
            sink((p) => (p.filter = 'resource.type="k8s_container" AND resource.labels.cluster_name="voting-prod"')),
            [NO_SINK],
        );
        assert.deepStrictEqual(
            sink((p) => (p.filter = p.filter.replace('cluster_name="voting-prod"', 'cluster_name="voting-staging"'))),
            [NO_SINK],
        );
        assert.deepStrictEqual(
            sink((p) => (p.disabled = true)),
            [NO_SINK],
        );
        assert.deepStrictEqual(
            sink((p) => (p.disabled = false)),
            [],
        );
    });
    it("judges only the sinks of the cluster's audit log, not a sink of another cluster to an unknown bucket", () => {
        const other = withCopy(gcpResources(), SINK, "voting-cluster-audit", "staging-audit", (p) => {
            p.filter = p.filter.replace('cluster_name="voting-prod"', 'cluster_name="voting-staging"');
            p.destination = "logging.googleapis.com/projects/voting-staging-1234/locations/global/buckets/staging-audit";
        });
        assert.deepStrictEqual(cloudViolations(requireClusterAuditLogs, other), []);
    });
    it("refuses an audit sink that writes to a log bucket not in the stack, or to no destination", () => {
        const sink = (change: (p: any) => void) =>
            cloudViolations(requireClusterAuditLogs, changed(gcpResources(), SINK, "voting-cluster-audit", change));
        const elsewhere = "logging.googleapis.com/projects/voting-prod-1234/locations/global/buckets/elsewhere";
        assert.deepStrictEqual(
            sink((p) => (p.destination = elsewhere)),
            [`ProjectSink voting-cluster-audit writes to ${elsewhere}, which is not a log bucket of the stack with a known retention`],
        );
        assert.deepStrictEqual(
            sink((p) => delete p.destination),
            ["ProjectSink voting-cluster-audit writes to no destination, which is not a log bucket of the stack with a known retention"],
        );
    });
    it("names the log bucket's retention, GCP's default of 30 days where retentionDays is unset", () => {
        const bucket = (change: (p: any) => void) =>
            cloudViolations(requireClusterAuditLogs, changed(gcpResources(), LOG_BUCKET, "voting-cluster-audit", change));
        assert.deepStrictEqual(
            bucket((p) => (p.retentionDays = 60)),
            ["ProjectBucketConfig voting-cluster-audit keeps the audit log 60 days; keep it at least 90 days"],
        );
        assert.deepStrictEqual(
            bucket((p) => delete p.retentionDays),
            ["ProjectBucketConfig voting-cluster-audit keeps the audit log 30 days; keep it at least 90 days"],
        );
    });
    it("accepts an AKS diagnostic setting with either kube-audit or kube-audit-admin on", () => {
        const only = (category: string) =>
            changed(azureResources(), DIAGNOSTIC, "voting-cluster-logs", (p) => {
                p.logs = p.logs.filter((l: any) => !l.category.startsWith("kube-audit") || l.category === category);
            });
        assert.deepStrictEqual(cloudViolations(requireClusterAuditLogs, only("kube-audit")), []);
        assert.deepStrictEqual(cloudViolations(requireClusterAuditLogs, only("kube-audit-admin")), []);
    });
    it("refuses an AKS diagnostic setting whose kube-audit categories are listed but disabled, or that belongs to another cluster", () => {
        const setting = (change: (p: any) => void) =>
            cloudViolations(requireClusterAuditLogs, changed(azureResources(), DIAGNOSTIC, "voting-cluster-logs", change));
        assert.deepStrictEqual(
            setting((p) => p.logs.forEach((l: any) => (l.enabled = !l.category.startsWith("kube-audit")))),
            [NO_SETTING],
        );
        assert.deepStrictEqual(
            setting((p) => (p.resourceUri = `${RG}/Microsoft.ContainerService/managedClusters/voting-staging`)),
            [NO_SETTING],
        );
    });
    it("matches an AKS cluster by resource id case-insensitively, and by name where resourceName is unset", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAuditLogs,
                changed(azureResources(), DIAGNOSTIC, "voting-cluster-logs", (p) => (p.resourceUri = p.resourceUri.toLowerCase())),
            ),
            [],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAuditLogs,
                changed(azureResources(), AKS, "voting-cluster", (p) => {
                    delete p.resourceName;
                    p.name = "Voting-Prod";
                }),
            ),
            [],
        );
    });
    it("refuses an AKS diagnostic setting that sends the audit log to no workspace or to one not in the stack", () => {
        const setting = (change: (p: any) => void) =>
            cloudViolations(requireClusterAuditLogs, changed(azureResources(), DIAGNOSTIC, "voting-cluster-logs", change));
        const elsewhere = `${RG}/Microsoft.OperationalInsights/workspaces/elsewhere`;
        assert.deepStrictEqual(
            setting((p) => (p.workspaceId = elsewhere)),
            [`DiagnosticSetting voting-cluster-logs sends the audit log to ${elsewhere}, not a workspace of the stack with a known retention`],
        );
        assert.deepStrictEqual(
            setting((p) => delete p.workspaceId),
            ["DiagnosticSetting voting-cluster-logs sends the audit log to no workspace, not a workspace of the stack with a known retention"],
        );
    });
    it("finds a workspace by name where workspaceName is unset, and names its retention, Azure's default of 30 days where unset", () => {
        const workspace = (change: (p: any) => void) =>
            cloudViolations(requireClusterAuditLogs, changed(azureResources(), WORKSPACE, "voting-cluster-logs", change));
        assert.deepStrictEqual(
            workspace((p) => {
                delete p.workspaceName;
                p.name = "voting-cluster-logs";
            }),
            [],
        );
        assert.deepStrictEqual(
            workspace((p) => (p.retentionInDays = 60)),
            ["Workspace voting-cluster-logs keeps the audit log 60 days; keep it at least 90 days"],
        );
        assert.deepStrictEqual(
            workspace((p) => delete p.retentionInDays),
            ["Workspace voting-cluster-logs keeps the audit log 30 days; keep it at least 90 days"],
        );
    });
});
