/**
 * Plain Kubernetes objects, the readers every rule uses on them, and the one pod-spec walker.
 *
 * Rules judge any YAML, not only what the program renders: any field may hold any JSON value. The
 * readers below return a value of the expected type or an empty one, so a wrong-typed field is
 * either reported by the rule that cares or ignored where the API server would reject the object
 * anyway; no rule throws on it.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
export interface K8sObject {
    apiVersion?: string;
    kind: string;
    metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: any };
    spec?: any;
    [k: string]: any;
}

/** A JSON object (not null, not a list). */
export const isRecord = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);
/** The empty object and list the readers return for a missing or wrong-typed field: shared, and frozen so no caller can fill them. */
const NO_RECORD: Record<string, any> = Object.freeze({});
const NO_LIST: any[] = Object.freeze([] as any[]) as any[];

/** The value if it is a JSON object, else an empty one. */
export const record = (v: unknown): Record<string, any> => (isRecord(v) ? v : NO_RECORD);
/** The value if it is a list, else an empty one. */
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : NO_LIST);
/** The objects of a list (null and scalar items dropped). */
export const records = (v: unknown): Record<string, any>[] => (Array.isArray(v) ? v.filter(isRecord) : NO_LIST);
/** The strings of a list. */
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : NO_LIST);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
/** A finite number, else undefined. */
export const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
/** A whole number given as a number or as decimal digits (`20`, `"20"`), else undefined. */
export function integer(v: unknown): number | undefined {
    if (typeof v === "number") return Number.isInteger(v) ? v : undefined;
    if (typeof v === "string" && /^\s*\d+\s*$/.test(v)) return Number(v);
    return undefined;
}
/** A table entry for a key that comes from the input: only the table's own keys, never Object.prototype's. */
export const own = <T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined =>
    typeof key === "string" && Object.hasOwn(table, key) ? table[key] : undefined;

/** A map of strings (labels, annotations, matchLabels): string values only, with no prototype to shadow keys. */
export function stringMap(v: unknown): Record<string, string> {
    const out: Record<string, string> = Object.create(null);
    for (const [k, value] of Object.entries(record(v))) if (typeof value === "string") out[k] = value;
    return out;
}

/** Any JSON value as message text: strings quoted, everything else as JSON. Never throws. */
export function show(v: unknown): string {
    try {
        return JSON.stringify(v) ?? String(v);
    } catch {
        return "<unprintable>";
    }
}

/** A value as text inside a message: strings as they are, anything else as JSON. */
export const text = (v: unknown): string => (typeof v === "string" ? v : show(v));

const scalarText = (v: unknown): string | undefined =>
    typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;

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
    "ClusterTriggerAuthentication",
    "ClusterExternalSecret",
    "ClusterGenerator",
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
    return scalarText(record(obj.metadata).namespace) || "default";
}

/** The object's name as text: its name, else its generateName, else `<unnamed>`. */
export function nameOf(obj: K8sObject): string {
    const m = record(obj.metadata);
    return scalarText(m.name) || scalarText(m.generateName) || "<unnamed>";
}

/** The object's own labels and annotations, string values only. */
export const labelsOf = (obj: K8sObject): Record<string, string> => stringMap(record(obj.metadata).labels);
export const annotationsOf = (obj: K8sObject): Record<string, string> => stringMap(record(obj.metadata).annotations);

/** `Deployment voting-api/api`, or `ClusterRole admin` for cluster-scoped objects: how every message names its object. */
export function describe(obj: K8sObject): string {
    const ns = namespaceOf(obj);
    return ns === undefined ? `${obj.kind} ${nameOf(obj)}` : `${obj.kind} ${ns}/${nameOf(obj)}`;
}

/** Pulumi type token → apiVersion and kind: `kubernetes:apps/v1:Deployment` → apps/v1, Deployment. */
export function fromPulumiType(type: string): { apiVersion: string; kind: string } | undefined {
    const m = /^kubernetes:([^:]+):(.+)$/.exec(type);
    // Helm, YAML and Kustomize components (`yaml:ConfigFile`, `yaml/v2:ConfigGroup`, ...) wrap objects; they are none.
    if (!m || /^(helm\.sh|yaml|kustomize)(\/|$)/.test(m[1])) return undefined;
    const [group, version] = m[1].split("/");
    return { apiVersion: group === "core" ? version : `${group}/${version}`, kind: m[2] };
}

export type ContainerKind = "container" | "initContainer" | "ephemeralContainer";

export interface ContainerRef {
    /** The container as written: an object, its fields of any type. */
    readonly container: Record<string, any>;
    readonly kind: ContainerKind;
    /** `container "api"`, `init container "migrate"`: how messages name a container. */
    readonly label: string;
}

export interface PodTemplate {
    readonly object: K8sObject;
    /** Labels and annotations of the pods (the template's metadata, or the Pod's own), string values only. */
    readonly metadata: { readonly labels: Record<string, string>; readonly annotations: Record<string, string> };
    /** The pod spec: an object, its fields of any type. */
    readonly spec: Record<string, any>;
    /** Field path of the pod spec inside the object, for remediation text. */
    readonly path: string;
}

/** Controllers whose `spec.template` is a pod template, whatever it holds. */
const POD_CONTROLLERS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "Rollout"]);

function fromTemplate(obj: K8sObject, template: unknown, path: string, known: boolean): PodTemplate | undefined {
    if (!isRecord(template) || !isRecord(template.spec)) return undefined;
    // Other kinds' templates count as pod templates only when they hold containers, as a pod spec must.
    if (!known && !Array.isArray(template.spec.containers)) return undefined;
    const m = record(template.metadata);
    return { object: obj, metadata: { labels: stringMap(m.labels), annotations: stringMap(m.annotations) }, spec: template.spec, path };
}

/** What the pod walker found for each object, while an evaluation runs (see `withObjectCache`). */
let cache:
    | {
          templates: WeakMap<object, PodTemplate | null>;
          containers: WeakMap<object, ContainerRef[]>;
          lastObject?: K8sObject;
          lastTemplate?: PodTemplate;
          lastSpec?: object;
          lastContainers?: ContainerRef[];
      }
    | undefined;

/**
 * Runs `fn` with the pod walker's results remembered per object, so that the rules judging one set
 * walk each object once. Objects must not change while `fn` runs (rules never change them).
 */
export function withObjectCache<T>(fn: () => T): T {
    if (cache) return fn();
    cache = { templates: new WeakMap(), containers: new WeakMap() };
    try {
        return fn();
    } finally {
        cache = undefined;
    }
}

/**
 * The pod template of any object that runs pods, or undefined: a Pod's own spec, a PodTemplate's
 * `template`, the `spec.template` of the workload controllers, Argo Rollouts and any other kind whose
 * `spec.template.spec` holds containers, and the `spec.jobTemplate` of CronJobs and their like.
 */
export function podTemplate(obj: K8sObject): PodTemplate | undefined {
    if (!cache) return findPodTemplate(obj);
    // The rules judge one object after another: the last answer is the likeliest one asked for again.
    if (obj === cache.lastObject) return cache.lastTemplate;
    let found = cache.templates.get(obj);
    if (found === undefined) {
        found = findPodTemplate(obj) ?? null;
        cache.templates.set(obj, found);
    }
    cache.lastObject = obj;
    cache.lastTemplate = found ?? undefined;
    return cache.lastTemplate;
}

function findPodTemplate(obj: K8sObject): PodTemplate | undefined {
    if (obj.kind === "Pod") {
        if (!isRecord(obj.spec)) return undefined;
        return { object: obj, metadata: { labels: labelsOf(obj), annotations: annotationsOf(obj) }, spec: obj.spec, path: "spec" };
    }
    if (obj.kind === "PodTemplate") return fromTemplate(obj, obj.template, "template.spec", true);
    const spec = record(obj.spec);
    if (spec.template !== undefined) return fromTemplate(obj, spec.template, "spec.template.spec", POD_CONTROLLERS.has(obj.kind));
    const job = record(spec.jobTemplate).spec;
    if (job !== undefined) return fromTemplate(obj, record(job).template, "spec.jobTemplate.spec.template.spec", obj.kind === "CronJob");
    return undefined;
}

/** Every container of a pod spec: regular, init and ephemeral (items that are not objects skipped). */
export function containersOf(spec: unknown): ContainerRef[] {
    if (!cache || !isRecord(spec)) return findContainers(spec);
    if (spec === cache.lastSpec) return cache.lastContainers!;
    let found = cache.containers.get(spec);
    if (!found) {
        found = findContainers(spec);
        cache.containers.set(spec, found);
    }
    cache.lastSpec = spec;
    cache.lastContainers = found;
    return found;
}

function findContainers(spec: unknown): ContainerRef[] {
    const s = record(spec);
    const name = (c: Record<string, any>, i: number) => (typeof c.name === "string" && c.name ? c.name : `#${i}`);
    const refs = (field: string, kind: ContainerKind, what: string): ContainerRef[] =>
        list(s[field]).flatMap((c, i) => (isRecord(c) ? [{ container: c, kind, label: `${what} "${name(c, i)}"` }] : []));
    return [
        ...refs("containers", "container", "container"),
        ...refs("initContainers", "initContainer", "init container"),
        ...refs("ephemeralContainers", "ephemeralContainer", "ephemeral container"),
    ];
}

/** A restartable init container (`restartPolicy: Always`) is a sidecar: it runs as long as the pod. */
export const isSidecar = (c: ContainerRef): boolean => c.kind === "initContainer" && c.container.restartPolicy === "Always";

/** Runs `check` on every container of every workload and prefixes each message with the object and container. */
export function forEachContainer(obj: K8sObject, check: (c: ContainerRef, pod: PodTemplate) => string | string[] | undefined): string[] {
    const pod = podTemplate(obj);
    const out: string[] = [];
    if (!pod) return out;
    for (const c of containersOf(pod.spec)) {
        const r = check(c, pod);
        if (r === undefined) continue;
        if (typeof r === "string") out.push(`${describe(obj)}: ${c.label} ${r}`);
        else for (const m of r) out.push(`${describe(obj)}: ${c.label} ${m}`);
    }
    return out;
}

/**
 * Whether a label selector (`matchLabels` and `matchExpressions`) selects the given labels. An empty
 * selector selects all; a malformed one (which the API server refuses) selects nothing.
 */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>> | undefined): boolean {
    if (!isRecord(selector)) return false;
    const l = labels ?? {};
    const has = (k: string) => Object.hasOwn(l, k);
    const { matchLabels, matchExpressions } = selector;
    if (matchLabels !== undefined && matchLabels !== null && !isRecord(matchLabels)) return false;
    for (const [k, v] of Object.entries(record(matchLabels))) if (!has(k) || l[k] !== v) return false;
    if (matchExpressions !== undefined && matchExpressions !== null && !Array.isArray(matchExpressions)) return false;
    for (const e of list(matchExpressions)) {
        if (!isRecord(e) || typeof e.key !== "string") return false;
        const present = has(e.key);
        const values = strings(e.values);
        switch (e.operator) {
            case "In":
                if (!present || !values.includes(l[e.key])) return false;
                break;
            case "NotIn":
                if (present && values.includes(l[e.key])) return false;
                break;
            case "Exists":
                if (!present) return false;
                break;
            case "DoesNotExist":
                if (present) return false;
                break;
            default:
                return false;
        }
    }
    return true;
}

/** Whether a selector is empty (selects every pod of its namespace). A malformed selector is not empty. */
export function isEmptySelector(selector: unknown): boolean {
    if (!isRecord(selector)) return false;
    const { matchLabels: ml, matchExpressions: me } = selector;
    const noLabels = ml === undefined || ml === null || (isRecord(ml) && Object.keys(ml).length === 0);
    const noExpressions = me === undefined || me === null || (Array.isArray(me) && me.length === 0);
    return noLabels && noExpressions;
}

/** Runs `check` on a workload's pod spec and prefixes each message with the object. */
export function forEachPod(obj: K8sObject, check: (pod: PodTemplate) => string[]): string[] {
    const pod = podTemplate(obj);
    return pod ? check(pod).map((m) => `${describe(obj)}: ${m}`) : [];
}
