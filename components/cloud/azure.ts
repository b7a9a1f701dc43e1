import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import type { BackupStorageArgs } from "./backupStorage";

/** Geo-redundant when a replica region is wanted (Azure picks the paired region), TLS 1.2, no public blobs. */
export function storageAccountArgs(a: BackupStorageArgs & { cloud: { provider: "azure" } }): azure.storage.StorageAccountArgs {
    return {
        resourceGroupName: a.cloud.resourceGroup,
        location: a.cloud.region,
        kind: "StorageV2",
        sku: { name: a.cloud.backupReplicaRegion ? "Standard_GRS" : "Standard_LRS" },
        minimumTlsVersion: "TLS1_2",
        enableHttpsTrafficOnly: true,
        allowBlobPublicAccess: false,
        encryption: { keySource: "Microsoft.Storage", services: { blob: { enabled: true, keyType: "Account" } } },
        tags: { "part-of": "voting-app", stack: a.stack },
    };
}

/** Checklist 4.2.2 on Azure: a private container in a hardened account, backups deleted after the retention. */
export function azureBackupStorage(
    name: string,
    a: BackupStorageArgs & { cloud: { provider: "azure" } },
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const account = new azure.storage.StorageAccount(name, storageAccountArgs(a), { parent, protect: true, retainOnDelete: true });
    new azure.storage.BlobContainer(
        `${name}-postgres`,
        { resourceGroupName: a.cloud.resourceGroup, accountName: account.name, containerName: "postgres", publicAccess: "None" },
        { parent, protect: true },
    );
    new azure.storage.ManagementPolicy(
        `${name}-retention`,
        {
            resourceGroupName: a.cloud.resourceGroup,
            accountName: account.name,
            managementPolicyName: "default",
            policy: {
                rules: [
                    {
                        name: "expire-backups",
                        enabled: true,
                        type: "Lifecycle",
                        definition: {
                            filters: { blobTypes: ["blockBlob"], prefixMatch: ["postgres/"] },
                            actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: a.retentionDays } } },
                        },
                    },
                ],
            },
        },
        { parent },
    );
    return pulumi.interpolate`${account.name}/postgres`;
}
