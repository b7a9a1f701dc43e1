import { createHash } from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { SECRET_RELOAD_ANNOTATION } from "../../policies/lib/annotations";
import type { ImageRef } from "../../config/types";
import { budgetMinAvailable, type ResolvedWorkload } from "../../config/workloads";
import { selectorLabels, standardLabels, versionLabel } from "../labels";
import { preferOnePerNode } from "../scheduling/spread";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../security";
import { withEphemeralStorage } from "../ephemeralStorage";

type Probe = k8s.types.input.core.v1.Probe;
type EnvVar = k8s.types.input.core.v1.EnvVar;

/** A path the process writes to: mounted as a size-limited emptyDir on a read-only root filesystem. */
export interface WritablePath {
    readonly name: string;
    readonly mountPath: string;
    /** @default "64Mi" */
    readonly sizeLimit?: string;
}

export interface WorkloadArgs {
    readonly spec: ResolvedWorkload;
    readonly stack: string;
    /** Registry host for app images; data images carry their full repository. */
    readonly registry?: string;
    readonly image: ImageRef;
    readonly imagePullSecret?: string;
    readonly env?: readonly EnvVar[];
    readonly liveness: Probe;
    readonly readiness: Probe;
    readonly startup?: Probe;
    readonly writablePaths: readonly WritablePath[];
    /**
     * Who owns the replica count. "hpa": this component adds an HPA and leaves the Deployment's `replicas`
     * unset so the two never fight; "external": another controller (KEDA) does; "fixed": the Deployment.
     */
    readonly scaling: "fixed" | "hpa" | "external";
    /** PodDisruptionBudget minAvailable. @default replicas - 1 (at least 1) */
    readonly minAvailable?: number;
    readonly priorityClassName?: string;
    /** Further volumes (the data CA bundle) and where the container mounts each. */
    readonly volumes?: readonly { readonly volume: k8s.types.input.core.v1.Volume; readonly mount: k8s.types.input.core.v1.VolumeMount }[];
    /** Read-only config files: a ConfigMap mounted at `mountPath`; pods roll when its content changes. */
    readonly configFiles?: { readonly mountPath: string; readonly files: Readonly<Record<string, string>> };
    /** Resources the Deployment waits for (Secrets, init Jobs). */
    readonly startAfter?: readonly pulumi.Resource[];
    /** Ports beside `http`, e.g. a health endpoint the probes use. */
    readonly extraPorts?: readonly { readonly name: string; readonly containerPort: number }[];
    /** Annotations of the ServiceAccount, e.g. the cloud identity it assumes. */
    readonly serviceAccountAnnotations?: Readonly<Record<string, pulumi.Input<string>>>;
    /**
     * A label the pods carry and the Service selects beside the Deployment's selector, which is immutable:
     * `{track: "stable"}` and `{track: "canary"}` name the API's two tracks in its Services and in `kubectl -l`.
     */
    readonly podLabels?: Readonly<Record<string, string>>;
    /**
     * Secrets the pods read through their environment that External Secrets rewrites: Stakater Reloader
     * rolls the Deployment when one changes, so a rotated value reaches the pods (checklist 6.1.3).
     */
    readonly reloadOnSecrets?: readonly string[];
    /**
     * A second instance beside the workload's main one (`canary`): its objects are named
     * `<name>-<variant>` and its pods' instance label is `<name>-<variant>-<stack>`, so the main
     * Deployment's immutable selector, and with it the main HPA and budget, never count its pods.
     */
    readonly variant?: string;
}

const subject = (args: WorkloadArgs) => ({ name: args.spec.name, component: args.spec.component, variant: args.variant });

/** The name of the workload's objects: `api`, or `api-canary` for its canary. */
export const objectName = (args: Pick<WorkloadArgs, "spec" | "variant">): string =>
    args.variant ? `${args.spec.name}-${args.variant}` : args.spec.name;

/** Probe timings of the checklist (2.1.1, 2.1.2): three failures before action, readiness after 10 s. */
export const PROBE_DEFAULTS = { failureThreshold: 3, periodSeconds: 10, timeoutSeconds: 3, readinessInitialDelaySeconds: 10 } as const;

export function httpProbe(path: string, port: number, initialDelaySeconds = 0): Probe {
    return {
        httpGet: { path, port },
        initialDelaySeconds,
        periodSeconds: PROBE_DEFAULTS.periodSeconds,
        timeoutSeconds: PROBE_DEFAULTS.timeoutSeconds,
        failureThreshold: PROBE_DEFAULTS.failureThreshold,
    };
}

/** `registry/repository:tag@digest`; a digest pins the exact image, the tag stays for humans. */
export function imageName(image: ImageRef, registry?: string): string {
    const repo = registry && !image.repository.includes(".") ? `${registry}/${image.repository}` : image.repository;
    return `${repo}:${image.tag}${image.digest ? `@${image.digest}` : ""}`;
}

/** The pod-template annotation with the checksum of a pod's config files: a change to them rolls the pods. */
export const CONFIG_CHECKSUM_ANNOTATION = "checksum/config";

export function configChecksum(files: Readonly<Record<string, string>>): string {
    return createHash("sha256")
        .update(JSON.stringify(Object.entries(files).sort()))
        .digest("hex");
}

export function buildConfigMap(args: WorkloadArgs): k8s.types.input.core.v1.ConfigMap {
    const w = args.spec;
    return {
        metadata: { name: `${objectName(args)}-config`, namespace: w.namespace, labels: standardLabels(subject(args), args.stack) },
        data: { ...args.configFiles!.files },
    };
}

export function buildServiceAccount(args: WorkloadArgs): k8s.types.input.core.v1.ServiceAccount {
    return {
        metadata: {
            name: objectName(args),
            namespace: args.spec.namespace,
            labels: standardLabels(subject(args), args.stack),
            ...(args.serviceAccountAnnotations ? { annotations: { ...args.serviceAccountAnnotations } } : {}),
        },
        automountServiceAccountToken: false,
        ...(args.imagePullSecret ? { imagePullSecrets: [{ name: args.imagePullSecret }] } : {}),
    };
}

/** The hardened pod template every app workload shares (checklist 1.1.1–1.1.3, 2.1, 2.2, 2.3.2). */
export function buildPodTemplate(args: WorkloadArgs): k8s.types.input.core.v1.PodTemplateSpec {
    const w = args.spec;
    const selector = selectorLabels(subject(args), args.stack);
    return {
        metadata: {
            labels: { ...standardLabels(subject(args), args.stack), ...versionLabel(args.image.tag), ...args.podLabels },
            ...(args.configFiles ? { annotations: { [CONFIG_CHECKSUM_ANNOTATION]: configChecksum(args.configFiles.files) } } : {}),
        },
        spec: {
            serviceAccountName: objectName(args),
            ...(args.priorityClassName ? { priorityClassName: args.priorityClassName } : {}),
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(w.runAsUser),
            ...(args.imagePullSecret ? { imagePullSecrets: [{ name: args.imagePullSecret }] } : {}),
            affinity: preferOnePerNode(selector),
            topologySpreadConstraints: [
                {
                    maxSkew: 1,
                    topologyKey: "topology.kubernetes.io/zone",
                    whenUnsatisfiable: "ScheduleAnyway",
                    labelSelector: { matchLabels: selector },
                },
            ],
            containers: [
                {
                    name: w.name,
                    image: imageName(args.image, args.registry),
                    imagePullPolicy: args.image.digest ? "IfNotPresent" : "Always",
                    ports: [
                        { name: "http", containerPort: w.port, protocol: "TCP" },
                        ...(args.extraPorts ?? []).map((p) => ({ ...p, protocol: "TCP" })),
                    ],
                    env: [...(args.env ?? [])],
                    resources: withEphemeralStorage(
                        { requests: { ...w.requests }, limits: { ...w.limits } },
                        args.writablePaths.map((p) => p.sizeLimit ?? "64Mi"),
                    ),
                    livenessProbe: args.liveness,
                    readinessProbe: args.readiness,
                    ...(args.startup ? { startupProbe: args.startup } : {}),
                    securityContext: restrictedContainerSecurityContext(),
                    volumeMounts: [
                        ...args.writablePaths.map((p) => ({ name: p.name, mountPath: p.mountPath })),
                        ...(args.configFiles ? [{ name: "config", mountPath: args.configFiles.mountPath, readOnly: true }] : []),
                        ...(args.volumes ?? []).map((v) => v.mount),
                    ],
                },
            ],
            volumes: [
                ...args.writablePaths.map((p) => ({ name: p.name, emptyDir: { sizeLimit: p.sizeLimit ?? "64Mi" } })),
                ...(args.configFiles ? [{ name: "config", configMap: { name: `${objectName(args)}-config` } }] : []),
                ...(args.volumes ?? []).map((v) => v.volume),
            ],
        },
    };
}

export function buildDeployment(args: WorkloadArgs): k8s.types.input.apps.v1.Deployment {
    const w = args.spec;
    return {
        metadata: {
            name: objectName(args),
            namespace: w.namespace,
            labels: { ...standardLabels(subject(args), args.stack), ...versionLabel(args.image.tag) },
            ...(args.reloadOnSecrets?.length ? { annotations: { [SECRET_RELOAD_ANNOTATION]: args.reloadOnSecrets.join(",") } } : {}),
        },
        spec: {
            ...(args.scaling === "fixed" ? { replicas: w.replicas } : {}),
            revisionHistoryLimit: 5,
            selector: { matchLabels: selectorLabels(subject(args), args.stack) },
            // One pod at a time (checklist 4.1.1); a single replica surges first so it is never down.
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: w.replicas > 1 ? 1 : 0, maxSurge: 1 } },
            template: buildPodTemplate(args),
        },
    };
}

export function buildService(args: WorkloadArgs): k8s.types.input.core.v1.Service {
    const w = args.spec;
    return {
        metadata: { name: objectName(args), namespace: w.namespace, labels: standardLabels(subject(args), args.stack) },
        spec: {
            type: "ClusterIP",
            selector: { ...selectorLabels(subject(args), args.stack), ...args.podLabels },
            ports: [{ name: "http", port: w.port, targetPort: "http", protocol: "TCP" }],
        },
    };
}

/**
 * A budget that keeps `minAvailable` pods up yet still lets a node drain: it never asks for every replica.
 * A single-replica workload (staging) gets `maxUnavailable: 1`, which lets the drain proceed.
 */
export function buildPodDisruptionBudget(args: WorkloadArgs): k8s.types.input.policy.v1.PodDisruptionBudget {
    const w = args.spec;
    const minAvailable = budgetMinAvailable({ replicas: w.replicas, minAvailable: args.minAvailable });
    return {
        metadata: { name: objectName(args), namespace: w.namespace, labels: standardLabels(subject(args), args.stack) },
        spec: {
            ...(minAvailable >= 1 ? { minAvailable } : { maxUnavailable: 1 }),
            selector: { matchLabels: selectorLabels(subject(args), args.stack) },
            unhealthyPodEvictionPolicy: "AlwaysAllow",
        },
    };
}

/** CPU and memory targets of the API's autoscaler (checklist 5.1.1). */
export const HPA_TARGETS = { cpu: 70, memory: 80 } as const;

/** An HPA from `replicas` to `maxReplicas` on CPU and memory utilisation of the requests. */
export function buildHorizontalPodAutoscaler(args: WorkloadArgs): k8s.types.input.autoscaling.v2.HorizontalPodAutoscaler {
    const w = args.spec;
    const target = (name: "cpu" | "memory") => ({
        type: "Resource",
        resource: { name, target: { type: "Utilization", averageUtilization: HPA_TARGETS[name] } },
    });
    return {
        metadata: { name: objectName(args), namespace: w.namespace, labels: standardLabels(subject(args), args.stack) },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: objectName(args) },
            minReplicas: w.replicas,
            maxReplicas: w.maxReplicas,
            metrics: [target("cpu"), target("memory")],
        },
    };
}

/** A stateless app service: ServiceAccount, Deployment, Service and PodDisruptionBudget. */
export class Workload extends pulumi.ComponentResource {
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly service: k8s.core.v1.Service;
    /** In-cluster DNS name and port, e.g. `api.voting-api.svc.cluster.local:8000`. */
    public readonly endpoint: string;

    constructor(name: string, args: WorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:workloads:Workload", name, {}, opts);
        const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, buildServiceAccount(args), { parent: this });
        const config = args.configFiles ? [new k8s.core.v1.ConfigMap(`${name}-config`, buildConfigMap(args), { parent: this })] : [];
        this.deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, buildDeployment(args), {
            parent: this,
            dependsOn: [sa, ...config, ...(args.startAfter ?? [])],
        });
        // A Service that selects a pod label waits for the rollout that puts the label on the pods, so it
        // never selects none of them while the Deployment rolls.
        this.service = new k8s.core.v1.Service(`${name}-service`, buildService(args), {
            parent: this,
            ...(args.podLabels ? { dependsOn: [this.deployment] } : {}),
        });
        new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, buildPodDisruptionBudget(args), { parent: this });
        if (args.scaling === "hpa") {
            new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-hpa`, buildHorizontalPodAutoscaler(args), {
                parent: this,
                dependsOn: [this.deployment],
            });
        }
        this.endpoint = `${objectName(args)}.${args.spec.namespace}.svc.cluster.local:${args.spec.port}`;
        this.registerOutputs({ endpoint: this.endpoint });
    }
}
