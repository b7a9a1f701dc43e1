import { describe, isEmptySelector, isRecord, list, namespaceOf, record, show } from "../../lib/k8s";
import { KNOWN_OUTSIDE, modelOf, OUTSIDE_PEER_SCHEMA, type OutsidePeer } from "../../lib/matrix";
import { podsMatchingPeer, podsSelectedBy, type PodGroup } from "../../lib/reachability";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

/** Whether any of `pods` listens on a rule's port entry: a number, a range up to endPort (inclusive), or a name. */
function portExists(p: Record<string, unknown>, pods: Iterable<PodGroup>): boolean {
    if (p.port === undefined || p.port === null) return true;
    if (typeof p.port !== "string" && typeof p.port !== "number") return false;
    const protocol = p.protocol ?? "TCP";
    const named = typeof p.port === "string" && !/^\d+$/.test(p.port);
    const start = Number(p.port);
    const end = typeof p.endPort === "number" ? p.endPort : start;
    for (const pod of pods) {
        for (const pp of pod.ports) {
            if (pp.protocol !== protocol) continue;
            if (named ? pp.name === p.port : pp.port >= start && pp.port <= end) return true;
        }
    }
    return false;
}

/**
 * Checklist 1.2.5: policies that read well but select nothing. Each NetworkPolicy selects at least one
 * pod, each peer selector matches some pod, and each allowed port is one the pods listen on: the three
 * defects of the original chart (labels no pod had, port 80 for a container on 8080, `name`-labelled
 * kube-system).
 */
export const requireNetworkPolicyTargets = defineRule<{ outside: OutsidePeer[] }>({
    scope: "stack",
    name: "require-network-policy-targets",
    description:
        "Every NetworkPolicy selects at least one pod, every peer selector in its rules matches some pod (of the resource set or a declared outside peer), and every port it allows is one those pods listen on.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Build policy selectors from the same label helper as the pod templates; select namespaces by kubernetes.io/metadata.name; use the destination container's port (or its name).",
    checklist: ["1.2.5"],
    peers: {
        "kube-score": ["networkpolicy-targets-pod"],
        "kube-linter": ["dangling-networkpolicy", "dangling-networkpolicypeer-podselector"],
    },
    settings: {
        outside: {
            type: "array",
            items: OUTSIDE_PEER_SCHEMA,
            description: "Pods outside the resource set that rules may name.",
            default: Object.values(KNOWN_OUTSIDE),
        },
    },
    check: (objects, cfg) => {
        const model = modelOf(objects, cfg);
        const cluster = model.cluster;
        const out: Finding[] = [];
        for (const np of resourceSet(objects).ofKind("NetworkPolicy")) {
            const ns = namespaceOf(np) ?? "default";
            const spec = record(np.spec);
            const say = (m: string) => out.push({ object: np, message: `${describe(np)}: ${m}` });
            const selected = podsSelectedBy(cluster, np);
            const podSelector = spec.podSelector ?? {};
            if (!isEmptySelector(podSelector) && selected.length === 0) {
                say(`podSelector ${show(record(podSelector).matchLabels ?? podSelector)} selects no pods in ${ns}`);
            }
            for (const [dir, key] of [
                ["ingress", "from"],
                ["egress", "to"],
            ] as const) {
                list(spec[dir]).forEach((rule, i) => {
                    const r = record(rule);
                    const peers = list(r[key]);
                    const everyone = dir === "egress" && peers.length === 0;
                    const peerPods = new Set<PodGroup>();
                    peers.forEach((peer, j) => {
                        if (isRecord(peer) && peer.ipBlock) return;
                        const matched = podsMatchingPeer(cluster, peer, ns);
                        if (matched.size === 0) say(`${dir} rule ${i + 1}, peer ${j + 1} (${show(peer)}) matches no pods`);
                        for (const p of matched) peerPods.add(p);
                    });
                    const listeners: Iterable<PodGroup> = dir === "ingress" ? selected : everyone ? cluster.pods : peerPods;
                    if (dir === "ingress" ? selected.length === 0 : !everyone && peerPods.size === 0) return;
                    for (const p of list(r.ports)) {
                        if (!isRecord(p) || portExists(p, listeners)) continue;
                        const range = typeof p.endPort === "number" ? `-${p.endPort}` : "";
                        const protocol = p.protocol === undefined ? "TCP" : typeof p.protocol === "string" ? p.protocol : show(p.protocol);
                        say(
                            `${dir} rule ${i + 1} allows port ${show(p.port)}${range}/${protocol}, which none of its ${dir === "ingress" ? "selected" : "destination"} pods listen on`,
                        );
                    }
                });
            }
        }
        return out;
    },
});
