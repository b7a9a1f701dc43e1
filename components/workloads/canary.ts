import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { CanaryConfig } from "../../config/types";
import {
    buildDeployment,
    buildHorizontalPodAutoscaler,
    buildPodDisruptionBudget,
    buildService,
    buildServiceAccount,
    type WorkloadArgs,
} from "./workload";

/**
 * The label that tells a canary pod from a stable one, for people and for the Services. The canary is a
 * second instance of the API (instance label `api-canary-<stack>`), so the stable Deployment's selector,
 * which is immutable, never matches its pods; `track` names the two in `kubectl -l` and in the Services.
 */
export const TRACK = { key: "track", canary: "canary", stable: "stable" } as const;

/** The variant of the API that the canary is: its objects are `api-canary`, its instance `api-canary-<stack>`. */
export const CANARY_VARIANT = "canary";

export interface ApiCanaryArgs {
    /** The stable API's arguments: the canary runs the same pod but for its image. */
    readonly api: WorkloadArgs;
    readonly canary: CanaryConfig;
    /** Resources the canary waits for: the stable Deployment, and with it the schema migration. */
    readonly startAfter?: readonly pulumi.Resource[];
}

/** `api-canary`: the name of the canary Deployment, Service, HPA and budget of a workload. */
export const canaryName = (workload: string): string => `${workload}-${CANARY_VARIANT}`;

/**
 * The canary as a workload: the API's pod (hardening, probes, resources, spread, env) with the canary's
 * image, as a second instance with its own ServiceAccount, Service, budget and autoscaler. Its HPA runs
 * from `canary.replicas` (default: the API's minimum) to the API's maximum on the API's CPU and memory
 * targets, so at any weight the canary grows with the load it takes.
 */
export const canaryWorkload = (args: ApiCanaryArgs): WorkloadArgs => ({
    ...args.api,
    image: args.canary.image,
    spec: { ...args.api.spec, replicas: args.canary.replicas },
    scaling: "hpa",
    variant: CANARY_VARIANT,
    podLabels: { [TRACK.key]: TRACK.canary },
});

/** A canary of the API beside the stable Deployment, behind a Service of its own (checklist 4.3.2). */
export class ApiCanary extends pulumi.ComponentResource {
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly service: k8s.core.v1.Service;

    constructor(name: string, args: ApiCanaryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:workloads:ApiCanary", name, {}, opts);
        const canary = canaryWorkload(args);
        const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, buildServiceAccount(canary), { parent: this });
        this.deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, buildDeployment(canary), {
            parent: this,
            dependsOn: [sa, ...(args.startAfter ?? [])],
        });
        this.service = new k8s.core.v1.Service(`${name}-service`, buildService(canary), { parent: this });
        new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, buildPodDisruptionBudget(canary), { parent: this });
        new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${name}-hpa`, buildHorizontalPodAutoscaler(canary), {
            parent: this,
            dependsOn: [this.deployment],
        });
        this.registerOutputs({});
    }
}
