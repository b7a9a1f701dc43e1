/**
 * Lookups over one resource set, built once and shared by every stack rule that judges the set, so
 * that relating objects to each other (a Service to its pods, an HPA to its target, a binding to its
 * role) costs a map lookup instead of a scan of the whole set.
 */
import { isEmptySelector, isRecord, nameOf, namespaceOf, podTemplate, record, selectorMatches, type K8sObject, type PodTemplate } from "./k8s";

export interface ResourceSet {
    readonly objects: readonly K8sObject[];
    /** Objects of a kind, in input order. */
    ofKind(kind: string): readonly K8sObject[];
    /** Objects of a kind in a namespace (`undefined` for cluster-scoped kinds), in input order. */
    inNamespace(kind: string, namespace: string | undefined): readonly K8sObject[];
    /** The first object of a kind with this namespace and name. */
    find(kind: string, namespace: string | undefined, name: string): K8sObject | undefined;
    /** The first object of a kind with this name, in any namespace. */
    findAnywhere(kind: string, name: string): K8sObject | undefined;
    /** Every object that runs pods, with its pod template, in input order. */
    readonly workloads: readonly PodTemplate[];
    /** The workloads of one namespace. */
    workloadsIn(namespace: string | undefined): readonly PodTemplate[];
    /** The workloads of a namespace whose pod labels a label selector matches. */
    workloadsMatching(namespace: string | undefined, selector: unknown): PodTemplate[];
}

const EMPTY: readonly never[] = [];
const key = (...parts: (string | undefined)[]) => parts.map((p) => p ?? "").join("\u0000");

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
    const l = map.get(k);
    if (l) l.push(v);
    else map.set(k, [v]);
}

function build(objects: readonly K8sObject[]): ResourceSet {
    const byKind = new Map<string, K8sObject[]>();
    const byKindNs = new Map<string, K8sObject[]>();
    const byName = new Map<string, K8sObject>();
    const byKindName = new Map<string, K8sObject>();
    const workloads: PodTemplate[] = [];
    const workloadsByNs = new Map<string, PodTemplate[]>();
    /** namespace, label key and value → the workloads whose pods carry that label. */
    const byLabel = new Map<string, PodTemplate[]>();
    for (const o of objects) {
        const ns = namespaceOf(o);
        push(byKind, o.kind, o);
        push(byKindNs, key(o.kind, ns), o);
        const k = key(o.kind, ns, nameOf(o));
        if (!byName.has(k)) byName.set(k, o);
        const kn = key(o.kind, nameOf(o));
        if (!byKindName.has(kn)) byKindName.set(kn, o);
        const pod = podTemplate(o);
        if (pod) {
            workloads.push(pod);
            push(workloadsByNs, key(ns), pod);
            for (const [lk, lv] of Object.entries(pod.metadata.labels)) push(byLabel, key(ns, lk, lv), pod);
        }
    }
    return {
        objects,
        ofKind: (kind) => byKind.get(kind) ?? EMPTY,
        inNamespace: (kind, ns) => byKindNs.get(key(kind, ns)) ?? EMPTY,
        find: (kind, ns, name) => byName.get(key(kind, ns, name)),
        findAnywhere: (kind, name) => byKindName.get(key(kind, name)),
        workloads,
        workloadsIn: (ns) => workloadsByNs.get(key(ns)) ?? EMPTY,
        workloadsMatching(ns, selector) {
            if (!isRecord(selector)) return [];
            const labels = Object.entries(record(selector.matchLabels)).filter(([, v]) => typeof v === "string");
            if (labels.length === 0 || isEmptySelector(selector)) {
                return (workloadsByNs.get(key(ns)) ?? EMPTY).filter((p) => selectorMatches(selector, p.metadata.labels));
            }
            // Candidates from the rarest of the selector's labels, then the whole selector on each.
            let best: readonly PodTemplate[] | undefined;
            for (const [lk, lv] of labels) {
                const l = byLabel.get(key(ns, lk, lv as string)) ?? EMPTY;
                if (best === undefined || l.length < best.length) best = l;
            }
            return (best ?? EMPTY).filter((p) => selectorMatches(selector, p.metadata.labels));
        },
    };
}

const cache = new WeakMap<readonly K8sObject[], ResourceSet>();

/** The lookups of a resource set, built on first use and kept as long as the set is. Rules never change objects. */
export function resourceSet(objects: readonly K8sObject[]): ResourceSet {
    let set = cache.get(objects);
    if (!set) {
        set = build(objects);
        cache.set(objects, set);
    }
    return set;
}
