import { parseQuantity } from "./quantity";
import type { ContainerRef } from "./k8s";

export type ResourceName = "cpu" | "memory";

/** A container's effective request: Kubernetes copies the limit when only a limit is set. */
export function effectiveRequest(c: ContainerRef, res: string): number | undefined {
    const r = c.container.resources ?? {};
    return parseQuantity(r.requests?.[res]) ?? parseQuantity(r.limits?.[res]);
}

export function limitOf(c: ContainerRef, res: string): number | undefined {
    return parseQuantity(c.container.resources?.limits?.[res]);
}

/** Containers that take part in scheduling and QoS (ephemeral containers take no resources). */
export const sized = (c: ContainerRef): boolean => c.kind !== "ephemeralContainer";
