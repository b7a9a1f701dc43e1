import * as assert from "assert";
import fc from "fast-check";
import type { K8sObject } from "../../../policies/lib/k8s";
import {
    canConnect,
    connectionId,
    reachableConnections,
    type Cluster,
    type PodGroup,
    type PodPort,
    type Protocol,
} from "../../../policies/lib/reachability";

/*
 * A brute-force reference, written from the NetworkPolicy documentation independently of the analyzer:
 * it expands every rule of every policy into the explicit set of (peer pod, port) pairs it allows, then
 * intersects the source's egress set with the destination's ingress set.
 */

type Sel = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] };

function bfSelect(sel: Sel | undefined, labels: Record<string, string>): boolean {
    if (sel === undefined) return true;
    for (const k of Object.keys(sel.matchLabels ?? {})) if (labels[k] !== sel.matchLabels![k]) return false;
    for (const e of sel.matchExpressions ?? []) {
        const has = e.key in labels;
        const inValues = (e.values ?? []).includes(labels[e.key]);
        const ok =
            e.operator === "In"
                ? has && inValues
                : e.operator === "NotIn"
                  ? !has || !inValues
                  : e.operator === "Exists"
                    ? has
                    : e.operator === "DoesNotExist"
                      ? !has
                      : false;
        if (!ok) return false;
    }
    return true;
}

function bfTypes(np: K8sObject): string[] {
    if (Array.isArray(np.spec.policyTypes) && np.spec.policyTypes.length > 0) return np.spec.policyTypes;
    // Defaulting as the API server does it: Egress when there is at least one egress rule.
    return (np.spec.egress ?? []).length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

/** All (pod id, port key) pairs one rule allows, enumerated over the cluster. */
function bfExpand(
    rule: any,
    dir: "from" | "to",
    policyNs: string,
    cluster: Cluster,
    portsOf: (peer: PodGroup, self: PodGroup) => PodPort[],
    self: PodGroup,
): Set<string> {
    const out = new Set<string>();
    const peers: any[] = rule[dir] ?? [];
    for (const pod of cluster.pods) {
        const peerOk =
            peers.length === 0 ||
            peers.some((p) => {
                if (p.ipBlock || (p.namespaceSelector === undefined && p.podSelector === undefined)) return false;
                const nsLabels = { ...(cluster.namespaces.get(pod.namespace) ?? {}), "kubernetes.io/metadata.name": pod.namespace };
                const nsOk = p.namespaceSelector === undefined ? pod.namespace === policyNs : bfSelect(p.namespaceSelector, nsLabels);
                return nsOk && bfSelect(p.podSelector, pod.labels);
            });
        if (!peerOk) continue;
        for (const port of portsOf(pod, self)) {
            const dest = dir === "from" ? self : pod;
            const ports: any[] = rule.ports ?? [];
            const portOk =
                ports.length === 0 ||
                ports.some((rp) => {
                    const proto = rp.protocol ?? "TCP";
                    if (proto !== port.protocol) return false;
                    if (rp.port === undefined) return true;
                    if (typeof rp.port === "string")
                        return dest.ports.some((d) => d.name === rp.port && d.port === port.port && d.protocol === port.protocol);
                    if (rp.endPort !== undefined) return port.port >= rp.port && port.port <= rp.endPort;
                    return port.port === rp.port;
                });
            if (portOk) out.add(`${pod.id}|${port.port}/${port.protocol}`);
        }
    }
    return out;
}

function bruteForce(cluster: Cluster, src: PodGroup, dst: PodGroup, port: PodPort): boolean {
    const want = (id: string) => `${id}|${port.port}/${port.protocol}`;
    const egressPolicies = cluster.policies.filter(
        (np) => np.metadata!.namespace === src.namespace && bfSelect(np.spec.podSelector, src.labels) && bfTypes(np).includes("Egress"),
    );
    let egressOk = egressPolicies.length === 0;
    for (const np of egressPolicies) {
        for (const rule of np.spec.egress ?? []) {
            if (bfExpand(rule, "to", np.metadata!.namespace!, cluster, (peer) => peer.ports as PodPort[], src).has(want(dst.id))) egressOk = true;
        }
    }
    const ingressPolicies = cluster.policies.filter(
        (np) => np.metadata!.namespace === dst.namespace && bfSelect(np.spec.podSelector, dst.labels) && bfTypes(np).includes("Ingress"),
    );
    let ingressOk = ingressPolicies.length === 0;
    for (const np of ingressPolicies) {
        for (const rule of np.spec.ingress ?? []) {
            if (bfExpand(rule, "from", np.metadata!.namespace!, cluster, (_peer, self) => self.ports as PodPort[], dst).has(want(src.id)))
                ingressOk = true;
        }
    }
    return egressOk && ingressOk;
}

// Small vocabularies so that random selectors often match.
const NAMESPACES = ["a", "b", "c"];
const labelKey = fc.constantFrom("app", "tier", "team");
const labelValue = fc.constantFrom("x", "y", "z");
const labels = fc.dictionary(labelKey, labelValue, { maxKeys: 2 });
const protocol = fc.constantFrom<Protocol>("TCP", "UDP");
const portNumber = fc.constantFrom(53, 80, 443, 5432, 8080);
const podPort = fc.record({ name: fc.option(fc.constantFrom("http", "db", "dns"), { nil: undefined }), port: portNumber, protocol });
const selector: fc.Arbitrary<Sel> = fc.oneof(
    fc.constant({}),
    fc.record({ matchLabels: labels }),
    fc.record({
        matchExpressions: fc.array(
            fc.record({
                key: labelKey,
                operator: fc.constantFrom("In", "NotIn", "Exists", "DoesNotExist"),
                values: fc.array(labelValue, { minLength: 1, maxLength: 2 }),
            }),
            { minLength: 1, maxLength: 2 },
        ),
    }),
);
const peer = fc.oneof(
    fc.record({ podSelector: selector }),
    fc.record({ namespaceSelector: selector }),
    fc.record({ namespaceSelector: selector, podSelector: selector }),
    fc.constant({ ipBlock: { cidr: "0.0.0.0/0" } }),
);
const rulePort = fc.oneof(
    fc.record({ port: portNumber, protocol: fc.option(protocol, { nil: undefined }) }),
    fc.record({ port: fc.constantFrom("http", "db", "dns") }),
    fc.record({ port: fc.constant(50), endPort: fc.constant(500) }),
    fc.record({ protocol }),
);
const rule = (dir: "from" | "to") =>
    fc.record({
        [dir]: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }),
        ports: fc.option(fc.array(rulePort, { maxLength: 2 }), { nil: undefined }),
    });
const policy = fc.record({
    namespace: fc.constantFrom(...NAMESPACES),
    podSelector: selector,
    policyTypes: fc.option(fc.subarray(["Ingress", "Egress"], { minLength: 1 }), { nil: undefined }),
    ingress: fc.option(fc.array(rule("from"), { maxLength: 2 }), { nil: undefined }),
    egress: fc.option(fc.array(rule("to"), { maxLength: 2 }), { nil: undefined }),
});
const pod = fc.record({ namespace: fc.constantFrom(...NAMESPACES), labels, ports: fc.array(podPort, { minLength: 1, maxLength: 2 }) });
const clusterArb = fc.record({
    nsLabels: fc.tuple(labels, labels, labels),
    pods: fc.array(pod, { minLength: 2, maxLength: 5 }),
    policies: fc.array(policy, { maxLength: 4 }),
});

function toCluster(c: any): Cluster {
    const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
    return {
        namespaces: new Map(NAMESPACES.map((n, i) => [n, c.nsLabels[i]])),
        pods: c.pods.map((p: any, i: number) => ({
            id: `${p.namespace}/p${i}`,
            namespace: p.namespace,
            labels: p.labels,
            ports: p.ports.map(strip),
        })),
        policies: c.policies.map((p: any, i: number) => ({
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: `np${i}`, namespace: p.namespace },
            spec: strip({
                podSelector: p.podSelector,
                policyTypes: p.policyTypes,
                ingress: p.ingress?.map((r: any) => strip({ from: r.from, ports: r.ports?.map(strip) })),
                egress: p.egress?.map((r: any) => strip({ to: r.to, ports: r.ports?.map(strip) })),
            }),
        })),
    };
}

describe("reachability analyzer against a brute-force evaluation (property)", () => {
    it("agrees on every source, destination and port of random small clusters", () => {
        const seen = { allowed: 0, denied: 0 };
        fc.assert(
            fc.property(clusterArb, (raw) => {
                const cluster = toCluster(raw);
                for (const src of cluster.pods) {
                    for (const dst of cluster.pods) {
                        if (src === dst) continue;
                        for (const port of dst.ports) {
                            const got = canConnect(cluster, src, { pod: dst }, port).allowed;
                            const want = bruteForce(cluster, src, dst, port);
                            seen[got ? "allowed" : "denied"]++;
                            if (got !== want) {
                                throw new Error(
                                    `${src.id} → ${dst.id}:${port.port}/${port.protocol}: analyzer ${got}, brute force ${want}\n${JSON.stringify(cluster.policies, null, 1)}`,
                                );
                            }
                        }
                    }
                }
            }),
            { numRuns: 400, seed: 20261127 },
        );
        // The generator must exercise both outcomes, or agreement would prove nothing.
        assert.ok(seen.allowed > 500 && seen.denied > 500, JSON.stringify(seen));
    });

    it("lists as reachable exactly the connections the brute force allows, in source, destination, port order", () => {
        let found = 0;
        fc.assert(
            fc.property(clusterArb, (raw) => {
                const cluster = toCluster(raw);
                const want: string[] = [];
                for (const src of cluster.pods) {
                    for (const dst of cluster.pods) {
                        if (src === dst) continue;
                        for (const port of dst.ports) {
                            if (bruteForce(cluster, src, dst, port))
                                want.push(connectionId({ from: src.id, to: dst.id, port: port.port, protocol: port.protocol }));
                        }
                    }
                }
                const got = reachableConnections(cluster, () => true).map(connectionId);
                found += got.length;
                assert.deepStrictEqual(got, want, JSON.stringify(cluster.policies, null, 1));
            }),
            { numRuns: 400, seed: 20261128 },
        );
        assert.ok(found > 500, `only ${found} connections: the generator must open some`);
    });

    it("finds no connection into a namespace whose default-deny has no allows, whatever else exists", () => {
        fc.assert(
            fc.property(clusterArb, (raw) => {
                const cluster = toCluster(raw);
                const deny: K8sObject = {
                    apiVersion: "networking.k8s.io/v1",
                    kind: "NetworkPolicy",
                    metadata: { name: "deny", namespace: "c" },
                    spec: { podSelector: {}, policyTypes: ["Ingress"] },
                };
                const sealed = { ...cluster, policies: [...cluster.policies.filter((p) => p.metadata!.namespace !== "c"), deny] };
                for (const dst of sealed.pods.filter((p) => p.namespace === "c")) {
                    for (const src of sealed.pods) {
                        if (src !== dst) for (const port of dst.ports) assert.strictEqual(canConnect(sealed, src, { pod: dst }, port).allowed, false);
                    }
                }
            }),
            { numRuns: 200, seed: 7 },
        );
    });
});
