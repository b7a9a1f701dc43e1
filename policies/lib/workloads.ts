/** Facts about workloads that need the whole resource set: who scales them, how many pods they keep, who selects them. */
import { nameOf, namespaceOf, num, record, records, str, type K8sObject, type PodTemplate } from "./k8s";
import { resourceSet } from "./resourceSet";

/** Controllers that keep pods running (probes, budgets and spreading concern them; Jobs are not among them). */
export const LONG_RUNNING = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Rollout"] as const;
/** Controllers whose replica count a person or an autoscaler chooses. */
export const SCALABLE = ["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout"] as const;

export const isKind = (obj: K8sObject, kinds: readonly string[]): boolean => kinds.includes(obj.kind);

/** A bare Pod that restarts (restartPolicy Always, the default) is long-running too. */
export function isLongRunning(obj: K8sObject): boolean {
    if (isKind(obj, LONG_RUNNING)) return true;
    return obj.kind === "Pod" && (record(obj.spec).restartPolicy ?? "Always") === "Always";
}

export interface Autoscaler {
    readonly object: K8sObject;
    readonly kind: "HorizontalPodAutoscaler" | "ScaledObject";
    readonly min: number;
    readonly max: number | undefined;
}

const targetKey = (ns: string | undefined, kind: unknown, name: unknown) => `${ns}\u0000${kind}\u0000${name}`;
const scalers = new WeakMap<readonly K8sObject[], Map<string, Autoscaler>>();

/** Every autoscaler of a set by the workload it targets (the first one in input order, when two target one workload). */
function autoscalersOf(objects: readonly K8sObject[]): Map<string, Autoscaler> {
    let map = scalers.get(objects);
    if (map) return map;
    map = new Map();
    for (const o of objects) {
        let found: { k: string; a: Autoscaler } | undefined;
        const spec = record(o.spec);
        const ref = record(spec.scaleTargetRef);
        if (o.kind === "HorizontalPodAutoscaler" && typeof ref.kind === "string" && typeof ref.name === "string") {
            found = {
                k: targetKey(namespaceOf(o), ref.kind, ref.name),
                a: { object: o, kind: o.kind, min: num(spec.minReplicas) ?? 1, max: num(spec.maxReplicas) },
            };
        } else if (o.kind === "ScaledObject" && typeof ref.name === "string" && (ref.kind ?? "Deployment") === str(ref.kind ?? "Deployment")) {
            found = {
                k: targetKey(namespaceOf(o), ref.kind ?? "Deployment", ref.name),
                a: { object: o, kind: o.kind, min: num(spec.minReplicaCount) ?? 0, max: num(spec.maxReplicaCount) ?? 100 },
            };
        }
        if (found && !map.has(found.k)) map.set(found.k, found.a);
    }
    scalers.set(objects, map);
    return map;
}

/** The HPA or KEDA ScaledObject that targets a workload, if any. */
export function autoscalerFor(workload: K8sObject, objects: readonly K8sObject[]): Autoscaler | undefined {
    return autoscalersOf(objects).get(targetKey(namespaceOf(workload), workload.kind, nameOf(workload)));
}

/** The fewest pods a workload keeps: its autoscaler's minimum, else `spec.replicas` (Kubernetes defaults it to 1). */
export function replicaFloor(workload: K8sObject, objects: readonly K8sObject[]): number {
    const scaler = autoscalerFor(workload, objects);
    if (scaler) return scaler.min;
    if (workload.kind === "Pod") return 1;
    return num(record(workload.spec).replicas) ?? 1;
}

/** Workloads (pod-bearing objects) of a namespace whose pod labels a selector matches. */
export function selectedWorkloads(selector: unknown, namespace: string | undefined, objects: readonly K8sObject[]): PodTemplate[] {
    return resourceSet(objects).workloadsMatching(namespace, selector);
}

/** A PodDisruptionBudget's minAvailable or maxUnavailable resolved against a pod count (percentages round up, as the controller does). */
export function resolveIntOrPercent(value: unknown, total: number): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value === "string") {
        const m = /^(\d+)%$/.exec(value.trim());
        if (m) return Math.ceil((Number(m[1]) * total) / 100);
        if (/^\d+$/.test(value.trim())) return Number(value);
    }
    return undefined;
}

/** Whether a named or numbered port is declared by any container of a pod. */
export function podHasPort(pod: PodTemplate, port: unknown): boolean {
    const ports = records(pod.spec.containers).flatMap((c) => records(c.ports));
    if (typeof port === "string" && !/^\d+$/.test(port)) return ports.some((p) => p.name === port);
    if (typeof port !== "string" && typeof port !== "number") return false;
    return ports.some((p) => p.containerPort === Number(port));
}
