import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACES, type ResolvedWorkload } from "../../config/workloads";
import { cpuMillis, formatCpu, formatMemory, memoryBytes } from "../../policies/lib/quantity";
import { CNI_ANNOTATION, K8S_VERSION_ANNOTATION } from "../../policies/lib/annotations";
import { platformLabels } from "../labels";

/** Pod Security Admission level per namespace. Every pod of the platform meets `restricted`. */
export const POD_SECURITY_LEVEL = "restricted";

/**
 * Room each namespace keeps for short-lived pods (init, backup, verification Jobs) beside its
 * workloads at maximum scale: one such pod at a time.
 * @default 100m/128Mi requested, 200m/256Mi limit
 */
export const JOB_HEADROOM = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "200m", memory: "256Mi" }, pods: 2 };

/** Pods one rolling update adds on top of the maximum replica count (maxSurge). */
export const ROLLOUT_SURGE = 1;

export interface NamespaceSizing {
    readonly namespace: string;
    readonly pods: number;
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
    /** Storage requested by the namespace's PVCs (data layer only). */
    readonly storage?: string;
    readonly persistentVolumeClaims?: number;
}

export interface StorageSizes {
    readonly postgresSize: string;
    readonly redisSize: string;
}

/**
 * What a namespace needs at the workloads' maximum scale, during a rollout, with room for one Job pod.
 * The ResourceQuota is exactly this, so a quota can never block a scale-out the autoscalers are allowed.
 */
export function sizeNamespace(namespace: string, workloads: readonly ResolvedWorkload[], storage?: StorageSizes): NamespaceSizing {
    const mine = workloads.filter((w) => w.namespace === namespace);
    let pods = JOB_HEADROOM.pods;
    let reqCpu = cpuMillis(JOB_HEADROOM.requests.cpu)!;
    let reqMem = memoryBytes(JOB_HEADROOM.requests.memory)!;
    let limCpu = cpuMillis(JOB_HEADROOM.limits.cpu)!;
    let limMem = memoryBytes(JOB_HEADROOM.limits.memory)!;
    for (const w of mine) {
        const n = w.maxReplicas + ROLLOUT_SURGE;
        pods += n;
        reqCpu += n * cpuMillis(w.requests.cpu)!;
        reqMem += n * memoryBytes(w.requests.memory)!;
        limCpu += n * cpuMillis(w.limits.cpu)!;
        limMem += n * memoryBytes(w.limits.memory)!;
    }
    const sizing: NamespaceSizing = {
        namespace,
        pods,
        requests: { cpu: formatCpu(reqCpu), memory: formatMemory(reqMem) },
        limits: { cpu: formatCpu(limCpu), memory: formatMemory(limMem) },
    };
    if (namespace !== NAMESPACES.data || !storage) return sizing;
    return {
        ...sizing,
        storage: formatMemory(memoryBytes(storage.postgresSize)! + memoryBytes(storage.redisSize)!),
        persistentVolumeClaims: 2,
    };
}

export function buildNamespace(namespace: string, stack: string, cni: string, kubernetesVersion: string): k8s.types.input.core.v1.Namespace {
    return {
        metadata: {
            name: namespace,
            // Checklist 1.2.1: the CNI these namespaces rely on to enforce their NetworkPolicies.
            // And (7.1.1) the Kubernetes version the stack targets.
            annotations: { [CNI_ANNOTATION]: cni, [K8S_VERSION_ANNOTATION]: kubernetesVersion },
            labels: {
                ...platformLabels("namespace", stack),
                "pod-security.kubernetes.io/enforce": POD_SECURITY_LEVEL,
                "pod-security.kubernetes.io/enforce-version": "latest",
                "pod-security.kubernetes.io/audit": POD_SECURITY_LEVEL,
                "pod-security.kubernetes.io/warn": POD_SECURITY_LEVEL,
            },
        },
    };
}

export function buildResourceQuota(sizing: NamespaceSizing, stack: string): k8s.types.input.core.v1.ResourceQuota {
    const hard: Record<string, string> = {
        pods: String(sizing.pods),
        "requests.cpu": sizing.requests.cpu,
        "requests.memory": sizing.requests.memory,
        "limits.cpu": sizing.limits.cpu,
        "limits.memory": sizing.limits.memory,
        "services.loadbalancers": "0",
        "services.nodeports": "0",
    };
    if (sizing.storage) hard["requests.storage"] = sizing.storage;
    hard.persistentvolumeclaims = String(sizing.persistentVolumeClaims ?? 0);
    return { metadata: { name: "compute", namespace: sizing.namespace, labels: platformLabels("quota", stack) }, spec: { hard } };
}

/** Defaults for containers that set no resources (so none is BestEffort), and a ceiling at the largest workload. */
export function buildLimitRange(namespace: string, workloads: readonly ResolvedWorkload[], stack: string): k8s.types.input.core.v1.LimitRange {
    const mine = workloads.filter((w) => w.namespace === namespace);
    const maxCpu = Math.max(cpuMillis(JOB_HEADROOM.limits.cpu)!, ...mine.map((w) => cpuMillis(w.limits.cpu)!));
    const maxMem = Math.max(memoryBytes(JOB_HEADROOM.limits.memory)!, ...mine.map((w) => memoryBytes(w.limits.memory)!));
    return {
        metadata: { name: "container-defaults", namespace, labels: platformLabels("quota", stack) },
        spec: {
            limits: [
                {
                    type: "Container",
                    defaultRequest: { ...JOB_HEADROOM.requests },
                    default: { ...JOB_HEADROOM.limits },
                    max: { cpu: formatCpu(maxCpu), memory: formatMemory(maxMem) },
                },
            ],
        },
    };
}

export interface NamespacesArgs {
    readonly stack: string;
    readonly workloads: readonly ResolvedWorkload[];
    readonly storage: StorageSizes;
    readonly cni: string;
    readonly kubernetesVersion: string;
}

/** The four namespaces of the platform, each with Pod Security labels, a ResourceQuota and a LimitRange. */
export class Namespaces extends pulumi.ComponentResource {
    /** Namespace objects by short name (frontend, api, consumer, data). */
    public readonly namespaces: Record<keyof typeof NAMESPACES, k8s.core.v1.Namespace>;
    public readonly sizing: NamespaceSizing[];

    constructor(name: string, args: NamespacesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:namespaces:Namespaces", name, {}, opts);
        this.sizing = [];
        const made = {} as Record<keyof typeof NAMESPACES, k8s.core.v1.Namespace>;
        for (const [short, ns] of Object.entries(NAMESPACES) as [keyof typeof NAMESPACES, string][]) {
            const namespace = new k8s.core.v1.Namespace(`${name}-${short}`, buildNamespace(ns, args.stack, args.cni, args.kubernetesVersion), {
                parent: this,
            });
            const sizing = sizeNamespace(ns, args.workloads, args.storage);
            this.sizing.push(sizing);
            new k8s.core.v1.ResourceQuota(`${name}-${short}-quota`, buildResourceQuota(sizing, args.stack), { parent: this, dependsOn: [namespace] });
            new k8s.core.v1.LimitRange(`${name}-${short}-limits`, buildLimitRange(ns, args.workloads, args.stack), {
                parent: this,
                dependsOn: [namespace],
            });
            made[short] = namespace;
        }
        this.namespaces = made;
        this.registerOutputs({ namespaces: Object.values(NAMESPACES) });
    }
}
