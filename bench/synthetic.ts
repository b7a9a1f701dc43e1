/**
 * Synthetic resource sets for the scale benchmarks: a realistic mix of namespaces of about twenty
 * objects each, and a large cluster for the strict traffic matrix.
 */
import type { K8sObject } from "../policies/lib/k8s";
import type { MatrixConfig } from "../policies/lib/matrix";

const LABELS = (name: string, component: string) => ({
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/instance": `${name}-bench`,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": "bench",
    "app.kubernetes.io/managed-by": "bench",
});

function deployment(ns: string, name: string, tier: string, port: number, replicas: number): K8sObject {
    const labels = { ...LABELS(name, tier), tier };
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace: ns, labels },
        spec: {
            ...(replicas > 0 ? { replicas } : {}),
            selector: { matchLabels: { "app.kubernetes.io/name": name } },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } },
            template: {
                metadata: { labels },
                spec: {
                    automountServiceAccountToken: false,
                    serviceAccountName: "app",
                    priorityClassName: "bench",
                    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
                    topologySpreadConstraints: [
                        {
                            maxSkew: 1,
                            topologyKey: "topology.kubernetes.io/zone",
                            whenUnsatisfiable: "ScheduleAnyway",
                            labelSelector: { matchLabels: { "app.kubernetes.io/name": name } },
                        },
                    ],
                    containers: [
                        {
                            name,
                            image: `registry.example.com/bench/${name}:1.0.${port % 7}`,
                            imagePullPolicy: "Always",
                            ports: [{ name: "http", containerPort: port }],
                            env: [
                                { name: "LOG_LEVEL", value: "INFO" },
                                { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "app", key: "password" } } },
                            ],
                            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" } },
                            livenessProbe: { httpGet: { path: "/health", port: "http" }, failureThreshold: 3 },
                            readinessProbe: { httpGet: { path: "/ready", port: "http" } },
                            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                        },
                    ],
                },
            },
        },
    };
}

const networkPolicy = (ns: string, name: string, spec: Record<string, unknown>): K8sObject => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: ns, labels: LABELS(name, "network") },
    spec,
});

const byName = (name: string) => ({ matchLabels: { "app.kubernetes.io/name": name } });
const DNS_PEER = {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
    podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
};

/** One namespace of twenty objects: three tiers with Services, budgets and autoscalers, RBAC, default-deny and allow policies. */
function namespaceOf20(i: number): K8sObject[] {
    const ns = `team-${i}`;
    const tiers: [string, string, number][] = [
        ["web", "frontend", 8080],
        ["api", "backend", 8000],
        ["db", "database", 5432],
    ];
    const out: K8sObject[] = [
        { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "pod-security.kubernetes.io/enforce": "restricted" } } },
        { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "app", namespace: ns }, automountServiceAccountToken: false },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "Role",
            metadata: { name: "read", namespace: ns },
            rules: [{ apiGroups: [""], resources: ["pods", "pods/log", "services"], verbs: ["get", "list", "watch"] }],
        },
        {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "RoleBinding",
            metadata: { name: "read", namespace: ns },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "read" },
            subjects: [{ kind: "Group", name: `${ns}-developers` }],
        },
    ];
    for (const [name, tier, port] of tiers) {
        const autoscaled = tier !== "database";
        out.push(deployment(ns, name, tier, port, autoscaled ? 0 : 2));
        out.push({
            apiVersion: "v1",
            kind: "Service",
            metadata: { name, namespace: ns, labels: LABELS(name, tier) },
            spec: { selector: { "app.kubernetes.io/name": name }, ports: [{ name: "http", port: 80, targetPort: "http" }] },
        });
        out.push({
            apiVersion: "policy/v1",
            kind: "PodDisruptionBudget",
            metadata: { name, namespace: ns },
            spec: { maxUnavailable: 1, selector: byName(name) },
        });
        if (autoscaled) {
            out.push({
                apiVersion: "autoscaling/v2",
                kind: "HorizontalPodAutoscaler",
                metadata: { name, namespace: ns },
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
                    minReplicas: 2,
                    maxReplicas: 6,
                    metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
                },
            });
        }
    }
    out.push(networkPolicy(ns, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }));
    out.push(
        networkPolicy(ns, "allow-dns", {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [DNS_PEER],
                    ports: [
                        { port: 53, protocol: "UDP" },
                        { port: 53, protocol: "TCP" },
                    ],
                },
            ],
        }),
    );
    out.push(
        networkPolicy(ns, "allow-web-to-api", {
            podSelector: byName("api"),
            policyTypes: ["Ingress"],
            ingress: [{ from: [{ podSelector: byName("web") }], ports: [{ port: 8000 }] }],
        }),
    );
    out.push(
        networkPolicy(ns, "allow-api-to-db", {
            podSelector: byName("api"),
            policyTypes: ["Egress"],
            egress: [{ to: [{ podSelector: byName("db") }], ports: [{ port: 5432 }] }],
        }),
    );
    return out;
}

/** About `n` objects (twenty per namespace) of the realistic mix. */
export function realisticSet(n: number): K8sObject[] {
    const out: K8sObject[] = [];
    for (let i = 0; out.length < n; i++) for (const o of namespaceOf20(i)) if (out.length < n) out.push(o);
    return out;
}

/**
 * A cluster for the strict traffic matrix: `namespaces` namespaces of `pods` Deployments each, split
 * into web, api and db tiers (a quarter, a half, a quarter), under `policies` NetworkPolicies each:
 * default-deny, DNS egress, ingress-controller to web, web to api (both sides), api to db (both sides).
 */
export function matrixCluster(namespaces: number, pods: number, policies = 5): { objects: K8sObject[]; config: MatrixConfig } {
    const objects: K8sObject[] = [];
    const allowed: string[] = [];
    const tierOf = (j: number) => (j < pods / 4 ? "web" : j < (3 * pods) / 4 ? "api" : "db");
    const port = { web: 8080, api: 8000, db: 5432 } as const;
    for (let i = 0; i < namespaces; i++) {
        const ns = `team-${i}`;
        objects.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
        for (let j = 0; j < pods; j++) {
            const tier = tierOf(j);
            objects.push(deployment(ns, `${tier}-${j}`, tier, port[tier], 2));
        }
        const tier = (t: string) => ({ matchLabels: { tier: t } });
        const all = [
            networkPolicy(ns, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
            networkPolicy(ns, "allow-dns", {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [{ to: [DNS_PEER], ports: [{ port: 53, protocol: "UDP" }] }],
            }),
            networkPolicy(ns, "web", {
                podSelector: tier("web"),
                policyTypes: ["Ingress", "Egress"],
                ingress: [
                    { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ port: 8080 }] },
                ],
                egress: [{ to: [{ podSelector: tier("api") }], ports: [{ port: 8000 }] }],
            }),
            networkPolicy(ns, "api", {
                podSelector: tier("api"),
                policyTypes: ["Ingress", "Egress"],
                ingress: [{ from: [{ podSelector: tier("web") }], ports: [{ port: 8000 }] }],
                egress: [{ to: [{ podSelector: tier("db") }], ports: [{ port: 5432 }] }],
            }),
            networkPolicy(ns, "db", {
                podSelector: tier("db"),
                policyTypes: ["Ingress"],
                ingress: [{ from: [{ podSelector: tier("api") }], ports: [{ port: 5432 }] }],
            }),
        ];
        for (const np of all.slice(0, policies)) objects.push(np);
        allowed.push(`${ns}/web-0 -> ${ns}/api-${pods / 4}:8000/TCP`);
    }
    return {
        objects,
        config: {
            outside: [
                {
                    id: "ingress-nginx/ingress-controller",
                    namespace: "ingress-nginx",
                    labels: { "app.kubernetes.io/name": "ingress-nginx" },
                    ports: [{ name: "https", port: 443, protocol: "TCP" }],
                },
                {
                    id: "kube-system/kube-dns",
                    namespace: "kube-system",
                    labels: { "k8s-app": "kube-dns" },
                    ports: [{ name: "dns", port: 53, protocol: "UDP" }],
                },
            ],
            allowed,
            denied: [],
            strict: true,
        },
    };
}
