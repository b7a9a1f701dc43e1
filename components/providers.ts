import type * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config/types";
import { kubernetesProvider } from "./cluster/provider";
import { cloudProvider, type CloudProvider } from "./cloud/provider";

export interface StackProvidersArgs {
    /** Kubeconfig of a cluster the program creates; see `KubernetesProviderArgs.kubeconfig`. */
    readonly kubeconfig?: pulumi.Input<string>;
    /** The cloud provider, when it was made before (the created cluster uses it too). */
    readonly cloud?: CloudProvider;
    /** The provider a created cluster made from its own kubeconfig (components/cloud/cluster.ts). */
    readonly kubernetes?: pulumi.ProviderResource;
}

/**
 * The stack's explicit providers, keyed by package as the `providers` option takes them: the cluster
 * (`kubernetes`) and the cloud (`aws`, `gcp` or `azure-native`). A component given these passes them to
 * every child, so nothing of the platform falls back on a default provider.
 */
export function stackProviders(name: string, cfg: PlatformConfig, args: StackProvidersArgs = {}): Record<string, pulumi.ProviderResource> {
    const cloud = args.cloud ?? cloudProvider(`${name}-${cfg.cloud.provider}`, cfg.cloud, cfg.stack);
    const cluster = args.kubernetes ?? kubernetesProvider(`${name}-cluster`, { target: cfg.kubernetes, kubeconfig: args.kubeconfig });
    return { kubernetes: cluster, [cloud.package]: cloud.provider };
}
