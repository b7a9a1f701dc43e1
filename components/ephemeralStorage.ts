import { formatMemory, memoryBytes } from "../policies/lib/quantity";

/** What a container on a read-only root writes outside its volumes: its logs, kept by the kubelet until rotated. */
export const LOG_ALLOWANCE = "256Mi";
/** What each container asks the scheduler for: its logs and a little scratch in normal use. */
export const EPHEMERAL_REQUEST = "64Mi";

/**
 * Ephemeral-storage request and limit for a container (checklist P.13): the limit covers the emptyDir
 * volumes it writes (each capped by its sizeLimit) plus its logs, so only a runaway container is evicted,
 * before the node comes under disk pressure.
 */
export function ephemeralStorage(scratchSizes: readonly string[]): { request: string; limit: string } {
    const bytes = [LOG_ALLOWANCE, ...scratchSizes].reduce((sum, s) => sum + memoryBytes(s)!, 0);
    return { request: EPHEMERAL_REQUEST, limit: formatMemory(bytes) };
}

/** A container's resources with its ephemeral-storage request and limit added. */
export function withEphemeralStorage<R extends { requests: Record<string, string>; limits: Record<string, string> }>(
    resources: R,
    scratchSizes: readonly string[],
): R {
    const e = ephemeralStorage(scratchSizes);
    return {
        ...resources,
        requests: { ...resources.requests, "ephemeral-storage": e.request },
        limits: { ...resources.limits, "ephemeral-storage": e.limit },
    };
}
