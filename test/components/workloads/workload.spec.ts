import * as assert from "assert";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";

const SELECTOR = (name: string) => ({ "app.kubernetes.io/name": name, "app.kubernetes.io/instance": `${name}-prod` });
import { telemetryEnv } from "../../../components/observability/telemetry";
import { CONFIG_DEFAULTS } from "../../../config/schema";

/** Prod's telemetry settings: logs and traces shipped, 10% of traces sampled. */
const prodTelemetry = {
    environment: "prod" as const,
    features: { ...CONFIG_DEFAULTS.features, logShipping: true, tracing: true },
    tracing: { endpoint: "tempo.monitoring.svc.cluster.local:4317", sampleRatio: 0.1 },
};

const LABELS = (name: string, component: string) => ({
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/instance": `${name}-prod`,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": "voting-app",
    "app.kubernetes.io/managed-by": "pulumi",
});

async function prodObject(kind: string, namespace: string, name: string) {
    const obj = kubernetesObjects(await rendered("prod")).find(
        (o) => o.kind === kind && o.metadata?.namespace === namespace && o.metadata?.name === name,
    );
    assert.ok(obj, `${kind} ${namespace}/${name} is not rendered`);
    return obj;
}

describe("app workloads (rendered prod)", () => {
    it("renders the three app Deployments, one per app namespace, and the telemetry collector", async () => {
        const deployments = kubernetesObjects(await rendered("prod")).filter((o) => o.kind === "Deployment");
        assert.deepStrictEqual(deployments.map((d) => `${d.metadata?.namespace}/${d.metadata?.name}`).sort(), [
            "voting-api/api",
            "voting-api/otel-collector",
            "voting-consumer/consumer",
            "voting-frontend/frontend",
        ]);
    });

    it("renders the API Deployment hardened, probed, sized, spread and left to its HPA", async () => {
        const d = await prodObject("Deployment", "voting-api", "api");
        assert.deepStrictEqual(d.spec, {
            revisionHistoryLimit: 5,
            selector: { matchLabels: SELECTOR("api") },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } },
            template: {
                // The API's pods carry track: stable, which its Service selects beside the Deployment's selector.
                metadata: { labels: { ...LABELS("api", "api"), "app.kubernetes.io/version": "0.5.1", track: "stable" } },
                spec: {
                    serviceAccountName: "api",
                    priorityClassName: "voting-platform",
                    automountServiceAccountToken: false,
                    securityContext: {
                        runAsNonRoot: true,
                        runAsUser: 65532,
                        runAsGroup: 65532,
                        fsGroup: 65532,
                        seccompProfile: { type: "RuntimeDefault" },
                    },
                    imagePullSecrets: [{ name: "ecr-pull" }],
                    affinity: {
                        podAntiAffinity: {
                            preferredDuringSchedulingIgnoredDuringExecution: [
                                {
                                    weight: 100,
                                    podAffinityTerm: { labelSelector: { matchLabels: SELECTOR("api") }, topologyKey: "kubernetes.io/hostname" },
                                },
                            ],
                        },
                    },
                    topologySpreadConstraints: [
                        {
                            maxSkew: 1,
                            topologyKey: "topology.kubernetes.io/zone",
                            whenUnsatisfiable: "ScheduleAnyway",
                            labelSelector: { matchLabels: SELECTOR("api") },
                        },
                    ],
                    containers: [
                        {
                            name: "api",
                            image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/voting/api:0.5.1@sha256:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b",
                            imagePullPolicy: "IfNotPresent",
                            ports: [{ name: "http", containerPort: 8000, protocol: "TCP" }],
                            env: [
                                { name: "LOG_LEVEL", value: "INFO" },
                                { name: "LOG_FORMAT", value: "json" },
                                { name: "CORS_ORIGINS", value: "https://voting.example.com" },
                                { name: "DB_POOL_SIZE", value: "20" },
                                { name: "MAX_REQUEST_BYTES", value: "1048576" },
                                ...telemetryEnv(prodTelemetry, "api", "0.5.1"),
                                { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "app-connections", key: "DATABASE_URL" } } },
                                { name: "REDIS_URL", valueFrom: { secretKeyRef: { name: "app-connections", key: "REDIS_URL" } } },
                            ],
                            resources: {
                                requests: { cpu: "200m", memory: "256Mi", "ephemeral-storage": "64Mi" },
                                limits: { cpu: "400m", memory: "512Mi", "ephemeral-storage": "320Mi" },
                            },
                            livenessProbe: {
                                httpGet: { path: "/health", port: 8000 },
                                initialDelaySeconds: 0,
                                periodSeconds: 10,
                                timeoutSeconds: 3,
                                failureThreshold: 3,
                            },
                            readinessProbe: {
                                httpGet: { path: "/ready", port: 8000 },
                                initialDelaySeconds: 10,
                                periodSeconds: 10,
                                timeoutSeconds: 3,
                                failureThreshold: 3,
                            },
                            startupProbe: {
                                httpGet: { path: "/health", port: 8000 },
                                initialDelaySeconds: 0,
                                periodSeconds: 2,
                                timeoutSeconds: 3,
                                failureThreshold: 30,
                            },
                            securityContext: {
                                allowPrivilegeEscalation: false,
                                readOnlyRootFilesystem: true,
                                privileged: false,
                                capabilities: { drop: ["ALL"] },
                            },
                            volumeMounts: [
                                { name: "tmp", mountPath: "/tmp" },
                                { name: "data-ca", mountPath: "/tls", readOnly: true },
                            ],
                        },
                    ],
                    volumes: [
                        { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
                        { name: "data-ca", secret: { secretName: "data-ca-bundle", items: [{ key: "ca.crt", path: "ca.crt" }], defaultMode: 0o444 } },
                    ],
                },
            },
        });
    });

    it("scales the API with an HPA from 3 to 10 on CPU 70% and memory 80%", async () => {
        const hpa = await prodObject("HorizontalPodAutoscaler", "voting-api", "api");
        assert.deepStrictEqual(hpa.spec, {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
            minReplicas: 3,
            maxReplicas: 10,
            metrics: [
                { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } },
                { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } },
            ],
        });
    });

    it("keeps drainable PDBs: API minAvailable 2, consumer 1, frontend 2", async () => {
        const min = async (ns: string, name: string) => (await prodObject("PodDisruptionBudget", ns, name)).spec.minAvailable;
        assert.deepStrictEqual(
            [await min("voting-api", "api"), await min("voting-consumer", "consumer"), await min("voting-frontend", "frontend")],
            [2, 1, 2],
        );
    });

    it("states each database client's pool: API 20, consumer 5", async () => {
        const pool = async (ns: string, name: string) =>
            (await prodObject("Deployment", ns, name)).spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === "DB_POOL_SIZE")
                ?.value;
        assert.deepStrictEqual([await pool("voting-api", "api"), await pool("voting-consumer", "consumer")], ["20", "5"]);
    });

    it("gives each workload its own ServiceAccount with no token mounted", async () => {
        for (const [ns, name] of [
            ["voting-frontend", "frontend"],
            ["voting-api", "api"],
            ["voting-consumer", "consumer"],
        ]) {
            const sa = await prodObject("ServiceAccount", ns, name);
            assert.strictEqual(sa.automountServiceAccountToken, false);
        }
    });

    it("lets nginx write only its temp, cache and pid directories, its site config mounted read-only", async () => {
        const d = await prodObject("Deployment", "voting-frontend", "frontend");
        assert.deepStrictEqual(d.spec.template.spec.containers[0].volumeMounts, [
            { name: "tmp", mountPath: "/tmp" },
            { name: "nginx-cache", mountPath: "/var/cache/nginx" },
            { name: "nginx-run", mountPath: "/var/run" },
            { name: "config", mountPath: "/etc/nginx/conf.d", readOnly: true },
        ]);
        assert.strictEqual(d.spec.replicas, 3);
    });

    it("runs a single staging consumer with a budget that still allows a drain", async () => {
        const pdb = kubernetesObjects(await rendered("staging")).find((o) => o.kind === "PodDisruptionBudget" && o.metadata?.name === "consumer");
        assert.deepStrictEqual([pdb?.spec.maxUnavailable, pdb?.spec.minAvailable], [1, undefined]);
    });

    it("exports each service's in-cluster endpoint", async () => {
        assert.deepStrictEqual((await rendered("prod")).outputs.endpoints, {
            frontend: "frontend.voting-frontend.svc.cluster.local:8080",
            api: "api.voting-api.svc.cluster.local:8000",
            consumer: "consumer.voting-consumer.svc.cluster.local:8080",
            postgres: "postgres.voting-data.svc.cluster.local:5432",
            redis: "redis.voting-data.svc.cluster.local:6379",
        });
    });
});
