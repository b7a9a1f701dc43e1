import type { K8sObject } from "../../policies/lib/k8s";

/** A Deployment that every workload rule accepts: the starting point each policy test changes once. */
export function compliantDeployment(): K8sObject {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "api", namespace: "voting-api", labels: { "app.kubernetes.io/name": "api" } },
        spec: {
            replicas: 3,
            selector: { matchLabels: { "app.kubernetes.io/name": "api" } },
            template: {
                metadata: { labels: { "app.kubernetes.io/name": "api" } },
                spec: {
                    automountServiceAccountToken: false,
                    securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
                    containers: [
                        {
                            name: "api",
                            image: "registry.example.com/voting/api:0.5.1",
                            ports: [{ name: "http", containerPort: 8000 }],
                            resources: { requests: { cpu: "200m", memory: "256Mi" }, limits: { cpu: "400m", memory: "512Mi" } },
                            securityContext: {
                                allowPrivilegeEscalation: false,
                                readOnlyRootFilesystem: true,
                                capabilities: { drop: ["ALL"] },
                            },
                        },
                    ],
                },
            },
        },
    };
}

/** The same pod as a bare Pod, a CronJob and a Job, so each rule is proven on every pod-bearing kind. */
export function asKind(kind: "Pod" | "CronJob" | "Job" | "StatefulSet" | "DaemonSet", base = compliantDeployment()): K8sObject {
    const template = base.spec.template;
    const metadata = { ...base.metadata, name: `api-${kind.toLowerCase()}` };
    switch (kind) {
        case "Pod":
            return { apiVersion: "v1", kind, metadata: { ...metadata, labels: template.metadata.labels }, spec: template.spec };
        case "Job":
            return {
                apiVersion: "batch/v1",
                kind,
                metadata,
                spec: { template: { ...template, spec: { ...template.spec, restartPolicy: "Never" } } },
            };
        case "CronJob":
            return {
                apiVersion: "batch/v1",
                kind,
                metadata,
                spec: {
                    schedule: "0 2 * * *",
                    jobTemplate: { spec: { template: { ...template, spec: { ...template.spec, restartPolicy: "Never" } } } },
                },
            };
        default:
            return { apiVersion: "apps/v1", kind, metadata, spec: { selector: base.spec.selector, template } };
    }
}
