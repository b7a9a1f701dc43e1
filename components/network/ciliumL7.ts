import type { ResolvedWorkload } from "../../config/workloads";
import { peerSelectorLabels, platformLabels } from "../labels";
import { OUTSIDE } from "./trafficMatrix";

/** The API's HTTP surface: the only methods and paths its callers may use (checklist 9.4). */
export const API_ROUTES = {
    frontend: [
        { method: "POST", path: "/api/vote" },
        { method: "GET", path: "/api/results" },
        { method: "GET", path: "/api/health" },
    ],
    prometheus: [{ method: "GET", path: "/metrics" }],
    /** The post-deploy smoke check asks whether the API reaches its data layer (checklist 7.2.1). */
    smoke: [{ method: "GET", path: "/ready" }],
} as const;

/** A caller of the API other than the frontend and Prometheus: its namespace and pod labels. */
export interface ApiCaller {
    readonly namespace: string;
    readonly labels: Record<string, string>;
}

/**
 * The part of Cilium's `cilium.io/v2` CiliumNetworkPolicy this program writes. No Cilium model package
 * supports Node 20, so the type is declared here; `test/helpers/schema.ts` validates the objects.
 */
export interface CiliumNetworkPolicy {
    readonly apiVersion: "cilium.io/v2";
    readonly kind: "CiliumNetworkPolicy";
    readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
    readonly spec: {
        readonly endpointSelector: { readonly matchLabels: Record<string, string> };
        readonly ingress: readonly {
            readonly fromEndpoints: readonly { readonly matchLabels: Record<string, string> }[];
            readonly toPorts: readonly {
                readonly ports: readonly { readonly port: string; readonly protocol: "TCP" | "UDP" | "SCTP" | "ANY" }[];
                readonly rules: { readonly http: readonly { readonly method: string; readonly path: string }[] };
            }[];
        }[];
    };
}

const NS_LABEL = "k8s:io.kubernetes.pod.namespace";

/**
 * With Cilium, the API's ingress is an L7 policy: the frontend may POST votes and GET results, Prometheus
 * may GET /metrics, the smoke check may GET /ready, and nothing else (no DELETE, no other path). It replaces
 * the Kubernetes ingress rules for the API: an L4 allow beside it would let every request through.
 */
export function buildApiL7Policy(
    api: ResolvedWorkload,
    frontend: ResolvedWorkload,
    stack: string,
    monitoring: boolean,
    smoke?: ApiCaller,
): CiliumNetworkPolicy {
    const sel = (w: ResolvedWorkload) => peerSelectorLabels(w);
    const toPorts = (routes: readonly { method: string; path: string }[]) => [
        { ports: [{ port: String(api.port), protocol: "TCP" as const }], rules: { http: routes.map((r) => ({ method: r.method, path: r.path })) } },
    ];
    const prometheus = OUTSIDE.prometheus;
    return {
        apiVersion: "cilium.io/v2",
        kind: "CiliumNetworkPolicy",
        metadata: {
            name: "api-http-l7",
            namespace: api.namespace,
            labels: platformLabels("network", stack),
        },
        spec: {
            endpointSelector: { matchLabels: sel(api) },
            ingress: [
                { fromEndpoints: [{ matchLabels: { [NS_LABEL]: frontend.namespace, ...sel(frontend) } }], toPorts: toPorts(API_ROUTES.frontend) },
                ...(monitoring
                    ? [
                          {
                              fromEndpoints: [{ matchLabels: { [NS_LABEL]: prometheus.namespace, ...prometheus.labels } }],
                              toPorts: toPorts(API_ROUTES.prometheus),
                          },
                      ]
                    : []),
                ...(smoke
                    ? [{ fromEndpoints: [{ matchLabels: { [NS_LABEL]: smoke.namespace, ...smoke.labels } }], toPorts: toPorts(API_ROUTES.smoke) }]
                    : []),
            ],
        },
    };
}
