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

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
    const l = map.get(k);
    if (l) l.push(v);
    else map.set(k, [v]);
}

/** Builds on first use: one pass groups objects by kind; each kind's namespace and name maps are made when first asked for. */
function build(objects: readonly K8sObject[]): ResourceSet {
    const byKind = new Map<string, K8sObject[]>();
    for (const o of objects) push(byKind, o.kind, o);
    const ofKind = (kind: string): readonly K8sObject[] => byKind.get(kind) ?? EMPTY;

    const byNs = new Map<string, Map<string | undefined, K8sObject[]>>();
    const inNamespace = (kind: string, ns: string | undefined): readonly K8sObject[] => {
        let m = byNs.get(kind);
        if (!m) {
            m = new Map();
            for (const o of ofKind(kind)) push(m, namespaceOf(o), o);
            byNs.set(kind, m);
        }
        return m.get(ns) ?? EMPTY;
    };

    /** kind → namespace → name → the first such object. */
    const byName = new Map<string, Map<string | undefined, Map<string, K8sObject>>>();
    const find = (kind: string, ns: string | undefined, name: string): K8sObject | undefined => {
        let m = byName.get(kind);
        if (!m) {
            m = new Map();
            for (const o of ofKind(kind)) {
                const n = namespaceOf(o);
                let names = m.get(n);
                if (!names) m.set(n, (names = new Map()));
                const on = nameOf(o);
                if (!names.has(on)) names.set(on, o);
            }
            byName.set(kind, m);
        }
        return m.get(ns)?.get(name);
    };
    const anywhere = new Map<string, Map<string, K8sObject>>();
    const findAnywhere = (kind: string, name: string): K8sObject | undefined => {
        let m = anywhere.get(kind);
        if (!m) {
            m = new Map();
            for (const o of ofKind(kind)) if (!m.has(nameOf(o))) m.set(nameOf(o), o);
            anywhere.set(kind, m);
        }
        return m.get(name);
    };

    let workloads: PodTemplate[] | undefined;
    const workloadsByNs = new Map<string | undefined, PodTemplate[]>();
    const indexWorkloads = (): PodTemplate[] => {
        if (workloads) return workloads;
        workloads = [];
        for (const o of objects) {
            const pod = podTemplate(o);
            if (!pod) continue;
            workloads.push(pod);
            push(workloadsByNs, namespaceOf(o), pod);
        }
        return workloads;
    };
    /** namespace → label key → label value → the workloads whose pods carry that label. */
    let byLabel: Map<string | undefined, Map<string, Map<string, PodTemplate[]>>> | undefined;
    const labelIndex = () => {
        if (byLabel) return byLabel;
        byLabel = new Map();
        for (const pod of indexWorkloads()) {
            const ns = namespaceOf(pod.object);
            let keys = byLabel.get(ns);
            if (!keys) byLabel.set(ns, (keys = new Map()));
            for (const [lk, lv] of Object.entries(pod.metadata.labels)) {
                let values = keys.get(lk);
                if (!values) keys.set(lk, (values = new Map()));
                push(values, lv, pod);
            }
        }
        return byLabel;
    };

    return {
        objects,
        ofKind,
        inNamespace,
        find,
        findAnywhere,
        get workloads() {
            return indexWorkloads();
        },
        workloadsIn: (ns) => {
            indexWorkloads();
            return workloadsByNs.get(ns) ?? EMPTY;
        },
        workloadsMatching(ns, selector) {
            indexWorkloads();
            if (!isRecord(selector)) return [];
            const labels = Object.entries(record(selector.matchLabels)).filter(([, v]) => typeof v === "string");
            if (labels.length === 0 || isEmptySelector(selector)) {
                return (workloadsByNs.get(ns) ?? EMPTY).filter((p) => selectorMatches(selector, p.metadata.labels));
            }
            // Candidates from the rarest of the selector's labels, then the whole selector on each.
            const keys = labelIndex().get(ns);
            let best: readonly PodTemplate[] | undefined;
            for (const [lk, lv] of labels) {
                const l = keys?.get(lk)?.get(lv as string) ?? EMPTY;
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
