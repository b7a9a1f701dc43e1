import * as aws from "@pulumi/aws";
import * as azure from "@pulumi/azure-native";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { CloudConfig } from "../../config/types";

/** The provider of the stack's cloud, under the package name that `providers` maps it by. */
export type CloudProvider =
    | { readonly package: "aws"; readonly provider: aws.Provider }
    | { readonly package: "gcp"; readonly provider: gcp.Provider }
    | { readonly package: "azure-native"; readonly provider: azure.Provider };

/** Tags (AWS) and labels (GCP) the provider puts on every cloud resource of the stack. */
const tags = (stack: string) => ({ "part-of": "voting-app", stack });

/** AWS: the stack's region, and only its account (a credential for another account fails before any change). */
export function awsProviderArgs(cloud: Extract<CloudConfig, { provider: "aws" }>, stack: string): aws.ProviderArgs {
    return {
        region: cloud.region as aws.Region,
        ...(cloud.accountId ? { allowedAccountIds: [cloud.accountId] } : {}),
        defaultTags: { tags: tags(stack) },
    };
}

/** GCP: the stack's project and region. */
export function gcpProviderArgs(cloud: Extract<CloudConfig, { provider: "gcp" }>, stack: string): gcp.ProviderArgs {
    return { project: cloud.project, region: cloud.region, defaultLabels: tags(stack) };
}

/** Azure: the stack's subscription and location. */
export function azureProviderArgs(cloud: Extract<CloudConfig, { provider: "azure" }>): azure.ProviderArgs {
    return { location: cloud.region, ...(cloud.subscriptionId ? { subscriptionId: cloud.subscriptionId } : {}) };
}

/**
 * The explicit provider of the stack's cloud, for the backup storage: region and account, project or
 * subscription come from config, never from the ambient CLI profile.
 */
export function cloudProvider(name: string, cloud: CloudConfig, stack: string, opts?: pulumi.CustomResourceOptions): CloudProvider {
    switch (cloud.provider) {
        case "aws":
            return { package: "aws", provider: new aws.Provider(name, awsProviderArgs(cloud, stack), opts) };
        case "gcp":
            return { package: "gcp", provider: new gcp.Provider(name, gcpProviderArgs(cloud, stack), opts) };
        case "azure":
            return { package: "azure-native", provider: new azure.Provider(name, azureProviderArgs(cloud), opts) };
    }
}
