/**
 * Node types a created cluster may use, with the vCPUs and memory the cloud sells them with. The node
 * pools are sized from these (components/cloud/nodeSizing.ts), so a type not listed here cannot be sized
 * and is refused; add a type here to allow it.
 */

export interface NodeShape {
    readonly vcpus: number;
    readonly memoryGiB: number;
}

export const NODE_TYPES = {
    aws: {
        "m6i.large": { vcpus: 2, memoryGiB: 8 },
        "m6i.xlarge": { vcpus: 4, memoryGiB: 16 },
        "m6i.2xlarge": { vcpus: 8, memoryGiB: 32 },
        "m7i.large": { vcpus: 2, memoryGiB: 8 },
        "m7i.xlarge": { vcpus: 4, memoryGiB: 16 },
        "m7i.2xlarge": { vcpus: 8, memoryGiB: 32 },
        "r6i.large": { vcpus: 2, memoryGiB: 16 },
        "r6i.xlarge": { vcpus: 4, memoryGiB: 32 },
    },
    gcp: {
        "e2-standard-2": { vcpus: 2, memoryGiB: 8 },
        "e2-standard-4": { vcpus: 4, memoryGiB: 16 },
        "e2-standard-8": { vcpus: 8, memoryGiB: 32 },
        "n2-standard-2": { vcpus: 2, memoryGiB: 8 },
        "n2-standard-4": { vcpus: 4, memoryGiB: 16 },
        "n2-standard-8": { vcpus: 8, memoryGiB: 32 },
    },
    azure: {
        Standard_D2s_v5: { vcpus: 2, memoryGiB: 8 },
        Standard_D4s_v5: { vcpus: 4, memoryGiB: 16 },
        Standard_D8s_v5: { vcpus: 8, memoryGiB: 32 },
        Standard_D4as_v5: { vcpus: 4, memoryGiB: 16 },
        Standard_E4s_v5: { vcpus: 4, memoryGiB: 32 },
    },
} as const satisfies Record<"aws" | "gcp" | "azure", Record<string, NodeShape>>;

/** @default the node type of each cloud when `cluster.nodeType` is not set. */
export const DEFAULT_NODE_TYPE = { aws: "m6i.xlarge", gcp: "e2-standard-4", azure: "Standard_D4s_v5" } as const;

export function nodeShape(provider: keyof typeof NODE_TYPES, type: string): NodeShape | undefined {
    return (NODE_TYPES[provider] as Record<string, NodeShape>)[type];
}
