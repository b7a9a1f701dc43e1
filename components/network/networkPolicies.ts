import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../../config/types";
import { NAMESPACES, type ResolvedWorkload } from "../../config/workloads";
import { platformLabels } from "../labels";
import { BACKUP_NAME, RESTORE_NAME, RESTORE_TEST_NAME } from "../jobs/postgresBackup";
import { buildApiL7Policy } from "./ciliumL7";
import { CHECKS } from "../verify/postDeploy";
import { allowedFlows, OUTSIDE, peerLabels, peerNamespace, platformPeers, type Flow, type PeerRef, type PlatformPeer } from "./trafficMatrix";

type NetworkPolicy = k8s.types.input.networking.v1.NetworkPolicy;

const labels = (stack: string) => platformLabels("network", stack);

/** A peer in one element: the namespace by the label Kubernetes sets, AND the pods by their name label. */
function peer(ref: PeerRef, peers: readonly PlatformPeer[]) {
    return {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": peerNamespace(ref, peers) } },
        podSelector: { matchLabels: peerLabels(ref, peers) },
    };
}

const key = (ref: PeerRef) => ("outside" in ref ? `outside:${ref.outside}` : ref.platform);
const nameOfRef = (ref: PeerRef) => ("outside" in ref ? ref.outside : ref.platform);

/** Deny everything in both directions; each flow is then allowed by name. */
export function buildDefaultDeny(namespace: string, stack: string): NetworkPolicy {
    return { metadata: { name: "default-deny", namespace, labels: labels(stack) }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } };
}

/** Checklist 1.2.3: every pod may query kube-dns on 53/UDP and 53/TCP, selected by kubernetes.io/metadata.name. */
export function buildDnsEgress(namespace: string, stack: string): NetworkPolicy {
    const dns = OUTSIDE["kube-dns"];
    return {
        metadata: { name: "allow-dns-egress", namespace, labels: labels(stack) },
        spec: {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": dns.namespace } },
                            podSelector: { matchLabels: { ...dns.labels } },
                        },
                    ],
                    ports: [
                        { port: 53, protocol: "UDP" },
                        { port: 53, protocol: "TCP" },
                    ],
                },
            ],
        },
    };
}

/** Groups flows by one end, one rule per peer at the other end with all its ports. */
function rulesFor(flows: readonly Flow[], other: (f: Flow) => PeerRef, peers: readonly PlatformPeer[], dir: "from" | "to") {
    const byPeer = new Map<string, { ref: PeerRef; ports: { port: number; protocol: string }[] }>();
    for (const f of flows) {
        const ref = other(f);
        const k = key(ref);
        if (!byPeer.has(k)) byPeer.set(k, { ref, ports: [] });
        byPeer.get(k)!.ports.push({ port: f.port, protocol: f.protocol });
    }
    return [...byPeer.values()].map(({ ref, ports }) => ({ [dir]: [peer(ref, peers)], ports }));
}

/**
 * The allow policies of the matrix: at each destination an ingress policy naming its sources, and at each
 * source an egress policy naming its destinations, both with the destination container's port.
 */
export function buildAllowPolicies(flows: readonly Flow[], peers: readonly PlatformPeer[], stack: string): NetworkPolicy[] {
    const out: NetworkPolicy[] = [];
    const ends = new Map<string, PeerRef>();
    for (const f of flows) for (const ref of [f.from, f.to]) ends.set(key(ref), ref);
    for (const ref of [...ends.values()].sort((a, b) => key(a).localeCompare(key(b)))) {
        const ns = peerNamespace(ref, peers);
        // Pods outside the platform are only isolated where they run in a platform namespace (the ACME solver).
        if ("outside" in ref && !Object.values(NAMESPACES).includes(ns as never)) continue;
        const podSelector = { matchLabels: peerLabels(ref, peers) };
        const inbound = flows.filter((f) => key(f.to) === key(ref));
        const outbound = flows.filter((f) => key(f.from) === key(ref) && !("outside" in f.from));
        if (inbound.length > 0) {
            out.push({
                metadata: { name: `allow-ingress-to-${nameOfRef(ref)}`, namespace: ns, labels: labels(stack) },
                spec: { podSelector, policyTypes: ["Ingress"], ingress: rulesFor(inbound, (f) => f.from, peers, "from") },
            });
        }
        if (outbound.length > 0) {
            out.push({
                metadata: { name: `allow-egress-from-${nameOfRef(ref)}`, namespace: ns, labels: labels(stack) },
                spec: { podSelector, policyTypes: ["Egress"], egress: rulesFor(outbound, (f) => f.to, peers, "to") },
            });
        }
    }
    return out;
}

/** Flows into the API that the Cilium L7 policy carries instead of a Kubernetes ingress rule. */
const l7Carried = (f: Flow) => "platform" in f.to && f.to.platform === "api";

/** Ranges that are never object storage: the pod, service and node networks, and the cloud metadata service. */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16"];

/** Backup and restore pods reach object storage over HTTPS, and nothing else outside the cluster (checklist 4.2.2). */
export function buildObjectStorageEgress(namespace: string, stack: string): NetworkPolicy {
    const instances = [BACKUP_NAME, RESTORE_NAME, RESTORE_TEST_NAME].map((n) => `${n}-${stack}`);
    return {
        metadata: { name: "allow-egress-to-object-storage", namespace, labels: labels(stack) },
        spec: {
            podSelector: { matchExpressions: [{ key: "app.kubernetes.io/instance", operator: "In", values: instances }] },
            policyTypes: ["Egress"],
            egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: PRIVATE_RANGES } }], ports: [{ port: 443, protocol: "TCP" }] }],
        },
    };
}

/** The collector reaches the cloud's log service over HTTPS, and nothing else outside the cluster (checklist 3.1.2). */
export function buildLogServiceEgress(namespace: string, stack: string): NetworkPolicy {
    return {
        metadata: { name: "allow-egress-to-log-service", namespace, labels: labels(stack) },
        spec: {
            podSelector: { matchLabels: { "app.kubernetes.io/instance": `otel-collector-${stack}` } },
            policyTypes: ["Egress"],
            egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: PRIVATE_RANGES } }], ports: [{ port: 443, protocol: "TCP" }] }],
        },
    };
}

/** Every NetworkPolicy of a stack: default-deny and DNS in each namespace, then the matrix's allows. */
export function buildNetworkPolicies(cfg: Pick<PlatformConfig, "features" | "stack">, workloads: readonly ResolvedWorkload[]): NetworkPolicy[] {
    const peers = platformPeers(workloads, cfg.features);
    const namespaces = Object.values(NAMESPACES);
    const flows = allowedFlows(cfg);
    const policies = buildAllowPolicies(flows, peers, cfg.stack);
    return [
        ...namespaces.flatMap((ns) => [buildDefaultDeny(ns, cfg.stack), buildDnsEgress(ns, cfg.stack)]),
        buildObjectStorageEgress(NAMESPACES.data, cfg.stack),
        ...(cfg.features.logShipping ? [buildLogServiceEgress(NAMESPACES.api, cfg.stack)] : []),
        // DNS egress is granted namespace-wide above; the per-pod policies carry the service flows. With L7
        // policies the API's ingress moves to Cilium (an L4 allow beside an L7 rule would admit every request).
        ...(cfg.features.ciliumL7Policies && flows.some(l7Carried)
            ? policies.filter((p) => (p.metadata as { name: string }).name !== "allow-ingress-to-api")
            : policies),
    ];
}

export interface TrafficPoliciesArgs {
    readonly config: Pick<PlatformConfig, "features" | "stack">;
    readonly workloads: readonly ResolvedWorkload[];
}

/** The traffic matrix as NetworkPolicies (checklist 1.2.2–1.2.4, 1.4.4). */
export class TrafficPolicies extends pulumi.ComponentResource {
    /** The NetworkPolicies (and the Cilium L7 policy, when on): what pods wait for. */
    public readonly policies: pulumi.Resource[];

    constructor(name: string, args: TrafficPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:network:TrafficPolicies", name, {}, opts);
        this.policies = buildNetworkPolicies(args.config, args.workloads).map((np) => {
            const meta = np.metadata as { name: string; namespace: string };
            return new k8s.networking.v1.NetworkPolicy(`${name}-${meta.namespace}-${meta.name}`, np, { parent: this });
        });
        if (args.config.features.ciliumL7Policies) {
            const w = (n: string) => args.workloads.find((x) => x.name === n)!;
            const peers = platformPeers(args.workloads, args.config.features);
            const smoke = allowedFlows(args.config).some((f) => "platform" in f.from && f.from.platform === CHECKS.smoke && l7Carried(f))
                ? {
                      namespace: peerNamespace({ platform: CHECKS.smoke }, peers),
                      labels: peerLabels({ platform: CHECKS.smoke }, peers),
                  }
                : undefined;
            const l7 = buildApiL7Policy(w("api"), w("frontend"), args.config.stack, args.config.features.monitoring, smoke);
            this.policies.push(new k8s.apiextensions.CustomResource(`${name}-api-l7`, l7, { parent: this }));
        }
        this.registerOutputs({});
    }
}
