/** The declared traffic matrix as pack config, and its comparison with what the policies allow. */
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import {
    canConnect,
    clusterOf,
    connectionId,
    isSelectedByAnyPolicy,
    reachableConnections,
    type Cluster,
    type Connection,
    type PodGroup,
    type PodPort,
    type Protocol,
} from "./reachability";
import { namespaceOf, nameOf, type K8sObject } from "./k8s";
import { resourceSet } from "./resourceSet";

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
    grafana: {
        id: "monitoring/grafana",
        namespace: "monitoring",
        labels: { "app.kubernetes.io/name": "grafana" },
        ports: [{ name: "grafana", port: 3000, protocol: "TCP" }],
    },
    "tracing-backend": {
        id: "monitoring/tempo",
        namespace: "monitoring",
        labels: { "app.kubernetes.io/name": "tempo" },
        ports: [{ name: "otlp-grpc", port: 4317, protocol: "TCP" }],
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
    /**
     * `ns/name -> ns/name:port/PROTOCOL`, each of which must be reachable. A name ending in `*` names every
     * pod group whose name starts with the rest: Jobs named per release, `ns/verify-connectivity-*`.
     */
    readonly allowed: readonly string[];
    /** Flows that must not be reachable, named for the report (the checklist's three). */
    readonly denied: readonly string[];
    /** When true, every reachable connection between the platform's pods must be declared. */
    readonly strict: boolean;
}

/** A flow as the pack config writes it: `ns/name -> ns/name:port/PROTOCOL` (the protocol defaults to TCP). */
export const FLOW_PATTERN = "^\\s*(\\S+)\\s*->\\s*(\\S+):(\\d{1,5})(?:/(TCP|UDP|SCTP))?\\s*$";
const FLOW = new RegExp(FLOW_PATTERN);

/** The settings schema of one outside peer, so the pack config is checked before any rule reads it. */
export const OUTSIDE_PEER_SCHEMA: PolicyConfigJSONSchema = {
    type: "object",
    required: ["id", "namespace", "labels", "ports"],
    additionalProperties: false,
    properties: {
        id: { type: "string", pattern: "^[^/\\s]+/[^/\\s]+$" },
        namespace: { type: "string", minLength: 1 },
        labels: { type: "object", additionalProperties: { type: "string" } },
        ports: {
            type: "array",
            items: {
                type: "object",
                required: ["port", "protocol"],
                additionalProperties: false,
                properties: {
                    name: { type: "string" },
                    port: { type: "integer", minimum: 1, maximum: 65535 },
                    protocol: { type: "string", enum: ["TCP", "UDP", "SCTP"] },
                },
            },
        },
    },
};

export function parseFlow(s: string): Connection {
    const m = FLOW.exec(s);
    if (!m) throw new Error(`not a flow: ${JSON.stringify(s)} (expected "ns/name -> ns/name:port/TCP")`);
    return { from: m[1], to: m[2], port: Number(m[3]), protocol: (m[4] ?? "TCP") as Protocol };
}

/** Whether a declared pod-group ID names `id`: the same ID, or a prefix followed by `*`. */
export function idMatches(declared: string, id: string): boolean {
    return declared.endsWith("*") ? id.startsWith(declared.slice(0, -1)) : declared === id;
}

/** Whether a concrete connection is one a declared flow names. */
export function flowMatches(declared: Connection, c: Connection): boolean {
    return idMatches(declared.from, c.from) && idMatches(declared.to, c.to) && declared.port === c.port && declared.protocol === c.protocol;
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

const workloadIds = new WeakMap<readonly K8sObject[], Map<string, K8sObject>>();

/** The workload of the resource set that pod group `id` (`namespace/name`) stands for, if it is in the set. */
export function workloadFor(objects: readonly K8sObject[], id: string): K8sObject | undefined {
    let byId = workloadIds.get(objects);
    if (!byId) {
        byId = new Map();
        for (const w of resourceSet(objects).workloads) {
            const wid = `${namespaceOf(w.object)}/${nameOf(w.object)}`;
            if (!byId.has(wid)) byId.set(wid, w.object);
        }
        workloadIds.set(objects, byId);
    }
    return byId.get(id);
}

/**
 * The object a finding about pod group `id` is reported on: the workload itself when it is in the set,
 * else its namespace.
 */
export function anchorFor(objects: readonly K8sObject[], id: string): K8sObject {
    return workloadFor(objects, id) ?? { apiVersion: "v1", kind: "Namespace", metadata: { name: id.split("/")[0] } };
}

/** The object a finding about a flow is reported on: its source workload, else (a source outside the set) its destination's. */
export function flowAnchor(objects: readonly K8sObject[], c: Connection): K8sObject {
    return workloadFor(objects, c.from) ?? workloadFor(objects, c.to) ?? anchorFor(objects, c.from);
}

/**
 * The connections between the model's pod groups that a declared flow names, one per matching source and
 * destination; the flow itself when an end matches no pod group, so that judging it says which.
 */
export function expandFlow(model: MatrixModel, c: Connection): Connection[] {
    const ids = [...model.byId.keys()];
    const froms = ids.filter((id) => idMatches(c.from, id));
    const tos = ids.filter((id) => idMatches(c.to, id));
    if (froms.length === 0 || tos.length === 0) return [c];
    return froms.flatMap((from) => tos.map((to) => ({ ...c, from, to })));
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
    const governed = new Set(model.cluster.pods.filter((p) => !model.outsideIds.has(p.id) || isSelectedByAnyPolicy(model.cluster, p)));
    return reachableConnections(model.cluster, (src, dst) => governed.has(src) || governed.has(dst));
}

export { connectionId };
