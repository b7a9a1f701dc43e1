import type { K8sObject } from "../../../../policies/lib/k8s";

export const ns = (name: string, labels: Record<string, string> = {}): K8sObject => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, labels },
});

export const workload = (namespace: string, name: string, ports: Record<string, unknown>[]): K8sObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: {
        selector: { matchLabels: { "app.kubernetes.io/name": name } },
        template: { metadata: { labels: { "app.kubernetes.io/name": name } }, spec: { containers: [{ name, image: `${name}:1`, ports }] } },
    },
});

export const np = (namespace: string, name: string, spec: Record<string, unknown>): K8sObject => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace },
    spec,
});

const app = (name: string) => ({ matchLabels: { "app.kubernetes.io/name": name } });
const inNs = (n: string) => ({ matchLabels: { "kubernetes.io/metadata.name": n } });
export const DNS_PEER = { namespaceSelector: inNs("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } };
export const DNS_PORTS = [
    { port: 53, protocol: "UDP" },
    { port: 53, protocol: "TCP" },
];

/**
 * A small platform that every network rule accepts: the API in voting-api talks to PostgreSQL in voting-data,
 * the ingress controller reaches the API, both namespaces deny by default and allow DNS.
 */
export function platform(): K8sObject[] {
    return [
        ns("voting-api"),
        ns("voting-data"),
        workload("voting-api", "api", [{ name: "http", containerPort: 8000 }]),
        workload("voting-data", "postgres", [{ name: "postgres", containerPort: 5432 }]),
        ...["voting-api", "voting-data"].flatMap((n) => [
            np(n, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
            np(n, "allow-dns", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [DNS_PEER], ports: DNS_PORTS }] }),
        ]),
        np("voting-api", "allow-api", {
            podSelector: app("api"),
            policyTypes: ["Ingress", "Egress"],
            ingress: [
                {
                    from: [{ namespaceSelector: inNs("ingress-nginx"), podSelector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx" } } }],
                    ports: [{ port: "http" }],
                },
            ],
            egress: [{ to: [{ namespaceSelector: inNs("voting-data"), podSelector: app("postgres") }], ports: [{ port: 5432 }] }],
        }),
        np("voting-data", "allow-postgres", {
            podSelector: app("postgres"),
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ namespaceSelector: inNs("voting-api"), podSelector: app("api") }], ports: [{ port: 5432, protocol: "TCP" }] }],
        }),
    ];
}

export const without = (objs: K8sObject[], name: string, namespace: string) =>
    objs.filter((o) => !(o.kind === "NetworkPolicy" && o.metadata?.name === name && o.metadata?.namespace === namespace));
export const changed = (objs: K8sObject[], name: string, namespace: string, change: (spec: any) => void) =>
    objs.map((o) =>
        o.kind === "NetworkPolicy" && o.metadata?.name === name && o.metadata?.namespace === namespace
            ? {
                  ...o,
                  spec: (() => {
                      const s = JSON.parse(JSON.stringify(o.spec));
                      change(s);
                      return s;
                  })(),
              }
            : o,
    );
