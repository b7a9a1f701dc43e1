import * as k8s from "@pulumi/kubernetes";
import { platformLabels } from "../labels";

/** The platform's pods outrank batch work and best-effort tenants when a node runs short (P.10). */
export const PRIORITY_CLASS = "voting-platform";

/** @default value 100000, well under system-cluster-critical (2000000000), preempting lower priorities. */
export function buildPriorityClass(stack: string): k8s.types.input.scheduling.v1.PriorityClass {
    return {
        metadata: { name: PRIORITY_CLASS, labels: platformLabels("scheduling", stack) },
        value: 100000,
        globalDefault: false,
        preemptionPolicy: "PreemptLowerPriority",
        description: "Pods of the voting platform: above batch work, below cluster-critical system pods.",
    };
}
