import { at, isWorldCidr, label, list, ofType, T } from "../../lib/cloud";
import { defineRule, type CloudFinding } from "../../lib/rule";

/**
 * Checklist 4.4.2: kubectl reaches the API server only from known networks: a private endpoint, or a
 * public one restricted to an allow-list that does not include the whole internet.
 */
export const restrictClusterEndpoint = defineRule({
    scope: "cloud",
    name: "restrict-cluster-endpoint",
    description: "An EKS, GKE or AKS cluster's API endpoint is private, or public only to listed networks (never 0.0.0.0/0); GKE nodes are private.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set cluster.privateEndpoint: true, or cluster.authorizedCidrs to your networks: EKS vpcConfig.publicAccessCidrs, GKE masterAuthorizedNetworksConfig, AKS apiServerAccessProfile.authorizedIPRanges.",
    checklist: ["4.4.2"],
    check: (resources) => {
        const out: CloudFinding[] = [];
        const open = (cidrs: unknown[]) => cidrs.length === 0 || cidrs.some(isWorldCidr);
        for (const r of ofType(resources, T.eksCluster)) {
            if (at(r, "vpcConfig", "endpointPublicAccess") === false) continue;
            const cidrs = list(at(r, "vpcConfig", "publicAccessCidrs"));
            if (open(cidrs))
                out.push({
                    resource: r,
                    message: `${label(r)} opens its API endpoint to the internet; set vpcConfig.publicAccessCidrs to your networks or endpointPublicAccess: false`,
                });
        }
        for (const r of ofType(resources, T.gkeCluster)) {
            if (at(r, "privateClusterConfig", "enablePrivateNodes") !== true)
                out.push({ resource: r, message: `${label(r)} gives its nodes public addresses; set privateClusterConfig.enablePrivateNodes: true` });
            if (at(r, "privateClusterConfig", "enablePrivateEndpoint") === true) continue;
            const cidrs = list(at(r, "masterAuthorizedNetworksConfig", "cidrBlocks")).map((b) => at(b as Record<string, unknown>, "cidrBlock"));
            if (
                !at(r, "masterAuthorizedNetworksConfig") ||
                open(cidrs) ||
                at(r, "masterAuthorizedNetworksConfig", "gcpPublicCidrsAccessEnabled") === true
            )
                out.push({
                    resource: r,
                    message: `${label(r)} opens its API endpoint to the internet; list your networks in masterAuthorizedNetworksConfig or set privateClusterConfig.enablePrivateEndpoint`,
                });
        }
        for (const r of ofType(resources, T.aksCluster)) {
            if (at(r, "apiServerAccessProfile", "enablePrivateCluster") === true) continue;
            if (open(list(at(r, "apiServerAccessProfile", "authorizedIPRanges"))))
                out.push({
                    resource: r,
                    message: `${label(r)} opens its API endpoint to the internet; set apiServerAccessProfile.authorizedIPRanges or enablePrivateCluster`,
                });
        }
        return out;
    },
});
