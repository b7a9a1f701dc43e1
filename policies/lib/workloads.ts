/** Facts about workloads that need the whole resource set: who scales them, how many pods they keep, who selects them. */
import { namespaceOf, nameOf, podTemplate, selectorMatches, type K8sObject, type PodTemplate } from "./k8s";

/** Controllers that keep pods running (probes, budgets and spreading concern them; Jobs are not among them). */
export const LONG_RUNNING = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"] as const;
/** Controllers whose replica count a person or an autoscaler chooses. */
export const SCALABLE = ["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController"] as const;

export const isKind = (obj: K8sObject, kinds: readonly string[]): boolean => kinds.includes(obj.kind);

/** A bare Pod that restarts (restartPolicy Always, the default) is long-running too. */
export function isLongRunning(obj: K8sObject): boolean {
    if (isKind(obj, LONG_RUNNING)) return true;
    return obj.kind === "Pod" && (obj.spec?.restartPolicy ?? "Always") === "Always";
}

export interface Autoscaler {
    readonly object: K8sObject;
    readonly kind: "HorizontalPodAutoscaler" | "ScaledObject";
    readonly min: number;
    readonly max: number | undefined;
}

/** The HPA or KEDA ScaledObject that targets a workload, if any. */
export function autoscalerFor(workload: K8sObject, objects: readonly K8sObject[]): Autoscaler | undefined {
    const ns = namespaceOf(workload);
    for (const o of objects) {
        if (namespaceOf(o) !== ns) continue;
        if (o.kind === "HorizontalPodAutoscaler") {
            const ref = o.spec?.scaleTargetRef ?? {};
            if (ref.kind === workload.kind && ref.name === nameOf(workload)) {
                return { object: o, kind: o.kind, min: o.spec?.minReplicas ?? 1, max: o.spec?.maxReplicas };
            }
        }
        if (o.kind === "ScaledObject") {
            const ref = o.spec?.scaleTargetRef ?? {};
            if ((ref.kind ?? "Deployment") === workload.kind && ref.name === nameOf(workload)) {
                return { object: o, kind: o.kind, min: o.spec?.minReplicaCount ?? 0, max: o.spec?.maxReplicaCount ?? 100 };
            }
        }
    }
    return undefined;
}

/** The fewest pods a workload keeps: its autoscaler's minimum, else `spec.replicas` (Kubernetes defaults it to 1). */
export function replicaFloor(workload: K8sObject, objects: readonly K8sObject[]): number {
    const scaler = autoscalerFor(workload, objects);
    if (scaler) return scaler.min;
    if (workload.kind === "Pod") return 1;
    return typeof workload.spec?.replicas === "number" ? workload.spec.replicas : 1;
}

/** Workloads (pod-bearing objects) of a namespace whose pod labels a selector matches. */
export function selectedWorkloads(selector: unknown, namespace: string | undefined, objects: readonly K8sObject[]): PodTemplate[] {
    const out: PodTemplate[] = [];
    for (const o of objects) {
        if (namespaceOf(o) !== namespace) continue;
        const pod = podTemplate(o);
        if (pod && selectorMatches(selector, pod.metadata.labels)) out.push(pod);
    }
    return out;
}

/** A PodDisruptionBudget's minAvailable or maxUnavailable resolved against a pod count (percentages round up, as the controller does). */
export function resolveIntOrPercent(value: unknown, total: number): number | undefined {
    if (typeof value === "number") return value;
    if (typeof value === "string") {
        const m = /^(\d+)%$/.exec(value.trim());
        if (m) return Math.ceil((Number(m[1]) * total) / 100);
        if (/^\d+$/.test(value.trim())) return Number(value);
    }
    return undefined;
}

/** Whether a named or numbered port is declared by any container of a pod. */
export function podHasPort(pod: PodTemplate, port: unknown): boolean {
    const ports = (Array.isArray(pod.spec?.containers) ? pod.spec.containers : []).flatMap((c: { ports?: unknown }) =>
        Array.isArray(c?.ports) ? c.ports : [],
    );
    if (typeof port === "string" && !/^\d+$/.test(port)) return ports.some((p: { name?: string }) => p?.name === port);
    return ports.some((p: { containerPort?: number }) => p?.containerPort === Number(port));
}
