import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { IACRAccessToken } from "@kubernetes-models/external-secrets/generators.external-secrets.io/v1alpha1/ACRAccessToken";
import type { IECRAuthorizationToken } from "@kubernetes-models/external-secrets/generators.external-secrets.io/v1alpha1/ECRAuthorizationToken";
import type { IGCRAccessToken } from "@kubernetes-models/external-secrets/generators.external-secrets.io/v1alpha1/GCRAccessToken";
import type { CloudConfig } from "../../config/types";
import { NAMESPACES } from "../../config/workloads";
import { registryTokenKind, type RegistryTokenKind } from "../../policies/lib/registryTokens";
import { platformLabels } from "../labels";
import type { IExternalSecret } from "./appSecrets";

export type RegistryGenerator = IECRAuthorizationToken | IGCRAccessToken | IACRAccessToken;

/** The generator, in each namespace, that the namespace's pull secret is rendered from. */
export const REGISTRY_GENERATOR = "registry-token";

/**
 * How often each namespace's pull secret is rendered again: a quarter of the token's lifetime, so a pod
 * always pulls with a token that has at least three quarters of its life left, and a failed refresh is
 * retried before it expires. @default ECR 3h (12 h tokens), GCR 15m (1 h), ACR 45m (3 h)
 */
export const PULL_SECRET_REFRESH: Record<RegistryTokenKind, string> = { ECRAuthorizationToken: "3h", GCRAccessToken: "15m", ACRAccessToken: "45m" };

/** The registry host of `images.registry` (which may carry a path). */
export const registryHost = (registry: string): string => registry.split("/")[0];

/**
 * The registry-token generator in one namespace, or undefined when External Secrets cannot make tokens
 * for the registry (then the pull secret is a prerequisite the pack config declares). It authenticates
 * as External Secrets' own workload identity (IRSA, GKE or Azure Workload Identity), which needs pull
 * rights on the registry.
 */
export function buildRegistryGenerator(registry: string, cloud: CloudConfig, namespace: string, stack: string): RegistryGenerator | undefined {
    const host = registryHost(registry);
    const metadata = { name: REGISTRY_GENERATOR, namespace, labels: platformLabels("registry", stack) };
    const apiVersion = "generators.external-secrets.io/v1alpha1" as const;
    switch (registryTokenKind(host)) {
        case "ECRAuthorizationToken":
            return { apiVersion, kind: "ECRAuthorizationToken", metadata, spec: { region: host.split(".")[3] } };
        case "GCRAccessToken":
            return cloud.provider === "gcp"
                ? { apiVersion, kind: "GCRAccessToken", metadata, spec: { auth: {}, projectID: cloud.project } }
                : undefined;
        case "ACRAccessToken":
            return { apiVersion, kind: "ACRAccessToken", metadata, spec: { auth: { workloadIdentity: {} }, registry: host } };
        default:
            return undefined;
    }
}

/**
 * Checklist 6.3.2: the `kubernetes.io/dockerconfigjson` Secret `name` in one namespace, rendered from the
 * namespace's generator's username and password for the registry host, and again every refresh interval.
 */
export function buildPullSecret(name: string, namespace: string, registry: string, kind: RegistryTokenKind, stack: string): IExternalSecret {
    const auth = '{{ printf "%s:%s" .username .password | b64enc }}';
    return {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name, namespace, labels: platformLabels("registry", stack) },
        spec: {
            refreshInterval: PULL_SECRET_REFRESH[kind],
            target: {
                name,
                creationPolicy: "Owner",
                template: {
                    type: "kubernetes.io/dockerconfigjson",
                    engineVersion: "v2",
                    data: { ".dockerconfigjson": `{"auths":{"${registryHost(registry)}":{"auth":"${auth}"}}}` },
                },
            },
            dataFrom: [{ sourceRef: { generatorRef: { apiVersion: "generators.external-secrets.io/v1alpha1", kind, name: REGISTRY_GENERATOR } } }],
        },
    };
}

export interface PullSecretsArgs {
    /** The Secret name pods list in imagePullSecrets (`images.pullSecret`). */
    readonly name: string;
    readonly registry: string;
    readonly cloud: CloudConfig;
    readonly stack: string;
}

/**
 * The pull secret in every voting namespace, from a registry-token generator beside it, when the registry
 * is ECR, Artifact Registry/GCR (on GCP) or ACR. For any other registry nothing is created: the Secret is
 * a prerequisite, and `require-pull-secret-source` refuses the stack until the pack config declares it.
 */
export class PullSecrets extends pulumi.ComponentResource {
    /** What pods wait for; empty when the pull secret is a prerequisite. */
    public readonly ready: pulumi.Resource[] = [];

    constructor(name: string, args: PullSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:secrets:PullSecrets", name, {}, opts);
        for (const ns of Object.values(NAMESPACES)) {
            const generator = buildRegistryGenerator(args.registry, args.cloud, ns, args.stack);
            if (!generator) continue;
            const gen = new k8s.apiextensions.CustomResource(`${name}-${ns}-generator`, generator, { parent: this });
            this.ready.push(
                new k8s.apiextensions.CustomResource(`${name}-${ns}`, buildPullSecret(args.name, ns, args.registry, generator.kind, args.stack), {
                    parent: this,
                    dependsOn: [gen],
                }),
            );
        }
        this.registerOutputs({});
    }
}
