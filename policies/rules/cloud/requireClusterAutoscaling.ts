import { at, label, list, ofType, str, T } from "../../lib/cloud";
import { text } from "../../lib/k8s";
import { defineRule, type CloudFinding, type CloudResource } from "../../lib/rule";

const num = (v: unknown) => (typeof v === "number" ? v : 0);

/**
 * Checklist 5.1.3: the cluster's nodes scale with the pods that are pending, over at least `zones`
 * zones: EKS node groups with room between their bounds in that many subnets, a GKE node pool with
 * autoscaling over that many node locations, an AKS pool with the cluster autoscaler over that many zones.
 */
export const requireClusterAutoscaling = defineRule<{ zones: number }>({
    scope: "cloud",
    name: "require-cluster-autoscaling",
    description: "An EKS, GKE or AKS cluster's nodes autoscale (a maximum above the minimum) across at least the configured number of zones.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Create the cluster with the program's node pools (components/cloud/*/cluster.ts): EKS node groups per zone with maxSize above minSize, GKE node pool autoscaling over three node locations, AKS enableAutoScaling over zones 1-3.",
    checklist: ["5.1.3"],
    settings: { zones: { type: "integer", minimum: 1, description: "Fewest zones the nodes spread over.", default: 3 } },
    check: (resources, cfg) => {
        const out: CloudFinding[] = [];
        for (const c of ofType(resources, T.eksCluster)) {
            const groups = ofType(resources, T.eksNodeGroup).filter((g) => at(g, "clusterName") === at(c, "name"));
            const scaling = groups.filter((g) => num(at(g, "scalingConfig", "maxSize")) > num(at(g, "scalingConfig", "minSize")));
            const subnets = new Set(scaling.flatMap((g) => list(at(g, "subnetIds")).map(text)));
            if (scaling.length === 0) out.push({ resource: c, message: `${label(c)} has no node group that can scale (maxSize above minSize)` });
            else if (subnets.size < cfg.zones)
                out.push({
                    resource: c,
                    message: `${label(c)} scales nodes in ${subnets.size} subnet(s); spread its node groups over ${cfg.zones} zones`,
                });
        }
        // GKE takes either per-zone limits or total limits, never both; either pair scales when its maximum is above its minimum.
        const gkePool = (p: CloudResource) => {
            const a = (k: string) => num(at(p, "autoscaling", k));
            return !!at(p, "autoscaling") && (a("maxNodeCount") > a("minNodeCount") || a("totalMaxNodeCount") > a("totalMinNodeCount"));
        };
        for (const c of ofType(resources, T.gkeCluster)) {
            const name = text(at(c, "name"));
            // A pool names its cluster by name or by id (`projects/<p>/locations/<l>/clusters/<name>`).
            const pools = ofType(resources, T.gkeNodePool).filter((p) => {
                const ref = text(at(p, "cluster"));
                return ref === name || ref.endsWith(`/${name}`) || ofType(resources, T.gkeCluster).length === 1;
            });
            const scaling = pools.filter(gkePool);
            if (scaling.length === 0)
                out.push({ resource: c, message: `${label(c)} has no node pool with autoscaling (a maximum above the minimum)` });
            for (const p of scaling) {
                const zones = list(at(p, "nodeLocations")).length || list(at(c, "nodeLocations")).length;
                if (zones < cfg.zones)
                    out.push({ resource: p, message: `${label(p)} places nodes in ${zones} zone(s); list ${cfg.zones} nodeLocations` });
            }
        }
        for (const c of ofType(resources, T.aksCluster)) {
            const pools = list(at(c, "agentPoolProfiles")) as Record<string, unknown>[];
            const scaling = pools.filter((p) => at(p, "enableAutoScaling") === true && num(at(p, "maxCount")) > num(at(p, "minCount")));
            if (scaling.length === 0)
                out.push({
                    resource: c,
                    message: `${label(c)} has no agent pool with the cluster autoscaler on (enableAutoScaling, maxCount above minCount)`,
                });
            for (const p of scaling) {
                const zones = list(at(p, "availabilityZones")).length;
                if (zones < cfg.zones)
                    out.push({
                        resource: c,
                        message: `${label(c)} pool ${str(at(p, "name"))} spans ${zones} zone(s); set availabilityZones to ${cfg.zones}`,
                    });
            }
        }
        return out;
    },
});
