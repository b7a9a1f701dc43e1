import * as azure from "@pulumi/azure-native";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesProvider } from "../../cluster/provider";
import type { Cni, CreatedCluster } from "../../../config/types";
import { BACKUP_ACCOUNTS, EXTERNAL_SECRETS_ACCOUNT, subjectOf, type ClusterHandle, type ServiceAccountRef, type WorkloadIdentity } from "../identity";
import type { NodePoolSizing } from "../nodeSizing";
import { AUDIT_LOG_RETENTION_DAYS, cloudTags } from "../standards";
import { keyVaultArgs, roleAssignment, rotatingKeyArgs, vaultName } from "./keyVault";

export interface AzureClusterArgs {
    readonly cluster: CreatedCluster & { readonly network: { readonly provider: "azure" } };
    readonly resourceGroup: string;
    readonly region: string;
    readonly kubernetesVersion: string;
    readonly cni: Cni;
    readonly stack: string;
    readonly sizing: NodePoolSizing;
}

/** Control-plane log categories AKS sends to Log Analytics; the two audit ones carry checklist 4.4.3 and 6.4.1. */
export const AKS_LOG_CATEGORIES = [
    "kube-audit",
    "kube-audit-admin",
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "cluster-autoscaler",
    "guard",
];

/** The network profile that enforces NetworkPolicy with the engine the stack's `cni` names. */
export function aksNetworkProfile(cni: Cni): azure.types.input.containerservice.ContainerServiceNetworkProfileArgs {
    const base = { networkPlugin: "azure", outboundType: "loadBalancer", loadBalancerSku: "standard" };
    switch (cni) {
        case "cilium":
            return { ...base, networkPluginMode: "overlay", networkDataplane: "cilium", networkPolicy: "cilium" };
        case "calico":
            return { ...base, networkPluginMode: "overlay", networkPolicy: "calico" };
        default:
            return { ...base, networkPolicy: "azure" };
    }
}

/**
 * Checklist 6.1.4, 5.1.3, 7.1.1: Secrets encrypted by Key Vault KMS with the cluster's own key, one system
 * pool over zones 1 to 3 scaled by the cluster autoscaler, the configured version, Entra ID-only access
 * with an API endpoint that is private or open only to the listed networks, and Workload Identity.
 */
export function aksClusterArgs(
    a: AzureClusterArgs,
    p: { identityId: pulumi.Input<string>; keyId: pulumi.Input<string>; vaultId: pulumi.Input<string> },
): azure.containerservice.ManagedClusterArgs {
    const endpoint = a.cluster.endpoint;
    return {
        resourceGroupName: a.resourceGroup,
        resourceName: a.cluster.name,
        location: a.region,
        dnsPrefix: a.cluster.name,
        kubernetesVersion: a.kubernetesVersion,
        sku: { name: "Base", tier: "Standard" },
        identity: { type: "UserAssigned", userAssignedIdentities: [p.identityId] },
        agentPoolProfiles: [
            {
                name: "system",
                mode: "System",
                type: "VirtualMachineScaleSets",
                osType: "Linux",
                osSKU: "AzureLinux",
                vmSize: a.cluster.nodeType,
                availabilityZones: ["1", "2", "3"],
                enableAutoScaling: true,
                minCount: a.sizing.min,
                maxCount: a.sizing.max,
                count: a.sizing.min,
                maxPods: 50,
                upgradeSettings: { maxSurge: "33%" },
                ...(a.cluster.network.subnetId ? { vnetSubnetID: a.cluster.network.subnetId } : {}),
                nodeLabels: { "voting-platform.io/pool": "general" },
            },
        ],
        autoScalerProfile: { balanceSimilarNodeGroups: "true", expander: "least-waste", skipNodesWithLocalStorage: "false" },
        networkProfile: aksNetworkProfile(a.cni),
        apiServerAccessProfile: endpoint.private ? { enablePrivateCluster: true } : { authorizedIPRanges: [...endpoint.authorizedCidrs] },
        securityProfile: {
            azureKeyVaultKms: { enabled: true, keyId: p.keyId, keyVaultNetworkAccess: "Public", keyVaultResourceId: p.vaultId },
            workloadIdentity: { enabled: true },
        },
        oidcIssuerProfile: { enabled: true },
        aadProfile: { managed: true, enableAzureRBAC: true },
        disableLocalAccounts: true,
        enableRBAC: true,
        autoUpgradeProfile: { upgradeChannel: "patch", nodeOSUpgradeChannel: "NodeImage" },
        tags: cloudTags(a.stack),
    };
}

/** Diagnostic setting that sends the control-plane logs to the 90-day workspace. */
export function aksDiagnosticArgs(clusterId: pulumi.Input<string>, workspaceId: pulumi.Input<string>): azure.monitor.DiagnosticSettingArgs {
    return {
        name: "control-plane-logs",
        resourceUri: clusterId,
        workspaceId,
        logAnalyticsDestinationType: "Dedicated",
        logs: AKS_LOG_CATEGORIES.map((category) => ({ category, enabled: true })),
    };
}

/** AKS with KMS-encrypted Secrets, 90-day audit logs, an autoscaled zonal pool, Azure's Cilium or policy engine, and Workload Identity. */
export class AksCluster extends pulumi.ComponentResource implements ClusterHandle {
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly provider: k8s.Provider;
    public readonly identities: ClusterHandle["identities"];

    constructor(name: string, args: AzureClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:cloud:AksCluster", name, {}, opts);
        const child = { parent: this };
        const rg = args.resourceGroup;
        const c = args.cluster;
        const client = azure.authorization.getClientConfigOutput(child);
        const uami = (suffix: string) =>
            new azure.managedidentity.UserAssignedIdentity(
                `${name}-${suffix}`,
                { resourceGroupName: rg, location: args.region, tags: cloudTags(args.stack) },
                child,
            );

        const controlPlane = uami("control-plane");
        const vault = new azure.keyvault.Vault(
            `${name}-kms`,
            keyVaultArgs({
                resourceGroup: rg,
                location: args.region,
                vaultName: vaultName("vkms", rg, c.name),
                tenantId: client.tenantId,
                stack: args.stack,
            }),
            { ...child, protect: true },
        );
        const key = new azure.keyvault.Key(
            `${name}-kms`,
            rotatingKeyArgs({ resourceGroup: rg, vaultName: vault.name, keyName: "kubernetes-secrets", stack: args.stack }),
            {
                ...child,
                protect: true,
            },
        );
        const kmsGrant = roleAssignment(
            `${name}-kms`,
            { subscriptionId: client.subscriptionId, role: "keyVaultCryptoUser", principalId: controlPlane.principalId, scope: key.id },
            child,
        );

        const workspace = new azure.operationalinsights.Workspace(
            `${name}-logs`,
            {
                resourceGroupName: rg,
                location: args.region,
                sku: { name: "PerGB2018" },
                retentionInDays: AUDIT_LOG_RETENTION_DAYS,
                tags: cloudTags(args.stack),
            },
            child,
        );
        const cluster = new azure.containerservice.ManagedCluster(
            name,
            aksClusterArgs(args, { identityId: controlPlane.id, keyId: key.keyUriWithVersion, vaultId: vault.id }),
            // The autoscaler owns the node count between the bounds.
            { ...child, dependsOn: [kmsGrant], protect: true, ignoreChanges: ["agentPoolProfiles[0].count"] },
        );
        new azure.monitor.DiagnosticSetting(`${name}-logs`, aksDiagnosticArgs(cluster.id, workspace.id), child);

        const issuer = cluster.oidcIssuerProfile.apply((p) => p!.issuerURL!);
        const identity = (suffix: string, accounts: readonly ServiceAccountRef[]): WorkloadIdentity => {
            const id = uami(suffix);
            accounts.forEach(
                (a, i) =>
                    new azure.managedidentity.FederatedIdentityCredential(
                        `${name}-${suffix}-${i}`,
                        { resourceGroupName: rg, resourceName: id.name, issuer, subject: subjectOf(a), audiences: ["api://AzureADTokenExchange"] },
                        child,
                    ),
            );
            return { accounts, annotation: id.clientId, principal: id.principalId };
        };
        this.identities = {
            externalSecrets: identity("external-secrets", [EXTERNAL_SECRETS_ACCOUNT]),
            backupWriter: identity("backup", BACKUP_ACCOUNTS),
        };

        const credentials = azure.containerservice.listManagedClusterUserCredentialsOutput(
            { resourceGroupName: rg, resourceName: cluster.name, format: "exec" },
            child,
        );
        this.kubeconfig = pulumi.secret(credentials.kubeconfigs.apply((k) => Buffer.from(k![0].value, "base64").toString("utf8")));
        this.provider = kubernetesProvider(name, { target: {}, kubeconfig: this.kubeconfig }, child);
        this.registerOutputs({ kubeconfig: this.kubeconfig });
    }
}
