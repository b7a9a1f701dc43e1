import type { NodeShape } from "../../config/nodeTypes";
import { cpuMillis, memoryBytes } from "../../policies/lib/quantity";
import type { CapacitySummary } from "../capacity";

/** The three zones a created cluster's nodes spread over (checklist 2.3.2 at the node level). */
export const ZONE_COUNT = 3;

/**
 * What a node cannot give the platform's pods, as estimates to be revisited with real measurements:
 * the kubelet and system reserve (a share of the node), and each node's DaemonSets (CNI agent,
 * kube-proxy, CSI node plugin, log shipper).
 */
export const NODE_RESERVE = { cpuShare: 0.1, memoryShare: 0.2, daemonSets: { cpu: "250m", memory: "384Mi" } } as const;

/**
 * Cluster-wide add-ons the platform relies on (CoreDNS, metrics-server, the cluster autoscaler,
 * ingress-nginx, cert-manager, External Secrets, KEDA, kube-prometheus-stack) plus the platform's Jobs.
 */
export const ADD_ON_REQUESTS = { cpu: "2", memory: "6Gi" } as const;

export interface NodePoolSizing {
    /** Nodes the requests need at the platform's minimum and maximum scale. */
    readonly nodesAtMin: number;
    readonly nodesAtMax: number;
    /** Autoscaling bounds of each zone's share of the pool. */
    readonly minPerZone: number;
    readonly maxPerZone: number;
    readonly min: number;
    readonly max: number;
}

function nodesFor(cpu: string, memory: string, node: NodeShape): number {
    const reserve = NODE_RESERVE.daemonSets;
    const nodeCpu = node.vcpus * 1000 * (1 - NODE_RESERVE.cpuShare) - cpuMillis(reserve.cpu)!;
    const nodeMemory = node.memoryGiB * 2 ** 30 * (1 - NODE_RESERVE.memoryShare) - memoryBytes(reserve.memory)!;
    const needCpu = cpuMillis(cpu)! + cpuMillis(ADD_ON_REQUESTS.cpu)!;
    const needMemory = memoryBytes(memory)! + memoryBytes(ADD_ON_REQUESTS.memory)!;
    return Math.max(1, Math.ceil(needCpu / nodeCpu), Math.ceil(needMemory / nodeMemory));
}

/**
 * Checklist 5.1.3, 5.3.3: node pool bounds from the platform's requests. At maximum scale any two zones
 * carry the whole load (a zone can fail), with one node more per zone for rolling updates, node upgrades
 * and drains; at minimum scale every zone keeps one node at least.
 */
export function nodePoolSizing(capacity: CapacitySummary, node: NodeShape): NodePoolSizing {
    const nodesAtMin = nodesFor(capacity.total.min.cpuRequests, capacity.total.min.memoryRequests, node);
    const nodesAtMax = nodesFor(capacity.total.max.cpuRequests, capacity.total.max.memoryRequests, node);
    const minPerZone = Math.max(1, Math.ceil(nodesAtMin / ZONE_COUNT));
    const maxPerZone = Math.max(minPerZone, Math.ceil(nodesAtMax / (ZONE_COUNT - 1)) + 1);
    return { nodesAtMin, nodesAtMax, minPerZone, maxPerZone, min: minPerZone * ZONE_COUNT, max: maxPerZone * ZONE_COUNT };
}
