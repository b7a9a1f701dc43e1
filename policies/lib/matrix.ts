/** The declared traffic matrix as pack config, and its comparison with what the policies allow. */
import {
    canConnect,
    clusterOf,
    connectionId,
    selects,
    type Cluster,
    type Connection,
    type PodGroup,
    type PodPort,
    type Protocol,
} from "./reachability";
import { namespaceOf, nameOf, podTemplate, type K8sObject } from "./k8s";

/** A pod group outside the resource set (kube-dns, the ingress controller), described by its labels. */
export interface OutsidePeer {
    readonly id: string;
    readonly namespace: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly ports: readonly PodPort[];
}

/**
 * Pods a platform talks to but does not run: their usual namespaces and labels. Their namespaces carry only
 * `kubernetes.io/metadata.name`, as Kubernetes sets it (a hand-set `name` label is not there to select).
 */
export const KNOWN_OUTSIDE = {
    "ingress-controller": {
        id: "ingress-nginx/ingress-controller",
        namespace: "ingress-nginx",
        labels: { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller" },
        ports: [
            { name: "http", port: 80, protocol: "TCP" },
            { name: "https", port: 443, protocol: "TCP" },
        ],
    },
    "kube-dns": {
        id: "kube-system/kube-dns",
        namespace: "kube-system",
        labels: { "k8s-app": "kube-dns" },
        ports: [
            { name: "dns", port: 53, protocol: "UDP" },
            { name: "dns-tcp", port: 53, protocol: "TCP" },
            { name: "metrics", port: 9153, protocol: "TCP" },
        ],
    },
    prometheus: {
        id: "monitoring/prometheus",
        namespace: "monitoring",
        labels: { "app.kubernetes.io/name": "prometheus" },
        ports: [{ name: "web", port: 9090, protocol: "TCP" }],
    },
    "keda-operator": {
        id: "keda/keda-operator",
        namespace: "keda",
        labels: { "app.kubernetes.io/name": "keda-operator" },
        ports: [{ name: "metrics", port: 8080, protocol: "TCP" }],
    },
    "acme-solver": {
        id: "voting-frontend/acme-http01-solver",
        namespace: "voting-frontend",
        labels: { "acme.cert-manager.io/http01-solver": "true" },
        ports: [{ name: "http", port: 8089, protocol: "TCP" }],
    },
} as const satisfies Record<string, OutsidePeer>;

export interface MatrixConfig {
    readonly outside: readonly OutsidePeer[];
    /** `ns/name -> ns/name:port/PROTOCOL`, each of which must be reachable. */
    readonly allowed: readonly string[];
    /** Flows that must not be reachable, named for the report (the checklist's three). */
    readonly denied: readonly string[];
    /** When true, every reachable connection between the platform's pods must be declared. */
    readonly strict: boolean;
}

const FLOW = /^\s*(\S+)\s*->\s*(\S+):(\d+)(?:\/(TCP|UDP|SCTP))?\s*$/;

export function parseFlow(s: string): Connection {
    const m = FLOW.exec(s);
    if (!m) throw new Error(`not a flow: ${JSON.stringify(s)} (expected "ns/name -> ns/name:port/TCP")`);
    return { from: m[1], to: m[2], port: Number(m[3]), protocol: (m[4] ?? "TCP") as Protocol };
}

export interface MatrixModel {
    readonly cluster: Cluster;
    readonly byId: ReadonlyMap<string, PodGroup>;
    readonly outsideIds: ReadonlySet<string>;
}

export function modelOf(objects: readonly K8sObject[], cfg: Pick<MatrixConfig, "outside">): MatrixModel {
    const outside: PodGroup[] = cfg.outside.map((o) => ({ ...o }));
    const nsLabels = Object.fromEntries(cfg.outside.map((o) => [o.namespace, {}]));
    const cluster = clusterOf(objects, outside, nsLabels);
    return { cluster, byId: new Map(cluster.pods.map((p) => [p.id, p])), outsideIds: new Set(outside.map((o) => o.id)) };
}

/**
 * The object a finding about pod group `id` is reported on: the workload itself when it is in the set,
 * else its namespace.
 */
export function anchorFor(objects: readonly K8sObject[], id: string): K8sObject {
    const [ns, name] = id.split("/");
    return (
        objects.find((o) => podTemplate(o) && namespaceOf(o) === ns && nameOf(o) === name) ?? {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: { name: ns },
        }
    );
}

export interface FlowVerdict {
    readonly connection: Connection;
    readonly allowed: boolean;
    readonly reason: string;
}

/** Whether one flow is reachable in the model (a missing pod counts as unreachable, with that reason). */
export function judgeFlow(model: MatrixModel, c: Connection): FlowVerdict {
    const src = model.byId.get(c.from);
    const dst = model.byId.get(c.to);
    if (!src) return { connection: c, allowed: false, reason: `no pods of ${c.from} are in the resource set` };
    if (!dst) return { connection: c, allowed: false, reason: `no pods of ${c.to} are in the resource set` };
    const port = dst.ports.find((p) => p.port === c.port && p.protocol === c.protocol) ?? { port: c.port, protocol: c.protocol };
    const v = canConnect(model.cluster, src, { pod: dst }, port);
    return { connection: c, allowed: v.allowed, reason: v.reason };
}

/** Every reachable connection the resource set's policies govern: at least one end is a pod of the set or is selected by one of its policies. */
export function reachable(model: MatrixModel): Connection[] {
    const governed = (p: PodGroup) => !model.outsideIds.has(p.id) || model.cluster.policies.some((np) => selects(np, p));
    const out: Connection[] = [];
    for (const src of model.cluster.pods) {
        for (const dst of model.cluster.pods) {
            if (src === dst || (!governed(src) && !governed(dst))) continue;
            for (const port of dst.ports) {
                if (canConnect(model.cluster, src, { pod: dst }, port).allowed)
                    out.push({ from: src.id, to: dst.id, port: port.port, protocol: port.protocol });
            }
        }
    }
    return out;
}

export { connectionId };
