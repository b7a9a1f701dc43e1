import type { K8sObject } from "../../../../policies/lib/k8s";

export function compliantIngress(): K8sObject {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: {
            name: "voting",
            namespace: "voting-frontend",
            annotations: {
                "nginx.ingress.kubernetes.io/ssl-redirect": "true",
                "nginx.ingress.kubernetes.io/custom-headers": "voting-frontend/security-headers",
            },
        },
        spec: {
            ingressClassName: "nginx",
            tls: [{ hosts: ["voting.example.com"], secretName: "voting-tls" }],
            rules: [
                {
                    host: "voting.example.com",
                    http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "frontend", port: { name: "http" } } } }] },
                },
            ],
        },
    };
}

export const headers = (data: Record<string, string>, namespace = "voting-frontend", name = "security-headers"): K8sObject => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace },
    data,
});

export const service = (name: string, namespace: string): K8sObject => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace },
    spec: { selector: { app: name }, ports: [{ name: "http", port: 8080 }] },
});
