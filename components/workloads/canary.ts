import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CanaryConfig } from "../../config/types";
import { selectorLabels } from "../labels";
import { buildDeployment, buildPodTemplate, buildService, buildServiceAccount, type WorkloadArgs } from "./workload";

/**
 * The label that tells a canary pod from a stable one. The stable Deployment's selector (name and instance)
 * is immutable and matches the canary's pods too, so the track is a pod label beside it: the canary's
 * selector and Service add `track: canary`, the API Service adds `track: stable`.
 */
export const TRACK = { key: "track", canary: "canary", stable: "stable" } as const;

export interface ApiCanaryArgs {
    /** The stable API's arguments: the canary runs the same pod but for its image. */
    readonly api: WorkloadArgs;
    readonly canary: CanaryConfig;
    /** Resources the canary waits for: the stable Deployment, and with it the schema migration. */
    readonly startAfter?: readonly pulumi.Resource[];
}

const trackLabel = { [TRACK.key]: TRACK.canary };

/** `api-canary`: the name of the canary Deployment and Service of a workload. */
export const canaryName = (workload: string): string => `${workload}-canary`;

const canaryWorkload = (args: ApiCanaryArgs): WorkloadArgs => ({
    ...args.api,
    image: args.canary.image,
    spec: { ...args.api.spec, replicas: args.canary.replicas },
    scaling: "fixed",
    podLabels: trackLabel,
});

/**
 * The canary's own ServiceAccount, made as the API's is (no token mounted, the same pull Secret): a
 * ServiceAccount is never shared between workloads (checklist 6.5.3), and the API's grants none.
 */
export function buildCanaryServiceAccount(args: ApiCanaryArgs): k8s.types.input.core.v1.ServiceAccount {
    const sa = buildServiceAccount(canaryWorkload(args));
    const metadata = sa.metadata as k8s.types.input.meta.v1.ObjectMeta & { labels: Record<string, string> };
    return { ...sa, metadata: { ...metadata, name: canaryName(args.api.spec.name), labels: { ...metadata.labels, ...trackLabel } } };
}

/**
 * The canary Deployment: the API's pod template (hardening, probes, resources, spread) with the canary's
 * image, its own ServiceAccount and a `track: canary` label, at a fixed count that no HPA touches. Its
 * pods keep the API's selector labels, so the API's NetworkPolicies and its PDB cover them; its own
 * selector adds the track, so its ReplicaSets and the stable ones never select each other's pods.
 */
export function buildCanaryDeployment(args: ApiCanaryArgs): k8s.types.input.apps.v1.Deployment {
    const w = args.api.spec;
    const canary = canaryWorkload(args);
    const subject = { name: w.name, component: w.component };
    const deployment = buildDeployment(canary) as {
        metadata: k8s.types.input.meta.v1.ObjectMeta & { labels: Record<string, string> };
        spec: k8s.types.input.apps.v1.DeploymentSpec;
    };
    const template = buildPodTemplate(canary) as { metadata: { labels: Record<string, string> }; spec: k8s.types.input.core.v1.PodSpec };
    return {
        metadata: {
            ...deployment.metadata,
            name: canaryName(w.name),
            namespace: w.namespace,
            labels: { ...deployment.metadata.labels, ...trackLabel },
        },
        spec: {
            ...deployment.spec,
            selector: { matchLabels: { ...selectorLabels(subject, args.api.stack), ...trackLabel } },
            template: {
                metadata: { ...template.metadata, labels: { ...template.metadata.labels, ...trackLabel } },
                spec: { ...template.spec, serviceAccountName: canaryName(w.name) },
            },
        },
    };
}

/**
 * `api-canary`: the canary's pods and no stable one, on the API's port. The frontend's nginx sends it the
 * canary's weight of the /api/ requests.
 */
export function buildCanaryService(args: ApiCanaryArgs): k8s.types.input.core.v1.Service {
    const service = buildService(canaryWorkload(args)) as { metadata: { labels: Record<string, string> }; spec: k8s.types.input.core.v1.ServiceSpec };
    return {
        metadata: { ...service.metadata, name: canaryName(args.api.spec.name), labels: { ...service.metadata.labels, ...trackLabel } },
        spec: service.spec,
    };
}

/** A canary of the API beside the stable Deployment, behind a Service of its own (checklist 4.3.2). */
export class ApiCanary extends pulumi.ComponentResource {
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly service: k8s.core.v1.Service;

    constructor(name: string, args: ApiCanaryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:workloads:ApiCanary", name, {}, opts);
        const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, buildCanaryServiceAccount(args), { parent: this });
        this.deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, buildCanaryDeployment(args), {
            parent: this,
            dependsOn: [sa, ...(args.startAfter ?? [])],
        });
        this.service = new k8s.core.v1.Service(`${name}-service`, buildCanaryService(args), { parent: this });
        this.registerOutputs({});
    }
}
