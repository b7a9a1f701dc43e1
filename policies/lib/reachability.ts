/**
 * Which pod can open a connection to which pod and port, computed from NetworkPolicies with the
 * Kubernetes semantics:
 * - a pod is isolated for a direction only when some policy of that type selects it; an isolated pod
 *   accepts (or sends) only what the union of those policies' rules allows;
 * - policyTypes defaults to [Ingress], plus Egress when the policy has at least one egress rule;
 * - in one peer, namespaceSelector and podSelector are ANDed; separate peers are ORed; a podSelector
 *   alone means the policy's own namespace; an absent or empty `from`/`to` means everyone;
 * - ports absent or empty means every port; a named port is resolved on the destination pod; endPort
 *   makes a range; protocol defaults to TCP;
 * - ipBlock (with except) matches endpoints outside the pod network only;
 * - a connection needs the source's egress and the destination's ingress to allow it.
 */
import { isEmptySelector, namespaceOf, nameOf, podTemplate, selectorMatches, type K8sObject } from "./k8s";

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

const asArray = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

export function policyTypes(np: K8sObject): ("Ingress" | "Egress")[] {
    const declared = asArray<string>(np.spec?.policyTypes);
    if (declared.length > 0) return declared.filter((t): t is "Ingress" | "Egress" => t === "Ingress" || t === "Egress");
    // The API server's defaulting: Egress only when the policy has at least one egress rule.
    return asArray(np.spec?.egress).length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

/** Whether a policy selects a pod (same namespace, podSelector matches; empty selects all). */
export function selects(np: K8sObject, pod: PodGroup): boolean {
    return namespaceOf(np) === pod.namespace && (isEmptySelector(np.spec?.podSelector ?? {}) || selectorMatches(np.spec?.podSelector, pod.labels));
}

function namespaceLabels(cluster: Cluster, ns: string): Record<string, string> {
    return { ...(cluster.namespaces.get(ns) ?? {}), "kubernetes.io/metadata.name": ns };
}

function matchesSelector(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
    return isEmptySelector(selector ?? {}) || selectorMatches(selector, labels as Record<string, string>);
}

/** Whether one `from`/`to` element matches a pod, for a policy in `policyNamespace`. */
export function peerMatchesPod(peer: Record<string, unknown>, policyNamespace: string, pod: PodGroup, cluster: Cluster): boolean {
    if (peer.ipBlock) return false;
    const nsSel = peer.namespaceSelector;
    const podSel = peer.podSelector;
    if (nsSel === undefined && podSel === undefined) return false;
    const nsOk = nsSel === undefined ? pod.namespace === policyNamespace : matchesSelector(nsSel, namespaceLabels(cluster, pod.namespace));
    const podOk = podSel === undefined ? true : matchesSelector(podSel, pod.labels);
    return nsOk && podOk;
}

function ipToInt(ip: string): number | undefined {
    const parts = ip.split(".").map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
    return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

export function cidrContains(cidr: string, ip: string): boolean {
    const [base, bits] = cidr.split("/");
    const b = ipToInt(base);
    const i = ipToInt(ip);
    const n = Number(bits ?? 32);
    if (b === undefined || i === undefined || !(n >= 0 && n <= 32)) return false;
    const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
    return (b & mask) >>> 0 === (i & mask) >>> 0;
}

function peerMatchesAddress(peer: Record<string, unknown>, address: ExternalAddress): boolean {
    const block = peer.ipBlock as { cidr?: string; except?: string[] } | undefined;
    if (!block?.cidr) return false;
    return cidrContains(block.cidr, address.ip) && !asArray<string>(block.except).some((e) => cidrContains(e, address.ip));
}

/** Whether a rule's `ports` allows `port`, resolving named ports on the destination's ports. */
export function portsAllow(ports: unknown, port: PodPort, destinationPorts: readonly PodPort[]): boolean {
    const list = asArray<{ port?: number | string; endPort?: number; protocol?: Protocol }>(ports);
    if (list.length === 0) return true;
    return list.some((p) => {
        if ((p.protocol ?? "TCP") !== port.protocol) return false;
        if (p.port === undefined) return true;
        if (typeof p.port === "string" && !/^\d+$/.test(p.port)) {
            return destinationPorts.some((d) => d.name === p.port && d.protocol === port.protocol && d.port === port.port);
        }
        const start = Number(p.port);
        return p.endPort !== undefined ? port.port >= start && port.port <= p.endPort : port.port === start;
    });
}

function ruleAllows(
    rule: Record<string, unknown>,
    direction: "from" | "to",
    peerMatches: (peer: Record<string, unknown>) => boolean,
    port: PodPort,
    destinationPorts: readonly PodPort[],
): boolean {
    const peers = asArray<Record<string, unknown>>(rule[direction]);
    const peerOk = peers.length === 0 || peers.some(peerMatches);
    return peerOk && portsAllow(rule.ports, port, destinationPorts);
}

/** Whether `src` may send to `dst` on `port` (its egress side). */
export function egressAllows(cluster: Cluster, src: PodGroup, dst: Destination, port: PodPort): Verdict {
    const isolating = cluster.policies.filter((np) => policyTypes(np).includes("Egress") && selects(np, src));
    if (isolating.length === 0) return { allowed: true, reason: "" };
    const dstPorts = "pod" in dst ? dst.pod.ports : dst.address.ports;
    const ok = isolating.some((np) =>
        asArray<Record<string, unknown>>(np.spec?.egress).some((rule) =>
            ruleAllows(
                rule,
                "to",
                (peer) => ("pod" in dst ? peerMatchesPod(peer, namespaceOf(np)!, dst.pod, cluster) : peerMatchesAddress(peer, dst.address)),
                port,
                dstPorts,
            ),
        ),
    );
    return ok ? { allowed: true, reason: "" } : { allowed: false, reason: `no egress rule in ${src.namespace} allows it` };
}

/** Whether `dst` accepts from `src` on `port` (its ingress side). */
export function ingressAllows(cluster: Cluster, src: PodGroup, dst: PodGroup, port: PodPort): Verdict {
    const isolating = cluster.policies.filter((np) => policyTypes(np).includes("Ingress") && selects(np, dst));
    if (isolating.length === 0) return { allowed: true, reason: "" };
    const ok = isolating.some((np) =>
        asArray<Record<string, unknown>>(np.spec?.ingress).some((rule) =>
            ruleAllows(rule, "from", (peer) => peerMatchesPod(peer, namespaceOf(np)!, src, cluster), port, dst.ports),
        ),
    );
    return ok ? { allowed: true, reason: "" } : { allowed: false, reason: `no ingress rule in ${dst.namespace} allows it` };
}

/** Both sides: the source's egress and the destination's ingress (an external address has no ingress side). */
export function canConnect(cluster: Cluster, src: PodGroup, dst: Destination, port: PodPort): Verdict {
    const out = egressAllows(cluster, src, dst, port);
    const inn = "pod" in dst ? ingressAllows(cluster, src, dst.pod, port) : { allowed: true, reason: "" };
    const reasons = [out.reason, inn.reason].filter(Boolean);
    return { allowed: out.allowed && inn.allowed, reason: reasons.join(", and ") };
}

export interface Connection {
    readonly from: string;
    readonly to: string;
    readonly port: number;
    readonly protocol: Protocol;
}

export const connectionId = (c: Connection): string => `${c.from} → ${c.to}:${c.port}${c.protocol === "TCP" ? "" : `/${c.protocol}`}`;

/** The pod groups of a resource set: one per workload template, with its container ports. */
export function podGroupsOf(objects: readonly K8sObject[]): PodGroup[] {
    const out: PodGroup[] = [];
    for (const o of objects) {
        const pod = podTemplate(o);
        if (!pod) continue;
        const ports: PodPort[] = [];
        for (const c of [...asArray<Record<string, unknown>>(pod.spec.containers), ...asArray<Record<string, unknown>>(pod.spec.initContainers)]) {
            for (const p of asArray<{ name?: string; containerPort?: number; protocol?: Protocol }>(c.ports)) {
                if (typeof p.containerPort === "number") ports.push({ name: p.name, port: p.containerPort, protocol: p.protocol ?? "TCP" });
            }
        }
        out.push({ id: `${namespaceOf(o)}/${nameOf(o)}`, namespace: namespaceOf(o)!, labels: pod.metadata.labels ?? {}, ports });
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
        asArray<{ matchLabels?: Record<string, string> }>(endpoints).map((e) => {
            const { [CILIUM_NS]: ns, ...labels } = e.matchLabels ?? {};
            return ns === undefined
                ? { podSelector: { matchLabels: labels } }
                : { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } }, podSelector: { matchLabels: labels } };
        });
    const ports = (toPorts: unknown) =>
        asArray<{ ports?: { port?: string; protocol?: Protocol }[] }>(toPorts).flatMap((tp) =>
            asArray<{ port?: string; protocol?: Protocol }>(tp.ports).map((p) => ({
                port: /^\d+$/.test(String(p.port)) ? Number(p.port) : p.port,
                protocol: p.protocol ?? "TCP",
            })),
        );
    const spec = cnp.spec ?? {};
    const ingress = asArray<Record<string, unknown>>(spec.ingress).map((r) => ({ from: peers(r.fromEndpoints), ports: ports(r.toPorts) }));
    const egress = asArray<Record<string, unknown>>(spec.egress).map((r) => ({ to: peers(r.toEndpoints), ports: ports(r.toPorts) }));
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
    for (const o of objects) if (o.kind === "Namespace" && o.metadata?.name) namespaces.set(o.metadata.name, { ...(o.metadata.labels ?? {}) });
    const pods = [...podGroupsOf(objects), ...outside];
    for (const p of pods) if (!namespaces.has(p.namespace)) namespaces.set(p.namespace, {});
    const policies = [
        ...objects.filter((o) => o.kind === "NetworkPolicy"),
        ...objects.filter((o) => o.kind === "CiliumNetworkPolicy").map(ciliumAsNetworkPolicy),
    ];
    return { namespaces, pods, policies };
}
