import type { K8sObject } from "../../policies/lib/k8s";
import { asKind, compliantDeployment, LABELS } from "./fixtures";

const SELECTOR = { matchLabels: { "app.kubernetes.io/name": "api" } };
const meta = (name: string, namespace = "voting-api") => ({ name, namespace, labels: { ...LABELS }, annotations: { note: "x" } });

/**
 * One rich object of each kind the rules read, every field the rules look at filled in: the shapes the
 * totality property test mutates at random.
 */
export function sampleObjects(): K8sObject[] {
    const deployment = compliantDeployment();
    const template = deployment.spec.template;
    template.metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/api": "runtime/default" };
    const c = template.spec.containers[0];
    c.env = [
        { name: "LOG_LEVEL", value: "INFO" },
        { name: "CORS_ORIGINS", value: "https://voting.example.com" },
        { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "db", key: "url" } } },
    ];
    c.securityContext.appArmorProfile = { type: "RuntimeDefault" };
    c.securityContext.seccompProfile = { type: "RuntimeDefault" };
    c.startupProbe = { tcpSocket: { port: 8000 } };
    template.spec.initContainers = [{ ...c, name: "sidecar", restartPolicy: "Always" }];
    template.spec.ephemeralContainers = [{ name: "debug", image: "busybox@sha256:" + "a".repeat(64) }];
    template.spec.volumes = [{ name: "tmp", emptyDir: {} }];
    template.spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", labelSelector: SELECTOR }];
    template.spec.securityContext.sysctls = [{ name: "net.ipv4.ping_group_range", value: "0 0" }];
    template.spec.imagePullSecrets = [{ name: "registry" }];
    template.spec.serviceAccountName = "api";
    const rollout = { ...deployment, apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", metadata: meta("api-rollout") };
    return [
        deployment,
        asKind("Pod", deployment),
        asKind("Job", deployment),
        asKind("CronJob", deployment),
        asKind("StatefulSet", deployment),
        asKind("DaemonSet", deployment),
        rollout,
        { apiVersion: "v1", kind: "PodTemplate", metadata: meta("api-template"), template },
        { apiVersion: "serving.knative.dev/v1", kind: "Service", metadata: meta("knative"), spec: { template } },
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "voting-api", labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
        {
            apiVersion: "v1",
            kind: "Service",
            metadata: meta("api"),
            spec: { selector: { "app.kubernetes.io/name": "api" }, ports: [{ name: "http", port: 80, targetPort: "http" }], type: "ClusterIP" },
        },
        { apiVersion: "v1", kind: "ServiceAccount", metadata: meta("api"), automountServiceAccountToken: false, imagePullSecrets: [{ name: "r" }] },
        {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: meta("settings"),
            data: { LOG_LEVEL: "INFO", "strict-transport-security": "max-age=31536000" },
        },
        { apiVersion: "v1", kind: "Secret", metadata: meta("db"), stringData: { password: "p" }, data: { url: "dQ==" } },
        {
            apiVersion: "policy/v1",
            kind: "PodDisruptionBudget",
            metadata: meta("api"),
            spec: { minAvailable: 1, selector: SELECTOR },
        },
        {
            apiVersion: "autoscaling/v2",
            kind: "HorizontalPodAutoscaler",
            metadata: meta("api"),
            spec: {
                scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
                minReplicas: 3,
                maxReplicas: 6,
                metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
            },
        },
        {
            apiVersion: "keda.sh/v1alpha1",
            kind: "ScaledObject",
            metadata: meta("consumer"),
            spec: {
                scaleTargetRef: { name: "api" },
                minReplicaCount: 2,
                maxReplicaCount: 6,
                triggers: [{ type: "redis-streams", metadata: { pendingEntriesCount: "5" }, authenticationRef: { name: "redis" } }],
            },
        },
        { apiVersion: "keda.sh/v1alpha1", kind: "TriggerAuthentication", metadata: meta("redis"), spec: {} },
        {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: meta("allow"),
            spec: {
                podSelector: SELECTOR,
                policyTypes: ["Ingress", "Egress"],
                ingress: [
                    {
                        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "voting-frontend" } }, podSelector: SELECTOR }],
                        ports: [{ port: 8000, endPort: 8100, protocol: "TCP" }],
                    },
                ],
                egress: [
                    {
                        to: [
                            { ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } },
                            { podSelector: { matchExpressions: [{ key: "a", operator: "In", values: ["b"] }] } },
                        ],
                        ports: [{ port: "http" }],
                    },
                ],
            },
        },
        {
            apiVersion: "cilium.io/v2",
            kind: "CiliumNetworkPolicy",
            metadata: meta("l7"),
            spec: {
                endpointSelector: SELECTOR,
                ingress: [{ fromEndpoints: [{ matchLabels: { app: "x" } }], toPorts: [{ ports: [{ port: "8000", protocol: "TCP" }] }] }],
                egress: [
                    {
                        toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": "voting-data" } }],
                        toPorts: [{ ports: [{ port: "5432" }] }],
                    },
                ],
            },
        },
        {
            apiVersion: "networking.k8s.io/v1",
            kind: "Ingress",
            metadata: {
                ...meta("web"),
                annotations: {
                    "nginx.ingress.kubernetes.io/custom-headers": "voting-api/settings",
                    "nginx.ingress.kubernetes.io/enable-cors": "true",
                    "nginx.ingress.kubernetes.io/cors-allow-origin": "https://a.example",
                    "nginx.ingress.kubernetes.io/configuration-snippet": 'more_set_headers "Strict-Transport-Security: max-age=31536000";',
                },
            },
            spec: {
                tls: [{ hosts: ["voting.example.com"], secretName: "tls" }],
                defaultBackend: { service: { name: "api", port: { number: 80 } } },
                rules: [
                    {
                        host: "voting.example.com",
                        http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "api", port: { name: "http" } } } }] },
                    },
                ],
            },
        },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "Role",
            metadata: meta("reader"),
            rules: [{ apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list"] }],
        },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRole",
            metadata: { name: "ops" },
            rules: [{ apiGroups: ["*"], resources: ["*/exec"], verbs: ["create"] }],
        },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "RoleBinding",
            metadata: meta("readers"),
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "reader" },
            subjects: [
                { kind: "Group", name: "devs" },
                { kind: "ServiceAccount", name: "ci", namespace: "voting-api" },
            ],
        },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRoleBinding",
            metadata: { name: "system:ops" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
            subjects: [{ kind: "User", name: "system:kube-controller-manager" }],
        },
        {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PrometheusRule",
            metadata: meta("alerts"),
            spec: { groups: [{ name: "g", rules: [{ alert: "ApiDown", expr: "up == 0", labels: { severity: "P0" } }] }] },
        },
        {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "ServiceMonitor",
            metadata: meta("api"),
            spec: { selector: SELECTOR, namespaceSelector: { matchNames: ["voting-api"] }, endpoints: [{ port: "http" }] },
        },
        {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PodMonitor",
            metadata: meta("api-pods"),
            spec: { selector: SELECTOR, namespaceSelector: { any: true } },
        },
        { apiVersion: "v1", kind: "ResourceQuota", metadata: meta("quota"), spec: { hard: { "requests.cpu": "4" } } },
        { apiVersion: "v1", kind: "LimitRange", metadata: meta("limits"), spec: { limits: [{ type: "Container", default: { cpu: "1" } }] } },
        { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "retain" }, reclaimPolicy: "Retain" },
        { apiVersion: "extensions/v1beta1", kind: "Ingress", metadata: meta("old"), spec: {} },
    ];
}
