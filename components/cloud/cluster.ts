import type * as pulumi from "@pulumi/pulumi";
import { nodeShape } from "../../config/nodeTypes";
import type { PlatformConfig } from "../../config/types";
import { resolveWorkloads } from "../../config/workloads";
import { capacitySummary } from "../capacity";
import { AwsCluster } from "./aws/cluster";
import { AksCluster } from "./azure/cluster";
import { GkeCluster } from "./gcp/cluster";
import type { ClusterHandle } from "./identity";
import { nodePoolSizing, type NodePoolSizing } from "./nodeSizing";

/** Node pool bounds of the stack's cluster, from its workloads' requests at both ends of their scale. */
export function clusterSizing(cfg: PlatformConfig): NodePoolSizing | undefined {
    if (!cfg.cluster.create) return undefined;
    return nodePoolSizing(capacitySummary(cfg.environment, resolveWorkloads(cfg)), nodeShape(cfg.cloud.provider, cfg.cluster.nodeType)!);
}

/**
 * The cluster the stack creates on its cloud (`cluster.create: true`), or undefined when it targets an
 * existing one through the ambient kubeconfig.
 */
export function createCluster(name: string, cfg: PlatformConfig, opts?: pulumi.ComponentResourceOptions): ClusterHandle | undefined {
    const cluster = cfg.cluster;
    const sizing = clusterSizing(cfg);
    if (!cluster.create || !sizing) return undefined;
    const common = { kubernetesVersion: cfg.kubernetesVersion, cni: cfg.cni, stack: cfg.stack, sizing };
    const cloud = cfg.cloud;
    const net = cluster.network;
    if (cloud.provider === "aws" && net.provider === "aws")
        return new AwsCluster(name, { ...common, cluster: { ...cluster, network: net }, region: cloud.region }, opts);
    if (cloud.provider === "gcp" && net.provider === "gcp")
        return new GkeCluster(name, { ...common, cluster: { ...cluster, network: net }, project: cloud.project, region: cloud.region }, opts);
    if (cloud.provider === "azure" && net.provider === "azure")
        return new AksCluster(
            name,
            { ...common, cluster: { ...cluster, network: net }, resourceGroup: cloud.resourceGroup, region: cloud.region },
            opts,
        );
    throw new Error(`cluster network for ${net.provider} on a ${cloud.provider} stack`);
}
