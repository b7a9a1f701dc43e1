import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CanaryConfig } from "../../config/types";
import { selectorLabels, standardLabels } from "../labels";
import { buildDeployment, type WorkloadArgs } from "./workload";

/**
 * The label that tells a canary pod from a stable one. Only the canary carries it: the stable Deployment's
 * selector (name and instance) is immutable, so it stays as it is and the canary is told apart by its own.
 */
export const TRACK = { key: "track", canary: "canary" } as const;

export interface ApiCanaryArgs {
    /** The stable API's arguments: the canary runs the same pod but for its image. */
    readonly api: WorkloadArgs;
    readonly canary: CanaryConfig;
    /** Resources the canary waits for: the stable Deployment, whose ServiceAccount it shares. */
    readonly startAfter?: readonly pulumi.Resource[];
}

/** `api-canary`: the name of the canary Deployment of a workload. */
export const canaryName = (workload: string): string => `${workload}-canary`;

/**
 * The canary Deployment: the API's pod template (hardening, probes, resources, ServiceAccount, spread) with
 * the canary's image and a `track: canary` label, at a fixed count that no HPA touches. Its pods keep the
 * API's selector labels, so the API Service, its NetworkPolicies and its PDB cover them; its own selector
 * adds the track, so its ReplicaSets and the stable ones never select each other's pods.
 */
export function buildCanaryDeployment(args: ApiCanaryArgs): k8s.types.input.apps.v1.Deployment {
    const w = args.api.spec;
    const base = buildDeployment({
        ...args.api,
        image: args.canary.image,
        spec: { ...w, replicas: args.canary.replicas },
        scaling: "fixed",
    }) as { metadata: Record<string, any>; spec: Record<string, any> };
    const subject = { name: w.name, component: w.component };
    const track = { [TRACK.key]: TRACK.canary };
    const template = base.spec.template as { metadata: Record<string, any>; spec: k8s.types.input.core.v1.PodSpec };
    return {
        metadata: { ...base.metadata, name: canaryName(w.name), labels: { ...standardLabels(subject, args.api.stack), ...track } },
        spec: {
            ...base.spec,
            selector: { matchLabels: { ...selectorLabels(subject, args.api.stack), ...track } },
            template: { ...template, metadata: { ...template.metadata, labels: { ...template.metadata.labels, ...track } } },
        },
    };
}

/** A canary of the API beside the stable Deployment, behind the same Service (checklist 4.3.2). */
export class ApiCanary extends pulumi.ComponentResource {
    public readonly deployment: k8s.apps.v1.Deployment;

    constructor(name: string, args: ApiCanaryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:workloads:ApiCanary", name, {}, opts);
        this.deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, buildCanaryDeployment(args), {
            parent: this,
            dependsOn: [...(args.startAfter ?? [])],
        });
        this.registerOutputs({});
    }
}
