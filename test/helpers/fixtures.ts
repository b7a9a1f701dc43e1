import type { K8sObject } from "../../policies/lib/k8s";

export const LABELS = {
    "app.kubernetes.io/name": "api",
    "app.kubernetes.io/instance": "api-prod",
    "app.kubernetes.io/component": "api",
    "app.kubernetes.io/part-of": "voting-app",
    "app.kubernetes.io/managed-by": "pulumi",
    "app.kubernetes.io/version": "0.5.1",
};

/** A Deployment that every workload rule accepts: the starting point each policy test changes once. */
export function compliantDeployment(): K8sObject {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "api", namespace: "voting-api", labels: LABELS },
        spec: {
            replicas: 3,
            selector: { matchLabels: { "app.kubernetes.io/name": "api" } },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } },
            template: {
                metadata: { labels: LABELS },
                spec: {
                    serviceAccountName: "api",
                    automountServiceAccountToken: false,
                    priorityClassName: "voting-platform",
                    affinity: {
                        podAntiAffinity: {
                            preferredDuringSchedulingIgnoredDuringExecution: [
                                {
                                    weight: 100,
                                    podAffinityTerm: {
                                        labelSelector: { matchLabels: { "app.kubernetes.io/name": "api" } },
                                        topologyKey: "kubernetes.io/hostname",
                                    },
                                },
                            ],
                        },
                    },
                    securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: "RuntimeDefault" } },
                    containers: [
                        {
                            name: "api",
                            image: "registry.example.com/voting/api:0.5.1",
                            imagePullPolicy: "Always",
                            ports: [{ name: "http", containerPort: 8000 }],
                            resources: {
                                requests: { cpu: "200m", memory: "256Mi", "ephemeral-storage": "128Mi" },
                                limits: { cpu: "400m", memory: "512Mi", "ephemeral-storage": "256Mi" },
                            },
                            livenessProbe: { httpGet: { path: "/health", port: "http" }, failureThreshold: 3 },
                            readinessProbe: { httpGet: { path: "/ready", port: "http" }, initialDelaySeconds: 10 },
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
