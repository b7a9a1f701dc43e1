import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ImageRef } from "../../config/types";
import type { ResolvedWorkload } from "../../config/workloads";
import { selectorLabels, standardLabels, versionLabel } from "../labels";
import { PRIORITY_CLASS } from "../scheduling/priorityClass";
import { preferOnePerNode } from "../scheduling/spread";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../security";
import { CONFIG_CHECKSUM_ANNOTATION, configChecksum, imageName } from "../workloads/workload";
import { withEphemeralStorage } from "../ephemeralStorage";

type Probe = k8s.types.input.core.v1.Probe;
type EnvVar = k8s.types.input.core.v1.EnvVar;
type Container = k8s.types.input.core.v1.Container;
type Volume = k8s.types.input.core.v1.Volume;

/** Where every container of a data pod reads the server's credentials, as the kubelet keeps them current. */
export const AUTH_MOUNT = "/auth";

/** What distinguishes PostgreSQL from Redis; the StatefulSet around them is the same. */
export interface DataStoreArgs {
    readonly spec: ResolvedWorkload;
    readonly stack: string;
    readonly image: ImageRef;
    readonly imagePullSecret?: string;
    readonly portName: string;
    readonly command?: string[];
    readonly args: string[];
    readonly env: readonly EnvVar[];
    readonly dataPath: string;
    readonly storageClassName: string;
    readonly storageSize: string;
    /** Paths the server writes besides its data volume (sockets, temp files). */
    readonly scratchPaths: readonly { name: string; mountPath: string }[];
    readonly liveness: Probe;
    readonly readiness: Probe;
    /** Checklist 2.1.3: PostgreSQL gets 60 s to start, Redis 30 s. */
    readonly startup: Probe;
    /** Secret with the server's TLS certificate (`tls.crt`, `tls.key`, `ca.crt`), mounted at /tls. */
    readonly tlsSecret?: string;
    /**
     * Secret with the server's credentials, mounted read-only at AUTH_MOUNT in every container: unlike an
     * environment variable, the file follows a rotation (checklist 6.1.3).
     */
    readonly authSecret?: string;
    /** Containers that run before the server (PostgreSQL takes its current password there). */
    readonly initContainers?: readonly Container[];
    /** Containers beside the server (each store's password sync). */
    readonly sidecars?: readonly Container[];
    /** Volumes only the init containers and sidecars mount. */
    readonly extraVolumes?: readonly Volume[];
    /**
     * Files of the server's configuration, in the ConfigMap `<name>-config` mounted read-only at `mountPath`
     * in the server's container. The pod template carries their checksum, as a Deployment's does, so a change
     * rolls the pod.
     */
    readonly configFiles?: { readonly mountPath: string; readonly files: Readonly<Record<string, string>> };
    /** Resources the StatefulSet waits for (its Secrets, its certificate). */
    readonly startAfter?: readonly pulumi.Resource[];
}

/** Size of each scratch emptyDir (sockets, temp files). */
const SCRATCH_SIZE = "64Mi";

/** A shell probe: the command runs in the container's own image. */
export function execProbe(script: string, periodSeconds: number, failureThreshold: number, timeoutSeconds = 5): Probe {
    return { exec: { command: ["/bin/sh", "-c", script] }, periodSeconds, failureThreshold, timeoutSeconds };
}

const subject = (w: ResolvedWorkload) => ({ name: w.name, component: w.component });

/** A headless Service: stable per-pod DNS for the StatefulSet, and the name clients connect to. */
export function buildDataService(a: DataStoreArgs): k8s.types.input.core.v1.Service {
    const w = a.spec;
    return {
        metadata: { name: w.name, namespace: w.namespace, labels: standardLabels(subject(w), a.stack) },
        spec: {
            clusterIP: "None",
            publishNotReadyAddresses: false,
            selector: selectorLabels(subject(w), a.stack),
            ports: [{ name: a.portName, port: w.port, targetPort: a.portName, protocol: "TCP" }],
        },
    };
}

/** Checklist 6.5.3: the server's own identity; it never calls the Kubernetes API, so it carries no token. */
export function buildDataServiceAccount(a: DataStoreArgs): k8s.types.input.core.v1.ServiceAccount {
    const w = a.spec;
    return { metadata: { name: w.name, namespace: w.namespace, labels: standardLabels(subject(w), a.stack) }, automountServiceAccountToken: false };
}

/** `<name>-config`: the ConfigMap of a server's configuration files. */
export const configMapName = (w: ResolvedWorkload): string => `${w.name}-config`;

/** The ConfigMap of the server's configuration files, when it has any. */
export function buildDataConfig(a: DataStoreArgs): k8s.types.input.core.v1.ConfigMap | undefined {
    const w = a.spec;
    if (!a.configFiles) return undefined;
    return {
        metadata: { name: configMapName(w), namespace: w.namespace, labels: standardLabels(subject(w), a.stack) },
        data: { ...a.configFiles.files },
    };
}

/** Checklist 2.4.1, 2.4.2: a claim per replica on the Retain storage class, kept when the set is deleted or scaled down. */
export function buildStatefulSet(a: DataStoreArgs): k8s.types.input.apps.v1.StatefulSet {
    const w = a.spec;
    const selector = selectorLabels(subject(w), a.stack);
    const labels = { ...standardLabels(subject(w), a.stack), ...versionLabel(a.image.tag) };
    return {
        metadata: { name: w.name, namespace: w.namespace, labels },
        spec: {
            serviceName: w.name,
            replicas: w.replicas,
            selector: { matchLabels: selector },
            updateStrategy: { type: "RollingUpdate" },
            podManagementPolicy: "OrderedReady",
            persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
            template: {
                metadata: {
                    labels,
                    ...(a.configFiles ? { annotations: { [CONFIG_CHECKSUM_ANNOTATION]: configChecksum(a.configFiles.files) } } : {}),
                },
                spec: {
                    serviceAccountName: w.name,
                    automountServiceAccountToken: false,
                    priorityClassName: PRIORITY_CLASS,
                    securityContext: { ...restrictedPodSecurityContext(w.runAsUser), fsGroupChangePolicy: "OnRootMismatch" },
                    terminationGracePeriodSeconds: 60,
                    ...(a.imagePullSecret ? { imagePullSecrets: [{ name: a.imagePullSecret }] } : {}),
                    affinity: preferOnePerNode(selector),
                    ...(a.initContainers?.length ? { initContainers: [...a.initContainers] } : {}),
                    containers: [
                        {
                            name: w.name,
                            image: imageName(a.image),
                            imagePullPolicy: a.image.digest ? "IfNotPresent" : "Always",
                            ...(a.command ? { command: a.command } : {}),
                            args: a.args,
                            env: [...a.env],
                            ports: [{ name: a.portName, containerPort: w.port, protocol: "TCP" }],
                            resources: withEphemeralStorage(
                                { requests: { ...w.requests }, limits: { ...w.limits } },
                                a.scratchPaths.map(() => SCRATCH_SIZE),
                            ),
                            startupProbe: a.startup,
                            livenessProbe: a.liveness,
                            readinessProbe: a.readiness,
                            securityContext: restrictedContainerSecurityContext(),
                            volumeMounts: [
                                { name: "data", mountPath: a.dataPath },
                                ...a.scratchPaths.map((p) => ({ name: p.name, mountPath: p.mountPath })),
                                ...(a.tlsSecret ? [{ name: "tls", mountPath: "/tls", readOnly: true }] : []),
                                ...(a.authSecret ? [{ name: "auth", mountPath: AUTH_MOUNT, readOnly: true }] : []),
                                ...(a.configFiles ? [{ name: "config", mountPath: a.configFiles.mountPath, readOnly: true }] : []),
                            ],
                        },
                        ...(a.sidecars ?? []),
                    ],
                    volumes: [
                        ...a.scratchPaths.map((p) => ({ name: p.name, emptyDir: { sizeLimit: SCRATCH_SIZE } })),
                        // 0640 root:<fsGroup>: readable by the server, as PostgreSQL requires of its key.
                        ...(a.tlsSecret ? [{ name: "tls", secret: { secretName: a.tlsSecret, defaultMode: 0o640 } }] : []),
                        // 0440 root:<fsGroup>: readable by the server's UID through its fsGroup, by nobody else.
                        ...(a.authSecret ? [{ name: "auth", secret: { secretName: a.authSecret, defaultMode: 0o440 } }] : []),
                        ...(a.configFiles ? [{ name: "config", configMap: { name: configMapName(w), defaultMode: 0o444 } }] : []),
                        ...(a.extraVolumes ?? []),
                    ],
                },
            },
            volumeClaimTemplates: [
                {
                    metadata: { name: "data", labels: standardLabels(subject(w), a.stack) },
                    spec: {
                        accessModes: ["ReadWriteOnce"],
                        storageClassName: a.storageClassName,
                        resources: { requests: { storage: a.storageSize } },
                    },
                },
            ],
        },
    };
}

/** One replica: the budget allows the drain (and says so) rather than blocking it forever. */
export function buildDataPdb(a: DataStoreArgs): k8s.types.input.policy.v1.PodDisruptionBudget {
    const w = a.spec;
    return {
        metadata: { name: w.name, namespace: w.namespace, labels: standardLabels(subject(w), a.stack) },
        spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(subject(w), a.stack) } },
    };
}

/** A single-replica data server on a retained volume, protected from `pulumi destroy`. */
export class DataStore extends pulumi.ComponentResource {
    public readonly statefulSet: k8s.apps.v1.StatefulSet;
    public readonly endpoint: string;

    constructor(name: string, args: DataStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:data:DataStore", name, {}, opts);
        const svc = new k8s.core.v1.Service(`${name}-service`, buildDataService(args), { parent: this });
        const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, buildDataServiceAccount(args), { parent: this });
        const configArgs = buildDataConfig(args);
        const config = configArgs ? [new k8s.core.v1.ConfigMap(`${name}-config`, configArgs, { parent: this })] : [];
        this.statefulSet = new k8s.apps.v1.StatefulSet(`${name}-statefulset`, buildStatefulSet(args), {
            parent: this,
            dependsOn: [svc, sa, ...config, ...(args.startAfter ?? [])],
            protect: true,
            retainOnDelete: true,
        });
        new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, buildDataPdb(args), { parent: this });
        this.endpoint = `${args.spec.name}.${args.spec.namespace}.svc.cluster.local:${args.spec.port}`;
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
