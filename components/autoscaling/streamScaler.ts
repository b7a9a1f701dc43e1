import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import type { ITriggerAuthentication } from "@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication";
import type { ResolvedWorkload } from "../../config/workloads";
import { standardLabels } from "../labels";

export interface StreamScalerArgs {
    readonly workload: ResolvedWorkload;
    readonly stack: string;
    /** `host:port` of Redis. */
    readonly redisAddress: string;
    readonly tls: boolean;
    /** Secret (in the workload's namespace) whose `ca.crt` KEDA verifies Redis's certificate with; required with `tls`. */
    readonly caSecret?: string;
    readonly stream: string;
    readonly group: string;
    /** Secret (in the workload's namespace) whose `password` key holds the Redis password. */
    readonly passwordSecret: string;
    /** Scale out once this many entries are pending. @default 100 */
    readonly pendingEntries?: number;
}

const labels = (a: StreamScalerArgs) => standardLabels({ name: a.workload.name, component: a.workload.component }, a.stack);

/**
 * KEDA reads the Redis password, and with TLS the data CA it verifies the server with, from Secrets in the
 * workload's namespace; nothing is copied into the ScaledObject.
 */
export function buildTriggerAuthentication(a: StreamScalerArgs): ITriggerAuthentication {
    if (a.tls && !a.caSecret) throw new Error(`${a.workload.name}: a TLS stream scaler needs caSecret, the Secret whose ca.crt verifies Redis`);
    return {
        apiVersion: "keda.sh/v1alpha1",
        kind: "TriggerAuthentication",
        metadata: { name: `${a.workload.name}-redis`, namespace: a.workload.namespace, labels: labels(a) },
        spec: {
            secretTargetRef: [
                { parameter: "password", name: a.passwordSecret, key: "password" },
                ...(a.tls ? [{ parameter: "ca", name: a.caSecret!, key: "ca.crt" }] : []),
            ],
        },
    };
}

/** Checklist 5.1.2: the consumer scales on the group's pending entries between its replica floor and ceiling. */
export function buildScaledObject(a: StreamScalerArgs): IScaledObject {
    return {
        apiVersion: "keda.sh/v1alpha1",
        kind: "ScaledObject",
        metadata: { name: a.workload.name, namespace: a.workload.namespace, labels: labels(a) },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: a.workload.name },
            minReplicaCount: a.workload.replicas,
            maxReplicaCount: a.workload.maxReplicas,
            pollingInterval: 15,
            cooldownPeriod: 300,
            advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } } },
            triggers: [
                {
                    type: "redis-streams",
                    metadata: {
                        address: a.redisAddress,
                        stream: a.stream,
                        consumerGroup: a.group,
                        pendingEntriesCount: String(a.pendingEntries ?? 100),
                        enableTLS: String(a.tls),
                    },
                    authenticationRef: { name: `${a.workload.name}-redis` },
                },
            ],
        },
    };
}

/** The consumer's KEDA ScaledObject and its TriggerAuthentication. */
export class StreamScaler extends pulumi.ComponentResource {
    constructor(name: string, args: StreamScalerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:autoscaling:StreamScaler", name, {}, opts);
        const auth = new k8s.apiextensions.CustomResource(`${name}-auth`, buildTriggerAuthentication(args), { parent: this });
        new k8s.apiextensions.CustomResource(`${name}-scaledobject`, buildScaledObject(args), { parent: this, dependsOn: [auth] });
        this.registerOutputs({});
    }
}
