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

/** Every kind whose objects carry a pod template, as `policies/lib/k8s.ts` \`podTemplate\` reads them. */
export const POD_KINDS = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"] as const;
export type PodKind = (typeof POD_KINDS)[number];

/** Kinds that keep their pods running (a bare Pod restarts by default, so it is one too). */
export const LONG_RUNNING_KINDS: readonly PodKind[] = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"];

/** The same pod as any pod-bearing kind, so each rule is proven on every kind that runs pods. */
export function asKind(kind: PodKind, base = compliantDeployment()): K8sObject {
    if (kind === "Deployment") return JSON.parse(JSON.stringify(base));
    const template = JSON.parse(JSON.stringify(base.spec.template));
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
        case "ReplicationController":
            return { apiVersion: "v1", kind, metadata, spec: { replicas: 3, selector: base.spec.selector.matchLabels, template } };
        case "DaemonSet":
            return { apiVersion: "apps/v1", kind, metadata, spec: { selector: base.spec.selector, template } };
        default:
            return { apiVersion: "apps/v1", kind, metadata, spec: { replicas: 3, selector: base.spec.selector, template } };
    }
}

/** The pod spec of any pod-bearing object, for a change that must land in the pod whatever the kind. */
export function podSpecOf(obj: K8sObject): any {
    if (obj.kind === "Pod") return obj.spec;
    if (obj.kind === "CronJob") return obj.spec.jobTemplate.spec.template.spec;
    return obj.spec.template.spec;
}

/** The compliant pod as every pod-bearing kind, each with one change made to its pod spec. */
export function inEveryKind(change: (podSpec: any) => void, kinds: readonly PodKind[] = POD_KINDS): K8sObject[] {
    return kinds.map((k) => {
        const obj = asKind(k);
        change(podSpecOf(obj));
        return obj;
    });
}

/** How messages name an object: `Deployment voting-api/api`. */
export const named = (obj: K8sObject): string => `${obj.kind} ${obj.metadata?.namespace}/${obj.metadata?.name}`;
