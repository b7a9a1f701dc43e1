import { parseQuantity } from "./quantity";
import { record, type ContainerRef } from "./k8s";

export type ResourceName = "cpu" | "memory";

/** A container's effective request: Kubernetes copies the limit when only a limit is set. */
export function effectiveRequest(c: ContainerRef, res: string): number | undefined {
    const r = record(c.container.resources);
    return parseQuantity(record(r.requests)[res]) ?? parseQuantity(record(r.limits)[res]);
}

export function limitOf(c: ContainerRef, res: string): number | undefined {
    return parseQuantity(record(record(c.container.resources).limits)[res]);
}

/** Containers that take part in scheduling and QoS (ephemeral containers take no resources). */
export const sized = (c: ContainerRef): boolean => c.kind !== "ephemeralContainer";
