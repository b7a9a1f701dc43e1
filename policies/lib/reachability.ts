/**
 * Which pod can open a connection to which pod and port, computed from NetworkPolicies with the
 * Kubernetes semantics:
 * - a pod is isolated for a direction only when some policy of that type selects it; an isolated pod
 *   accepts (or sends) only what the union of those policies' rules allows;
 * - policyTypes defaults to [Ingress], plus Egress when the policy has at least one egress rule;
 * - in one peer, namespaceSelector and podSelector are ANDed; separate peers are ORed; a podSelector
 *   alone means the policy's own namespace; an absent or empty `from`/`to` means everyone;
 * - ports absent or empty means every port; a named port is resolved on the destination pod; endPort
 *   makes an inclusive range; protocol defaults to TCP;
 * - ipBlock (with except) matches endpoints outside the pod network only;
 * - a connection needs the source's egress and the destination's ingress to allow it;
 * - JSON `null` reads as Go's decoder reads it: a null rule or port in a list is an empty one (a rule
 *   that allows everything, a port entry that allows every TCP port), a null selector is an absent one.
 *
 * The policies are compiled once per cluster: each policy is evaluated only against the pods of its
 * own namespace, pods with identical namespace and labels share one evaluation, and the pods a peer
 * matches are computed once per peer, so the whole matrix costs close to the number of connections it
 * finds rather than pods² × policies.
 */
import {
    isEmptySelector,
    isRecord,
    list,
    namespaceOf,
    nameOf,
    podTemplate,
    record,
    records,
    selectorMatches,
    stringMap,
    strings,
    type K8sObject,
} from "./k8s";

export type Protocol = "TCP" | "UDP" | "SCTP";

export interface PodPort {
    readonly name?: string;
    readonly port: number;
    readonly protocol: Protocol;
}

/** A group of identical pods: a workload's template, or a peer outside the resource set. */
export interface PodGroup {
    /** `namespace/name`. */
    readonly id: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly ports: readonly PodPort[];
}

/** An address outside the pod network (object storage, a cloud API). */
export interface ExternalAddress {
    readonly id: string;
    readonly ip: string;
    readonly ports: readonly PodPort[];
}

export interface Cluster {
    /** Namespace name → its labels (`kubernetes.io/metadata.name` is always added). */
    readonly namespaces: ReadonlyMap<string, Readonly<Record<string, string>>>;
    readonly pods: readonly PodGroup[];
    readonly policies: readonly K8sObject[];
}

export type Destination = { readonly pod: PodGroup } | { readonly address: ExternalAddress };

export interface Verdict {
    readonly allowed: boolean;
    /** Why not, in words: which side has no rule. Empty when allowed. */
    readonly reason: string;
}

/** Items of a rule list as Go decodes them: `null` is an empty item, anything else that is not an object is dropped. */
const items = (v: unknown): Record<string, unknown>[] => list(v).flatMap((x) => (x === null ? [{}] : isRecord(x) ? [x] : []));
/** A selector field: `null` is absent. */
const selectorField = (v: unknown): unknown => (v === null ? undefined : v);

export function policyTypes(np: K8sObject): ("Ingress" | "Egress")[] {
    const spec = record(np.spec);
    const declared = list(spec.policyTypes);
    if (declared.length > 0) return declared.filter((t): t is "Ingress" | "Egress" => t === "Ingress" || t === "Egress");
    // The API server's defaulting: Egress only when the policy has at least one egress rule.
    return list(spec.egress).length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

function podSelectorSelects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
    const sel = selectorField(selector) ?? {};
    return isEmptySelector(sel) || selectorMatches(sel, labels);
}

/** Whether a policy selects a pod (same namespace, podSelector matches; empty selects all). */
export function selects(np: K8sObject, pod: PodGroup): boolean {
    return namespaceOf(np) === pod.namespace && podSelectorSelects(record(np.spec).podSelector, pod.labels);
}

function namespaceLabels(cluster: Cluster, ns: string): Record<string, string> {
    return { ...(cluster.namespaces.get(ns) ?? {}), "kubernetes.io/metadata.name": ns };
}

/** Whether one `from`/`to` element matches a pod, for a policy in `policyNamespace`. */
export function peerMatchesPod(peer: Record<string, unknown>, policyNamespace: string, pod: PodGroup, cluster: Cluster): boolean {
    const p = record(peer);
    if (p.ipBlock) return false;
    const nsSel = selectorField(p.namespaceSelector);
    const podSel = selectorField(p.podSelector);
    if (nsSel === undefined && podSel === undefined) return false;
    const nsOk = nsSel === undefined ? pod.namespace === policyNamespace : podSelectorSelects(nsSel, namespaceLabels(cluster, pod.namespace));
    return nsOk && (podSel === undefined || podSelectorSelects(podSel, pod.labels));
}

function ipToInt(ip: string): number | undefined {
    const parts = ip.split(".").map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
    return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function cidrContains(cidr: unknown, ip: string): boolean {
    if (typeof cidr !== "string") return false;
    const [base, bits] = cidr.split("/");
    const b = ipToInt(base);
    const i = ipToInt(ip);
    const n = Number(bits ?? 32);
    if (b === undefined || i === undefined || !(n >= 0 && n <= 32)) return false;
    const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
    return (b & mask) >>> 0 === (i & mask) >>> 0;
}

function peerMatchesAddress(peer: Record<string, unknown>, address: ExternalAddress): boolean {
    const block = record(peer.ipBlock);
    if (!block.cidr) return false;
    return cidrContains(block.cidr, address.ip) && !strings(block.except).some((e) => cidrContains(e, address.ip));
}

/** One entry of a rule's `ports`, read once: a protocol and a number, a range, a name, or every port. */
interface PortEntry {
    readonly protocol: unknown;
    readonly all?: true;
    readonly name?: string;
    readonly start?: number;
    readonly end?: number;
}

/** A rule's `ports` read once: undefined when absent or empty (every port). Entries the API server refuses match nothing. */
function compilePorts(ports: unknown): readonly PortEntry[] | undefined {
    if (list(ports).length === 0) return undefined;
    return items(ports).map((p): PortEntry => {
        const protocol = p.protocol ?? "TCP";
        if (p.port === undefined || p.port === null) return { protocol, all: true };
        if (typeof p.port === "string" && !/^\d+$/.test(p.port)) return { protocol, name: p.port };
        if (typeof p.port !== "number" && typeof p.port !== "string") return { protocol, start: NaN, end: NaN };
        const start = Number(p.port);
        return { protocol, start, end: typeof p.endPort === "number" ? p.endPort : start };
    });
}

function entriesAllow(entries: readonly PortEntry[] | undefined, port: PodPort, destinationPorts: readonly PodPort[]): boolean {
    if (entries === undefined) return true;
    return entries.some((e) => {
        if (e.protocol !== port.protocol) return false;
        if (e.all) return true;
        if (e.name !== undefined) return destinationPorts.some((d) => d.name === e.name && d.protocol === port.protocol && d.port === port.port);
        return port.port >= e.start! && port.port <= e.end!;
    });
}

/** Whether a rule's `ports` allows `port`, resolving named ports on the destination's ports. */
export function portsAllow(ports: unknown, port: PodPort, destinationPorts: readonly PodPort[]): boolean {
    return entriesAllow(compilePorts(ports), port, destinationPorts);
}

/** One NetworkPolicy rule compiled: its peers (undefined: everyone) and its ports (undefined: every port). */
interface CompiledRule {
    readonly peers: readonly Record<string, unknown>[] | undefined;
    readonly ports: readonly PortEntry[] | undefined;
}

interface CompiledPolicy {
    readonly np: K8sObject;
    readonly namespace: string;
    readonly podSelector: unknown;
    readonly ingress: boolean;
    readonly egress: boolean;
    readonly ingressRules: readonly CompiledRule[];
    readonly egressRules: readonly CompiledRule[];
}

interface Isolation {
    readonly ingress: readonly CompiledPolicy[];
    readonly egress: readonly CompiledPolicy[];
    /** Selected by any policy, of either type. */
    readonly selected: boolean;
}

const signatures = new WeakMap<PodGroup, string>();

/** Pods with the same namespace and labels are selected alike: one evaluation serves them all. */
function signature(pod: PodGroup): string {
    let s = signatures.get(pod);
    if (s === undefined) {
        s = pod.namespace;
        for (const k of Object.keys(pod.labels).sort()) s += `\u0000${k}\u0000${pod.labels[k]}`;
        signatures.set(pod, s);
    }
    return s;
}

/**
 * Items by label, so that a selector's candidates come from the rarest of its matchLabels rather than
 * from every item: what keeps a peer that selects namespaces or pods across the cluster linear.
 */
class LabelIndex<T> {
    private readonly all: T[] = [];
    private readonly byLabel = new Map<string, T[]>();

    add(item: T, labels: Readonly<Record<string, string>>): void {
        this.all.push(item);
        for (const k of Object.keys(labels)) {
            const key = `${k}\u0000${labels[k]}`;
            const l = this.byLabel.get(key);
            if (l) l.push(item);
            else this.byLabel.set(key, [item]);
        }
    }

    /** The items a selector (absent: every item) selects, `labelsOf` giving each item's labels. */
    select(selector: unknown, labelsOf: (item: T) => Readonly<Record<string, string>>): T[] {
        if (selector === undefined) return this.all;
        let candidates: readonly T[] = this.all;
        if (isRecord(selector)) {
            for (const [k, v] of Object.entries(record(selector.matchLabels))) {
                if (typeof v !== "string") continue;
                const l = this.byLabel.get(`${k}\u0000${v}`) ?? [];
                if (l.length < candidates.length) candidates = l;
            }
        }
        return candidates.filter((item) => podSelectorSelects(selector, labelsOf(item)));
    }
}

/** The compiled policies of a cluster and the caches over them. */
class Analysis {
    readonly byNamespace = new Map<string, CompiledPolicy[]>();
    readonly podsByNamespace = new Map<string, PodGroup[]>();
    private readonly members: ReadonlySet<PodGroup>;
    private readonly isolation = new Map<string, Isolation>();
    private readonly peerSets = new Map<Record<string, unknown>, ReadonlySet<PodGroup>>();
    /** Peers written alike (the same DNS peer in every namespace) share one result. */
    private readonly peerSetsByText = new Map<string, ReadonlySet<PodGroup>>();
    private readonly namespaceIndex = new LabelIndex<string>();
    private readonly podIndex = new Map<string, LabelIndex<PodGroup>>();

    constructor(readonly cluster: Cluster) {
        for (const np of cluster.policies) {
            const spec = record(np.spec);
            const types = policyTypes(np);
            const compile = (rules: unknown, dir: "from" | "to"): CompiledRule[] =>
                items(rules).map((r) => ({ peers: list(r[dir]).length === 0 ? undefined : items(r[dir]), ports: compilePorts(r.ports) }));
            const c: CompiledPolicy = {
                np,
                namespace: namespaceOf(np) ?? "default",
                podSelector: spec.podSelector,
                ingress: types.includes("Ingress"),
                egress: types.includes("Egress"),
                ingressRules: compile(spec.ingress, "from"),
                egressRules: compile(spec.egress, "to"),
            };
            const l = this.byNamespace.get(c.namespace);
            if (l) l.push(c);
            else this.byNamespace.set(c.namespace, [c]);
        }
        for (const p of cluster.pods) {
            const l = this.podsByNamespace.get(p.namespace);
            if (l) l.push(p);
            else this.podsByNamespace.set(p.namespace, [p]);
        }
        this.members = new Set(cluster.pods);
        for (const n of new Set([...cluster.namespaces.keys(), ...this.podsByNamespace.keys()])) {
            this.namespaceIndex.add(n, namespaceLabels(cluster, n));
        }
        for (const [n, pods] of this.podsByNamespace) {
            const index = new LabelIndex<PodGroup>();
            for (const p of pods) index.add(p, p.labels);
            this.podIndex.set(n, index);
        }
    }

    /** The policies that isolate a pod, per direction (only its own namespace's policies can select it). */
    isolationOf(pod: PodGroup): Isolation {
        const sig = signature(pod);
        let iso = this.isolation.get(sig);
        if (!iso) {
            const selecting = (this.byNamespace.get(pod.namespace) ?? []).filter((c) => podSelectorSelects(c.podSelector, pod.labels));
            iso = {
                ingress: selecting.filter((c) => c.ingress),
                egress: selecting.filter((c) => c.egress),
                selected: selecting.length > 0,
            };
            this.isolation.set(sig, iso);
        }
        return iso;
    }

    /** The pods of the cluster one peer of a policy in `namespace` matches, computed once per peer. */
    peerPods(peer: Record<string, unknown>, namespace: string): ReadonlySet<PodGroup> {
        let set = this.peerSets.get(peer);
        if (set) return set;
        const nsSel = selectorField(peer.namespaceSelector);
        const podSel = selectorField(peer.podSelector);
        const text = JSON.stringify([nsSel === undefined ? namespace : null, nsSel ?? null, podSel ?? null, !!peer.ipBlock]);
        set = this.peerSetsByText.get(text);
        if (!set) {
            const out = new Set<PodGroup>();
            if (!peer.ipBlock && (nsSel !== undefined || podSel !== undefined)) {
                const namespaces = nsSel === undefined ? [namespace] : this.namespaceIndex.select(nsSel, (n) => namespaceLabels(this.cluster, n));
                for (const n of namespaces) for (const p of this.podIndex.get(n)?.select(podSel, (g) => g.labels) ?? []) out.add(p);
            }
            set = out;
            this.peerSetsByText.set(text, set);
        }
        this.peerSets.set(peer, set);
        return set;
    }

    /** Whether a rule lets `pod` through as a peer (sources for ingress, destinations for egress). */
    ruleMatchesPod(rule: CompiledRule, namespace: string, pod: PodGroup): boolean {
        if (rule.peers === undefined) return true;
        // A pod from elsewhere than the cluster's own list is matched peer by peer.
        if (!this.members.has(pod)) return rule.peers.some((peer) => peerMatchesPod(peer, namespace, pod, this.cluster));
        return rule.peers.some((peer) => this.peerPods(peer, namespace).has(pod));
    }

    egress(src: PodGroup, dst: Destination, port: PodPort): boolean {
        const isolating = this.isolationOf(src).egress;
        if (isolating.length === 0) return true;
        const dstPorts = "pod" in dst ? dst.pod.ports : dst.address.ports;
        return isolating.some((c) =>
            c.egressRules.some(
                (rule) =>
                    entriesAllow(rule.ports, port, dstPorts) &&
                    ("pod" in dst
                        ? this.ruleMatchesPod(rule, c.namespace, dst.pod)
                        : rule.peers === undefined || rule.peers.some((peer) => peerMatchesAddress(peer, dst.address))),
            ),
        );
    }

    ingress(src: PodGroup, dst: PodGroup, port: PodPort): boolean {
        const isolating = this.isolationOf(dst).ingress;
        if (isolating.length === 0) return true;
        return isolating.some((c) =>
            c.ingressRules.some((rule) => entriesAllow(rule.ports, port, dst.ports) && this.ruleMatchesPod(rule, c.namespace, src)),
        );
    }

    /** Every pod the ingress side of `dst` accepts on `port`: all pods when it is not isolated or a rule admits everyone. */
    ingressSources(dst: PodGroup, port: PodPort): readonly PodGroup[] | ReadonlySet<PodGroup> {
        const isolating = this.isolationOf(dst).ingress;
        if (isolating.length === 0) return this.cluster.pods;
        const out = new Set<PodGroup>();
        for (const c of isolating) {
            for (const rule of c.ingressRules) {
                if (!entriesAllow(rule.ports, port, dst.ports)) continue;
                if (rule.peers === undefined) return this.cluster.pods;
                for (const peer of rule.peers) for (const p of this.peerPods(peer, c.namespace)) out.add(p);
            }
        }
        return out;
    }
}

const analyses = new WeakMap<Cluster, Analysis>();

/** The compiled policies of a cluster, built on first use. A cluster is not changed once analyzed. */
function analysisOf(cluster: Cluster): Analysis {
    let a = analyses.get(cluster);
    if (!a) {
        a = new Analysis(cluster);
        analyses.set(cluster, a);
    }
    return a;
}

/** Whether `src` may send to `dst` on `port` (its egress side). */
export function egressAllows(cluster: Cluster, src: PodGroup, dst: Destination, port: PodPort): Verdict {
    return analysisOf(cluster).egress(src, dst, port)
        ? { allowed: true, reason: "" }
        : { allowed: false, reason: `no egress rule in ${src.namespace} allows it` };
}

/** Whether `dst` accepts from `src` on `port` (its ingress side). */
export function ingressAllows(cluster: Cluster, src: PodGroup, dst: PodGroup, port: PodPort): Verdict {
    return analysisOf(cluster).ingress(src, dst, port)
        ? { allowed: true, reason: "" }
        : { allowed: false, reason: `no ingress rule in ${dst.namespace} allows it` };
}

/** Both sides: the source's egress and the destination's ingress (an external address has no ingress side). */
export function canConnect(cluster: Cluster, src: PodGroup, dst: Destination, port: PodPort): Verdict {
    const out = egressAllows(cluster, src, dst, port);
    const inn = "pod" in dst ? ingressAllows(cluster, src, dst.pod, port) : { allowed: true, reason: "" };
    const reasons = [out.reason, inn.reason].filter(Boolean);
    return { allowed: out.allowed && inn.allowed, reason: reasons.join(", and ") };
}

/** Whether any policy of the cluster, of either type, selects the pod. */
export const isSelectedByAnyPolicy = (cluster: Cluster, pod: PodGroup): boolean => analysisOf(cluster).isolationOf(pod).selected;

/** The pods of the cluster a policy selects. */
export function podsSelectedBy(cluster: Cluster, np: K8sObject): PodGroup[] {
    const ns = namespaceOf(np);
    const selector = record(np.spec).podSelector;
    return (analysisOf(cluster).podsByNamespace.get(ns ?? "") ?? []).filter((p) => podSelectorSelects(selector, p.labels));
}

/** The pods of the cluster one `from`/`to` element of a policy in `namespace` matches (none for ipBlock peers). */
export function podsMatchingPeer(cluster: Cluster, peer: unknown, namespace: string): ReadonlySet<PodGroup> {
    return isRecord(peer) ? analysisOf(cluster).peerPods(peer, namespace) : new Set();
}

export interface Connection {
    readonly from: string;
    readonly to: string;
    readonly port: number;
    readonly protocol: Protocol;
}

export const connectionId = (c: Connection): string => `${c.from} → ${c.to}:${c.port}${c.protocol === "TCP" ? "" : `/${c.protocol}`}`;

/**
 * Every connection the policies allow between two distinct pods of the cluster, for pairs `include`
 * accepts, in the order of sources, then destinations, then the destination's ports. For each
 * destination port only the sources its ingress side admits are tried, so the cost follows the
 * number of connections found.
 */
export function reachableConnections(cluster: Cluster, include: (src: PodGroup, dst: PodGroup) => boolean): Connection[] {
    const a = analysisOf(cluster);
    const pods = cluster.pods;
    const index = new Map(pods.map((p, i) => [p, i]));
    // Each connection as one number (source, destination, port index), sorted numerically: no object per candidate.
    const width = pods.reduce((w, p) => Math.max(w, p.ports.length), 1);
    const found: number[] = [];
    pods.forEach((dst, d) => {
        dst.ports.forEach((port, k) => {
            for (const src of a.ingressSources(dst, port)) {
                if (src === dst || !include(src, dst) || !a.egress(src, { pod: dst }, port)) continue;
                found.push((index.get(src)! * pods.length + d) * width + k);
            }
        });
    });
    found.sort((x, y) => x - y);
    return found.map((n) => {
        const k = n % width;
        const d = ((n - k) / width) % pods.length;
        const s = Math.floor(n / width / pods.length);
        const port = pods[d].ports[k];
        return { from: pods[s].id, to: pods[d].id, port: port.port, protocol: port.protocol };
    });
}

const PROTOCOLS: readonly string[] = ["TCP", "UDP", "SCTP"];

const groups = new WeakMap<readonly K8sObject[], PodGroup[]>();

/**
 * A pod group's name: the workload's, except for a Job, which is renamed every run (a per-release suffix)
 * and so is known by its `app.kubernetes.io/name` label when it carries one.
 */
function groupName(o: K8sObject): string {
    return (o.kind === "Job" ? stringMap(record(o.metadata).labels)["app.kubernetes.io/name"] : undefined) ?? nameOf(o);
}

/** The pod groups of a resource set: one per workload template, with its container ports (computed once per set). */
export function podGroupsOf(objects: readonly K8sObject[]): PodGroup[] {
    let found = groups.get(objects);
    if (!found) {
        found = findPodGroups(objects);
        groups.set(objects, found);
    }
    return found;
}

function findPodGroups(objects: readonly K8sObject[]): PodGroup[] {
    const out: PodGroup[] = [];
    for (const o of objects) {
        const pod = podTemplate(o);
        if (!pod) continue;
        const ports: PodPort[] = [];
        for (const c of [...records(pod.spec.containers), ...records(pod.spec.initContainers)]) {
            for (const p of records(c.ports)) {
                if (typeof p.containerPort !== "number") continue;
                const protocol = p.protocol ?? "TCP";
                if (!PROTOCOLS.includes(protocol)) continue;
                ports.push({ ...(typeof p.name === "string" ? { name: p.name } : {}), port: p.containerPort, protocol });
            }
        }
        out.push({ id: `${namespaceOf(o)}/${groupName(o)}`, namespace: namespaceOf(o) ?? "default", labels: pod.metadata.labels, ports });
    }
    return out;
}

const CILIUM_NS = "k8s:io.kubernetes.pod.namespace";

/**
 * The L4 meaning of a CiliumNetworkPolicy as a NetworkPolicy: the endpointSelector selects, each
 * fromEndpoints/toEndpoints selector is a peer (its namespace from the k8s:io.kubernetes.pod.namespace
 * label, else the policy's own), toPorts are the ports. L7 rules narrow requests, not connections.
 */
export function ciliumAsNetworkPolicy(cnp: K8sObject): K8sObject {
    const peers = (endpoints: unknown) =>
        records(endpoints).map((e) => {
            const { [CILIUM_NS]: ns, ...labels } = record(e.matchLabels);
            return ns === undefined
                ? { podSelector: { matchLabels: labels } }
                : { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } }, podSelector: { matchLabels: labels } };
        });
    const ports = (toPorts: unknown) =>
        records(toPorts).flatMap((tp) =>
            records(tp.ports).map((p) => ({
                port: typeof p.port === "string" && /^\d+$/.test(p.port) ? Number(p.port) : p.port,
                protocol: p.protocol ?? "TCP",
            })),
        );
    const spec = record(cnp.spec);
    const ingress = records(spec.ingress).map((r) => ({ from: peers(r.fromEndpoints), ports: ports(r.toPorts) }));
    const egress = records(spec.egress).map((r) => ({ to: peers(r.toEndpoints), ports: ports(r.toPorts) }));
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: nameOf(cnp), namespace: namespaceOf(cnp) },
        spec: {
            podSelector: spec.endpointSelector ?? {},
            policyTypes: [...(spec.ingress ? ["Ingress"] : []), ...(spec.egress ? ["Egress"] : [])],
            ...(spec.ingress ? { ingress } : {}),
            ...(spec.egress ? { egress } : {}),
        },
    };
}

/** A cluster model from a resource set plus pods that live outside it (kube-dns, the ingress controller). */
export function clusterOf(
    objects: readonly K8sObject[],
    outside: readonly PodGroup[] = [],
    outsideNamespaces: Record<string, Record<string, string>> = {},
): Cluster {
    const namespaces = new Map<string, Record<string, string>>(Object.entries(outsideNamespaces));
    for (const o of objects) {
        const name = record(o.metadata).name;
        if (o.kind === "Namespace" && typeof name === "string" && name) namespaces.set(name, { ...stringMap(record(o.metadata).labels) });
    }
    const pods = [...podGroupsOf(objects), ...outside];
    for (const p of pods) if (!namespaces.has(p.namespace)) namespaces.set(p.namespace, {});
    const policies: K8sObject[] = [];
    for (const o of objects) if (o.kind === "NetworkPolicy") policies.push(o);
    for (const o of objects) if (o.kind === "CiliumNetworkPolicy") policies.push(ciliumAsNetworkPolicy(o));
    return { namespaces, pods, policies };
}
