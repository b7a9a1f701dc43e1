import { at, label, minorOf, ofType, T } from "../../lib/cloud";
import { text } from "../../lib/k8s";
import { defineRule, type CloudFinding } from "../../lib/rule";

/** Checklist 7.1.1: the version the cluster really runs, as the cloud resource declares it, is at least the minimum. */
export const requireSupportedClusterVersion = defineRule<{ minimum: string }>({
    scope: "cloud",
    name: "require-supported-cluster-version",
    description: "An EKS, GKE or AKS cluster, and its EKS node groups, run a declared Kubernetes version of at least the configured minimum.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set voting-platform:kubernetesVersion to a supported minor (the cluster's version, GKE's minMasterVersion) and upgrade older clusters first.",
    checklist: ["7.1.1"],
    settings: { minimum: { type: "string", pattern: "^1\\.\\d+$", description: "Oldest Kubernetes minor version accepted.", default: "1.28" } },
    check: (resources, cfg) => {
        const out: CloudFinding[] = [];
        const min = minorOf(cfg.minimum)!;
        const judge = (types: string[], field: string) => {
            for (const r of ofType(resources, types)) {
                const v = at(r, field);
                if (v === undefined && r.type === T.eksNodeGroup) continue; // node groups default to the cluster's version
                const minor = minorOf(v);
                if (minor === undefined)
                    out.push({ resource: r, message: `${label(r)} declares no Kubernetes version (${field}); pin ${cfg.minimum} or later` });
                else if (minor < min)
                    out.push({ resource: r, message: `${label(r)} runs Kubernetes ${text(v)}, older than the required ${cfg.minimum}` });
            }
        };
        judge([T.eksCluster, T.eksNodeGroup], "version");
        judge([T.gkeCluster], "minMasterVersion");
        judge([T.aksCluster], "kubernetesVersion");
        return out;
    },
});
