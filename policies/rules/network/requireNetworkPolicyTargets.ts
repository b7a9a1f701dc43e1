import { describe, isEmptySelector, namespaceOf } from "../../lib/k8s";
import { KNOWN_OUTSIDE, modelOf, type OutsidePeer } from "../../lib/matrix";
import { peerMatchesPod, selects, type PodGroup } from "../../lib/reachability";
import { defineRule, type Finding } from "../../lib/rule";

/* eslint-disable @typescript-eslint/no-explicit-any */

function portExists(p: { port?: number | string; protocol?: string }, pods: readonly PodGroup[]): boolean {
    if (p.port === undefined) return true;
    const protocol = p.protocol ?? "TCP";
    return pods.some((pod) =>
        pod.ports.some(
            (pp) =>
                pp.protocol === protocol && (typeof p.port === "string" && !/^\d+$/.test(p.port) ? pp.name === p.port : pp.port === Number(p.port)),
        ),
    );
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
            items: { type: "object" },
            description: "Pods outside the resource set that rules may name.",
            default: Object.values(KNOWN_OUTSIDE),
        },
    },
    check: (objects, cfg) => {
        const model = modelOf(objects, cfg);
        const pods = model.cluster.pods;
        const out: Finding[] = [];
        for (const np of objects.filter((o) => o.kind === "NetworkPolicy")) {
            const ns = namespaceOf(np)!;
            const say = (m: string) => out.push({ object: np, message: `${describe(np)}: ${m}` });
            const selected = pods.filter((p) => selects(np, p));
            if (!isEmptySelector(np.spec?.podSelector ?? {}) && selected.length === 0) {
                say(`podSelector ${JSON.stringify(np.spec.podSelector.matchLabels ?? np.spec.podSelector)} selects no pods in ${ns}`);
            }
            for (const [dir, key] of [
                ["ingress", "from"],
                ["egress", "to"],
            ] as const) {
                (Array.isArray(np.spec?.[dir]) ? np.spec[dir] : []).forEach((rule: any, i: number) => {
                    const peers: any[] = Array.isArray(rule?.[key]) ? rule[key] : [];
                    let peerPods: PodGroup[] = dir === "egress" && peers.length === 0 ? [...pods] : [];
                    peers.forEach((peer, j) => {
                        if (peer.ipBlock) return;
                        const matched = pods.filter((p) => peerMatchesPod(peer, ns, p, model.cluster));
                        if (matched.length === 0) say(`${dir} rule ${i + 1}, peer ${j + 1} (${JSON.stringify(peer)}) matches no pods`);
                        peerPods = [...peerPods, ...matched];
                    });
                    const listeners = dir === "ingress" ? selected : peerPods;
                    if (listeners.length === 0) return;
                    for (const p of Array.isArray(rule?.ports) ? rule.ports : []) {
                        if (!portExists(p, listeners))
                            say(
                                `${dir} rule ${i + 1} allows port ${JSON.stringify(p.port)}/${p.protocol ?? "TCP"}, which none of its ${dir === "ingress" ? "selected" : "destination"} pods listen on`,
                            );
                    }
                });
            }
        }
        return out;
    },
});
