import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KubernetesTarget } from "../../config/types";

export interface KubernetesProviderArgs {
    /** The stack's cluster target from config: a secret kubeconfig, or a context and cluster of one. */
    readonly target: KubernetesTarget;
    /**
     * The kubeconfig of a cluster this program creates (EKS, GKE, AKS). When given it is the target,
     * and the configured context and cluster, which name entries of another kubeconfig, do not apply.
     */
    readonly kubeconfig?: pulumi.Input<string>;
}

/**
 * The provider arguments for the stack's cluster: an explicit kubeconfig (always a secret) or a named
 * context and cluster, and server-side apply, so that fields other managers own are kept and conflicts
 * are reported rather than overwritten.
 */
export function kubernetesProviderArgs(a: KubernetesProviderArgs): k8s.ProviderArgs {
    if (a.kubeconfig !== undefined) return { kubeconfig: pulumi.secret(a.kubeconfig), enableServerSideApply: true };
    return {
        ...(a.target.kubeconfig ? { kubeconfig: a.target.kubeconfig } : {}),
        ...(a.target.context ? { context: a.target.context } : {}),
        ...(a.target.cluster ? { cluster: a.target.cluster } : {}),
        enableServerSideApply: true,
    };
}

/**
 * The one Kubernetes provider of the stack. The platform receives it through `providers`, so every
 * Kubernetes resource, those of components included, is created with it and none with the default
 * provider, which would follow whatever context kubectl has.
 */
export function kubernetesProvider(name: string, args: KubernetesProviderArgs, opts?: pulumi.CustomResourceOptions): k8s.Provider {
    return new k8s.Provider(name, kubernetesProviderArgs(args), opts);
}
