/**
 * Plain Kubernetes objects and the one pod-spec walker every workload rule uses.
 * Rules read objects defensively: they judge any YAML, not only what the program renders.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface K8sObject {
    apiVersion?: string;
    kind: string;
    metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: any };
    spec?: any;
    [k: string]: any;
}

/** Kinds whose objects live in no namespace. */
const CLUSTER_SCOPED = new Set([
    "Namespace",
    "Node",
    "PersistentVolume",
    "StorageClass",
    "ClusterRole",
    "ClusterRoleBinding",
    "CustomResourceDefinition",
    "PriorityClass",
    "ClusterIssuer",
    "ClusterSecretStore",
    "IngressClass",
    "ValidatingWebhookConfiguration",
    "MutatingWebhookConfiguration",
    "APIService",
    "RuntimeClass",
    "CSIDriver",
    "VolumeSnapshotClass",
]);

/** Kinds with a colon are Pulumi type tokens of cloud resources (see `cloudSubject`): they have no namespace either. */
export const isClusterScoped = (obj: K8sObject): boolean => CLUSTER_SCOPED.has(obj.kind) || obj.kind.includes(":");

/** How reports name a cloud resource: its Pulumi type token as the kind, its Pulumi name as the name. */
export const cloudSubject = (r: { type: string; name: string }): K8sObject => ({ kind: r.type, metadata: { name: r.name } });

/** The namespace an object lands in (`default` when a namespaced object names none). */
export function namespaceOf(obj: K8sObject): string | undefined {
    if (isClusterScoped(obj)) return undefined;
    return obj.metadata?.namespace || "default";
}

export const nameOf = (obj: K8sObject): string => obj.metadata?.name ?? obj.metadata?.generateName ?? "<unnamed>";

/** `Deployment voting-api/api`, or `ClusterRole admin` for cluster-scoped objects: how every message names its object. */
export function describe(obj: K8sObject): string {
    const ns = namespaceOf(obj);
    return ns === undefined ? `${obj.kind} ${nameOf(obj)}` : `${obj.kind} ${ns}/${nameOf(obj)}`;
}

/** Pulumi type token → apiVersion and kind: `kubernetes:apps/v1:Deployment` → apps/v1, Deployment. */
export function fromPulumiType(type: string): { apiVersion: string; kind: string } | undefined {
    const m = /^kubernetes:([^:]+):(.+)$/.exec(type);
    if (!m || m[1].startsWith("helm.sh") || m[1] === "yaml" || m[1].startsWith("kustomize")) return undefined;
    const [group, version] = m[1].split("/");
    return { apiVersion: group === "core" ? version : `${group}/${version}`, kind: m[2] };
}

export type ContainerKind = "container" | "initContainer" | "ephemeralContainer";

export interface ContainerRef {
    readonly container: any;
    readonly kind: ContainerKind;
    /** `container "api"`, `init container "migrate"`: how messages name a container. */
    readonly label: string;
}

export interface PodTemplate {
    readonly object: K8sObject;
    /** Labels and annotations of the pods (the template's metadata, or the Pod's own). */
    readonly metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
    readonly spec: any;
    /** Field path of the pod spec inside the object, for remediation text. */
    readonly path: string;
}

/** The pod template of any workload kind, or undefined for objects that run no pods. */
export function podTemplate(obj: K8sObject): PodTemplate | undefined {
    switch (obj.kind) {
        case "Pod":
            return obj.spec ? { object: obj, metadata: obj.metadata ?? {}, spec: obj.spec, path: "spec" } : undefined;
        case "Deployment":
        case "StatefulSet":
        case "DaemonSet":
        case "ReplicaSet":
        case "ReplicationController":
        case "Job": {
            const t = obj.spec?.template;
            return t?.spec ? { object: obj, metadata: t.metadata ?? {}, spec: t.spec, path: "spec.template.spec" } : undefined;
        }
        case "CronJob": {
            const t = obj.spec?.jobTemplate?.spec?.template;
            return t?.spec ? { object: obj, metadata: t.metadata ?? {}, spec: t.spec, path: "spec.jobTemplate.spec.template.spec" } : undefined;
        }
        default:
            return undefined;
    }
}

/** Every container of a pod spec: regular, init and ephemeral. */
export function containersOf(spec: any): ContainerRef[] {
    const list = (v: unknown): any[] => (Array.isArray(v) ? v.filter((c) => c && typeof c === "object") : []);
    const name = (c: any, i: number) => (typeof c.name === "string" && c.name ? c.name : `#${i}`);
    return [
        ...list(spec?.containers).map((c, i) => ({ container: c, kind: "container" as const, label: `container "${name(c, i)}"` })),
        ...list(spec?.initContainers).map((c, i) => ({ container: c, kind: "initContainer" as const, label: `init container "${name(c, i)}"` })),
        ...list(spec?.ephemeralContainers).map((c, i) => ({
            container: c,
            kind: "ephemeralContainer" as const,
            label: `ephemeral container "${name(c, i)}"`,
        })),
    ];
}

/** A restartable init container (`restartPolicy: Always`) is a sidecar: it runs as long as the pod. */
export const isSidecar = (c: ContainerRef): boolean => c.kind === "initContainer" && c.container.restartPolicy === "Always";

/** Runs `check` on every container of every workload and prefixes each message with the object and container. */
export function forEachContainer(obj: K8sObject, check: (c: ContainerRef, pod: PodTemplate) => string | string[] | undefined): string[] {
    const pod = podTemplate(obj);
    if (!pod) return [];
    const out: string[] = [];
    for (const c of containersOf(pod.spec)) {
        const r = check(c, pod);
        for (const m of r === undefined ? [] : Array.isArray(r) ? r : [r]) out.push(`${describe(obj)}: ${c.label} ${m}`);
    }
    return out;
}

/** Whether a label selector (`matchLabels` and `matchExpressions`) selects the given labels. Empty selects all. */
export function selectorMatches(selector: any, labels: Record<string, string> | undefined): boolean {
    if (!selector || typeof selector !== "object") return false;
    const l = labels ?? {};
    for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (l[k] !== v) return false;
    for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
        const has = Object.prototype.hasOwnProperty.call(l, e.key);
        const values: string[] = Array.isArray(e.values) ? e.values : [];
        switch (e.operator) {
            case "In":
                if (!has || !values.includes(l[e.key])) return false;
                break;
            case "NotIn":
                if (has && values.includes(l[e.key])) return false;
                break;
            case "Exists":
                if (!has) return false;
                break;
            case "DoesNotExist":
                if (has) return false;
                break;
            default:
                return false;
        }
    }
    return true;
}

/** Whether a selector is empty (selects every pod of its namespace). */
export const isEmptySelector = (selector: any): boolean =>
    !!selector &&
    typeof selector === "object" &&
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0;

/** Runs `check` on a workload's pod spec and prefixes each message with the object. */
export function forEachPod(obj: K8sObject, check: (pod: PodTemplate) => string[]): string[] {
    const pod = podTemplate(obj);
    return pod ? check(pod).map((m) => `${describe(obj)}: ${m}`) : [];
}
