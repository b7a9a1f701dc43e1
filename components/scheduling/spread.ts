import type * as k8s from "@pulumi/kubernetes";

/** Prefer one replica per node (checklist 2.3.2): a soft rule, so a small cluster still schedules. */
export function preferOnePerNode(selector: Record<string, string>): k8s.types.input.core.v1.Affinity {
    return {
        podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
                { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: selector }, topologyKey: "kubernetes.io/hostname" } },
            ],
        },
    };
}
