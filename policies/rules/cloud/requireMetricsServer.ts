import { at, label, ofType, T } from "../../lib/cloud";
import { defineRule, type CloudFinding } from "../../lib/rule";

/**
 * Checklist 7.5.3: the HPA and `kubectl top` need metrics-server. GKE and AKS run it as part of the
 * managed control plane; an EKS cluster gets it only as an add-on, which the stack must create.
 */
export const requireMetricsServer = defineRule({
    scope: "cloud",
    name: "require-metrics-server",
    description: "An EKS cluster has the metrics-server add-on (GKE and AKS run metrics-server themselves).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Create an aws.eks.Addon with addonName metrics-server for the cluster (components/cloud/aws/cluster.ts does).",
    checklist: ["7.5.3"],
    check: (resources) => {
        const out: CloudFinding[] = [];
        for (const c of ofType(resources, T.eksCluster)) {
            const has = ofType(resources, T.eksAddon).some((a) => at(a, "addonName") === "metrics-server" && at(a, "clusterName") === at(c, "name"));
            if (!has) out.push({ resource: c, message: `${label(c)} has no metrics-server add-on; the HPA cannot read CPU usage` });
        }
        return out;
    },
});
