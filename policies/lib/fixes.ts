/**
 * What the pack's automatic fixes are made of. A fix reads a plain copy of the object and returns patches:
 * a field path and the value to set there. Setting values path by path is what lets the same fix change
 * CrossGuard's resource props in place, through the engine's proxies (which keep secret values secret and
 * do not survive array methods), and a plain object offline.
 */
import { containersOf, describe, podTemplate, type ContainerRef, type K8sObject, type PodTemplate } from "./k8s";

export type FieldPath = readonly (string | number)[];

export interface Patch {
    readonly path: FieldPath;
    readonly value: unknown;
    /** What the patch does, naming the object: `Deployment a/b: container "c" gets ...`. */
    readonly change: string;
}

/** Windows pods take no seccomp profile, capabilities or allowPrivilegeEscalation: the API server refuses them there. */
export const isWindowsPod = (pod: PodTemplate): boolean => pod.spec.os?.name === "windows";

/**
 * Whether a container is known to run as a non-root user: a non-zero runAsUser, or runAsNonRoot with no
 * UID 0, on the container or its pod. Such a process holds no capability from the default set, so dropping
 * ALL takes nothing from it.
 */
export function runsAsNonRoot(c: ContainerRef, pod: PodTemplate): boolean {
    const user = c.container.securityContext?.runAsUser ?? pod.spec.securityContext?.runAsUser;
    const nonRoot = c.container.securityContext?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot;
    return (typeof user === "number" && user > 0) || (nonRoot === true && user !== 0);
}

const LIST = { container: "containers", initContainer: "initContainers", ephemeralContainer: "ephemeralContainers" } as const;

/** Runs `patch` on every container of a workload, with the field path of the container in the object. */
export function patchContainers(
    obj: K8sObject,
    patch: (c: ContainerRef, pod: PodTemplate, at: FieldPath, say: (field: string, value: unknown) => Patch) => Patch | undefined,
): Patch[] {
    const pod = podTemplate(obj);
    if (!pod) return [];
    const base = pod.path.split(".");
    const seen: Record<string, number> = {};
    const out: Patch[] = [];
    for (const c of containersOf(pod.spec)) {
        const list = LIST[c.kind];
        const index = (pod.spec[list] as unknown[]).indexOf(c.container, seen[list] ?? 0);
        seen[list] = index + 1;
        const at = [...base, list, index];
        const say = (field: string, value: unknown): Patch => ({
            path: [...at, ...field.split(".")],
            value,
            change: `${describe(obj)}: ${c.label} gets ${field}: ${JSON.stringify(value)}`,
        });
        const p = patch(c, pod, at, say);
        if (p) out.push(p);
    }
    return out;
}

/** A patch of the pod spec itself. */
export function patchPod(obj: K8sObject, pod: PodTemplate, field: string, value: unknown): Patch {
    return {
        path: [...pod.path.split("."), ...field.split(".")],
        value,
        change: `${describe(obj)}: gets ${pod.path}.${field}: ${JSON.stringify(value)}`,
    };
}

/** Sets each patch's value at its path, creating the objects on the way; only plain property reads and writes. */
export function applyPatches(target: Record<string, unknown>, patches: readonly Patch[]): void {
    for (const { path, value } of patches) {
        let cur = target as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) {
            if (cur[key] === undefined || cur[key] === null || typeof cur[key] !== "object") cur[key] = {};
            cur = cur[key] as Record<string | number, unknown>;
        }
        cur[path[path.length - 1]] = value;
    }
}
