import { at, label, list, ofType, str, T } from "../../lib/cloud";
import { text } from "../../lib/k8s";
import { defineRule, type CloudFinding, type CloudResource } from "../../lib/rule";

const num = (v: unknown) => (typeof v === "number" ? v : undefined);

/**
 * Checklist 4.4.3, 6.4.1: the control plane's audit log is on and kept at least `retentionDays` in the
 * cloud's log service: EKS's `audit` log type into `/aws/eks/<name>/cluster`, GKE's audit entries routed
 * by a sink into a log bucket, AKS's `kube-audit` categories into a Log Analytics workspace.
 */
export const requireClusterAuditLogs = defineRule<{ retentionDays: number }>({
    scope: "cloud",
    name: "require-cluster-audit-logs",
    description:
        "An EKS, GKE or AKS cluster sends its Kubernetes audit log to the cloud's log service, which keeps it at least the configured number of days.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "EKS: enable the audit log type and create /aws/eks/<name>/cluster with retentionInDays; GKE: route the cluster's cloudaudit entries to a log bucket with retentionDays; AKS: a diagnostic setting with kube-audit and kube-audit-admin to a workspace with retentionInDays.",
    checklist: ["4.4.3", "6.4.1"],
    settings: { retentionDays: { type: "integer", minimum: 1, description: "Fewest days the audit log is kept.", default: 90 } },
    check: (resources, cfg) => {
        const out: CloudFinding[] = [];
        const short = (r: CloudResource, days: number, what: string) =>
            out.push({ resource: r, message: `${label(r)} keeps ${what} ${days} days; keep it at least ${cfg.retentionDays} days` });

        for (const c of ofType(resources, T.eksCluster)) {
            const name = str(at(c, "name"));
            if (!list(at(c, "enabledClusterLogTypes")).includes("audit")) {
                out.push({ resource: c, message: `${label(c)} does not ship its audit log; add "audit" to enabledClusterLogTypes` });
                continue;
            }
            const group = ofType(resources, T.logGroup).find((g) => at(g, "name") === `/aws/eks/${name}/cluster`);
            if (!group)
                out.push({
                    resource: c,
                    message: `${label(c)} has no log group /aws/eks/${name}/cluster in the stack; EKS would create one that keeps logs forever or not as set`,
                });
            else {
                // CloudWatch keeps a log group without retentionInDays, or with 0, forever.
                const days = num(at(group, "retentionInDays")) ?? 0;
                if (days !== 0 && days < cfg.retentionDays) short(group, days, "the audit log");
            }
        }

        for (const c of ofType(resources, T.gkeCluster)) {
            const name = str(at(c, "name"));
            const sinks = ofType(resources, T.logSink).filter((s) => {
                const filter = str(at(s, "filter")) ?? "";
                return filter.includes("cloudaudit.googleapis.com") && filter.includes(`cluster_name="${name}"`) && at(s, "disabled") !== true;
            });
            if (sinks.length === 0) {
                out.push({ resource: c, message: `${label(c)} has no log sink routing its audit log to a bucket kept ${cfg.retentionDays} days` });
                continue;
            }
            for (const s of sinks) {
                const dest = str(at(s, "destination")) ?? "";
                const bucket = ofType(resources, T.logBucket).find((b) => dest.endsWith(`/buckets/${at(b, "bucketId")}`));
                if (!bucket)
                    out.push({
                        resource: s,
                        message: `${label(s)} writes to ${dest || "no destination"}, which is not a log bucket of the stack with a known retention`,
                    });
                else if ((num(at(bucket, "retentionDays")) ?? 30) < cfg.retentionDays)
                    short(bucket, num(at(bucket, "retentionDays")) ?? 30, "the audit log");
            }
        }

        for (const c of ofType(resources, T.aksCluster)) {
            const name = str(at(c, "resourceName")) ?? str(at(c, "name"));
            const settings = ofType(resources, T.diagnosticSetting).filter((d) => {
                const uri = str(at(d, "resourceUri")) ?? "";
                const audit = list(at(d, "logs")).some(
                    (l) =>
                        ["kube-audit", "kube-audit-admin"].includes(text(at(l as Record<string, unknown>, "category"))) &&
                        at(l as Record<string, unknown>, "enabled") === true,
                );
                return audit && uri.toLowerCase().endsWith(`/managedclusters/${text(name).toLowerCase()}`);
            });
            if (settings.length === 0) {
                out.push({ resource: c, message: `${label(c)} has no diagnostic setting sending kube-audit to a Log Analytics workspace` });
                continue;
            }
            for (const d of settings) {
                const ws = str(at(d, "workspaceId")) ?? "";
                const workspace = ofType(resources, T.workspace).find((w) =>
                    ws.toLowerCase().endsWith(`/workspaces/${text(at(w, "workspaceName") ?? at(w, "name")).toLowerCase()}`),
                );
                if (!workspace)
                    out.push({
                        resource: d,
                        message: `${label(d)} sends the audit log to ${ws || "no workspace"}, not a workspace of the stack with a known retention`,
                    });
                else if ((num(at(workspace, "retentionInDays")) ?? 30) < cfg.retentionDays)
                    short(workspace, num(at(workspace, "retentionInDays")) ?? 30, "the audit log");
            }
        }
        return out;
    },
});
