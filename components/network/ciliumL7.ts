import type { ICiliumNetworkPolicy } from "@kubernetes-models/cilium/cilium.io/v2/CiliumNetworkPolicy";
import type { ResolvedWorkload } from "../../config/workloads";
import { MANAGED_BY, PART_OF, selectorLabels } from "../labels";
import { OUTSIDE } from "./trafficMatrix";

/** The API's HTTP surface: the only methods and paths its callers may use (checklist 9.4). */
export const API_ROUTES = {
    frontend: [
        { method: "POST", path: "/api/vote" },
        { method: "GET", path: "/api/results" },
        { method: "GET", path: "/api/health" },
    ],
    prometheus: [{ method: "GET", path: "/metrics" }],
} as const;

const NS_LABEL = "k8s:io.kubernetes.pod.namespace";

/**
 * With Cilium, the API's ingress is an L7 policy: the frontend may POST votes and GET results, Prometheus
 * may GET /metrics, and nothing else (no DELETE, no other path). It replaces the Kubernetes ingress rules
 * for the API: an L4 allow beside it would let every request through.
 */
export function buildApiL7Policy(api: ResolvedWorkload, frontend: ResolvedWorkload, stack: string, monitoring: boolean): ICiliumNetworkPolicy {
    const sel = (w: ResolvedWorkload) => selectorLabels({ name: w.name, component: w.component }, stack);
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
            labels: { "app.kubernetes.io/part-of": PART_OF, "app.kubernetes.io/managed-by": MANAGED_BY, "app.kubernetes.io/component": "network" },
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
            ],
        },
    };
}
