/**
 * Compliant fixtures of a data layer (PostgreSQL and Redis StatefulSets with their Services, a client
 * Deployment, a backup CronJob, the Retain StorageClass) shaped like the rendered prod stack, and a way
 * to put one pod template in every kind that runs pods under the same name.
 */
import { podTemplate, type K8sObject } from "../../policies/lib/k8s";

export const POD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod"] as const;
export type PodKind = (typeof POD_KINDS)[number];

/** The same pod template (and name) as another kind that runs pods. */
export function asPodKind(kind: PodKind, base: K8sObject): K8sObject {
    const template = structuredClone(podTemplate(base)!);
    const metadata = structuredClone(base.metadata);
    const pod = { metadata: template.metadata, spec: template.spec };
    const batch = { ...pod, spec: { ...pod.spec, restartPolicy: "Never" } };
    switch (kind) {
        case "Pod":
            return { apiVersion: "v1", kind, metadata: { ...metadata, labels: pod.metadata.labels }, spec: pod.spec };
        case "Job":
            return { apiVersion: "batch/v1", kind, metadata, spec: { template: batch } };
        case "CronJob":
            return { apiVersion: "batch/v1", kind, metadata, spec: { schedule: "0 2 * * *", jobTemplate: { spec: { template: batch } } } };
        default:
            return {
                apiVersion: "apps/v1",
                kind,
                metadata,
                spec: {
                    selector: { matchLabels: pod.metadata.labels },
                    template: pod,
                    ...(kind === "StatefulSet" ? { serviceName: metadata?.name } : {}),
                },
            };
    }
}

/** The pod spec of any workload, for tests to change one field. */
export const specOf = (obj: K8sObject) => podTemplate(obj)!.spec;
/** The first container of any workload. */
export const containerOf = (obj: K8sObject, i = 0) => podTemplate(obj)!.spec.containers[i];

const labels = (name: string) => ({ "app.kubernetes.io/name": name, "app.kubernetes.io/instance": `${name}-prod` });
const secretEnv = (name: string, secret: string, key: string) => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
const claim = (size: string) => ({
    metadata: { name: "data" },
    spec: { accessModes: ["ReadWriteOnce"], storageClassName: "voting-retain", resources: { requests: { storage: size } } },
});

export function postgresStatefulSet(): K8sObject {
    return {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "postgres", namespace: "voting-data" },
        spec: {
            serviceName: "postgres",
            replicas: 1,
            selector: { matchLabels: labels("postgres") },
            persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
            template: {
                metadata: { labels: labels("postgres") },
                spec: {
                    containers: [
                        {
                            name: "postgres",
                            image: "docker.io/library/postgres:16.4-bookworm",
                            args: [
                                "-c",
                                "password_encryption=scram-sha-256",
                                "-c",
                                "max_connections=250",
                                "-c",
                                "ssl=on",
                                "-c",
                                "ssl_cert_file=/tls/tls.crt",
                                "-c",
                                "ssl_key_file=/tls/tls.key",
                                "-c",
                                "ssl_min_protocol_version=TLSv1.2",
                                "-c",
                                "hba_file=/etc/postgresql/pg_hba.conf",
                            ],
                            env: [
                                secretEnv("POSTGRES_USER", "postgres-auth", "POSTGRES_USER"),
                                secretEnv("POSTGRES_PASSWORD", "postgres-auth", "POSTGRES_PASSWORD"),
                                { name: "POSTGRES_INITDB_ARGS", value: "--auth-host=scram-sha-256 --auth-local=scram-sha-256" },
                            ],
                            ports: [{ name: "postgres", containerPort: 5432 }],
                            resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "500m", memory: "1Gi" } },
                            startupProbe: { exec: { command: ["pg_isready"] }, periodSeconds: 2, failureThreshold: 30 },
                            volumeMounts: [
                                { name: "data", mountPath: "/var/lib/postgresql/data" },
                                { name: "tls", mountPath: "/tls", readOnly: true },
                                { name: "config", mountPath: "/etc/postgresql", readOnly: true },
                            ],
                        },
                    ],
                    volumes: [
                        { name: "tls", secret: { secretName: "postgres-tls" } },
                        { name: "config", configMap: { name: "postgres-config" } },
                    ],
                },
            },
            volumeClaimTemplates: [claim("50Gi")],
        },
    };
}

/** The ConfigMap postgresStatefulSet reads its pg_hba.conf from: the local socket, and TCP over TLS only. */
export function postgresConfig(hba = "local all all scram-sha-256\nhostssl all all all scram-sha-256\n"): K8sObject {
    return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "postgres-config", namespace: "voting-data" }, data: { "pg_hba.conf": hba } };
}

export function redisStatefulSet(): K8sObject {
    return {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: { name: "redis", namespace: "voting-data" },
        spec: {
            serviceName: "redis",
            replicas: 1,
            selector: { matchLabels: labels("redis") },
            template: {
                metadata: { labels: labels("redis") },
                spec: {
                    containers: [
                        {
                            name: "redis",
                            image: "docker.io/library/redis:7.4.1-bookworm",
                            command: ["redis-server"],
                            args: [
                                "--requirepass",
                                "$(REDIS_PASSWORD)",
                                "--appendonly",
                                "yes",
                                "--dir",
                                "/data",
                                "--port",
                                "0",
                                "--tls-port",
                                "6379",
                                "--tls-cert-file",
                                "/tls/tls.crt",
                                "--tls-key-file",
                                "/tls/tls.key",
                                "--tls-protocols",
                                "TLSv1.2 TLSv1.3",
                            ],
                            env: [secretEnv("REDIS_PASSWORD", "redis-auth", "password")],
                            ports: [{ name: "redis", containerPort: 6379 }],
                            resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "200m", memory: "512Mi" } },
                            startupProbe: { exec: { command: ["redis-cli", "ping"] }, periodSeconds: 2, failureThreshold: 15 },
                            volumeMounts: [
                                { name: "data", mountPath: "/data" },
                                { name: "tmp", mountPath: "/tmp" },
                            ],
                        },
                    ],
                    volumes: [{ name: "tmp", emptyDir: {} }],
                },
            },
            volumeClaimTemplates: [claim("10Gi")],
        },
    };
}

export function headlessService(name: "postgres" | "redis", port: number): K8sObject {
    return {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace: "voting-data" },
        spec: { clusterIP: "None", selector: labels(name), ports: [{ name, port, targetPort: name }] },
    };
}

export function retainStorageClass(): K8sObject {
    return {
        apiVersion: "storage.k8s.io/v1",
        kind: "StorageClass",
        metadata: { name: "voting-retain" },
        provisioner: "ebs.csi.aws.com",
        reclaimPolicy: "Retain",
        volumeBindingMode: "WaitForFirstConsumer",
    };
}

/** The API: an HPA from 3 to 10 pods, a pool of 20, its DATABASE_URL from an ExternalSecret's template. */
export function apiClient(): K8sObject[] {
    return [
        {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "api", namespace: "voting-api" },
            spec: {
                selector: { matchLabels: labels("api") },
                template: {
                    metadata: { labels: labels("api") },
                    spec: {
                        containers: [
                            {
                                name: "api",
                                image: "registry.example.com/voting/api:0.5.1",
                                env: [
                                    { name: "DB_POOL_SIZE", value: "20" },
                                    secretEnv("DATABASE_URL", "app-connections", "DATABASE_URL"),
                                    secretEnv("REDIS_URL", "app-connections", "REDIS_URL"),
                                ],
                            },
                        ],
                    },
                },
            },
        },
        {
            apiVersion: "autoscaling/v2",
            kind: "HorizontalPodAutoscaler",
            metadata: { name: "api", namespace: "voting-api" },
            spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" }, minReplicas: 3, maxReplicas: 10 },
        },
        {
            apiVersion: "external-secrets.io/v1",
            kind: "ExternalSecret",
            metadata: { name: "app-connections", namespace: "voting-api" },
            spec: {
                secretStoreRef: { kind: "ClusterSecretStore", name: "voting-secrets" },
                target: {
                    name: "app-connections",
                    template: {
                        engineVersion: "v2",
                        data: {
                            DATABASE_URL:
                                "postgresql://voting:{{ .postgres_password }}@postgres.voting-data.svc.cluster.local:5432/votes?sslmode=verify-full",
                            REDIS_URL: "rediss://default:{{ .redis_password }}@redis.voting-data.svc.cluster.local:6379/0",
                        },
                    },
                },
                data: [{ secretKey: "postgres_password", remoteRef: { key: "voting/prod/postgres", property: "password" } }],
            },
        },
    ];
}

/** The daily backup: pg_dump against the database's Service, keeping dumps 7 days. */
export function backupCronJob(): K8sObject {
    return {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: { name: "postgres-backup", namespace: "voting-data", annotations: { "voting-platform.io/backup-retention-days": "7" } },
        spec: {
            schedule: "0 2 * * *",
            jobTemplate: {
                spec: {
                    template: {
                        metadata: { labels: labels("postgres-backup") },
                        spec: {
                            restartPolicy: "Never",
                            containers: [
                                {
                                    name: "dump",
                                    image: "docker.io/library/postgres:16.4-bookworm",
                                    command: ["/bin/sh", "-c", 'pg_dump --format=custom --file="/backup/votes.dump"'],
                                    env: [
                                        { name: "PGHOST", value: "postgres.voting-data.svc.cluster.local" },
                                        secretEnv("PGPASSWORD", "postgres-auth", "POSTGRES_PASSWORD"),
                                    ],
                                },
                            ],
                        },
                    },
                },
            },
        },
    };
}
