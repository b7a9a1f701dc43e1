import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { keyVaultArgs, roleAssignment, rotatingKeyArgs, vaultName } from "./azure/keyVault";
import type { BackupStorageArgs } from "./backupStorage";
import { cloudTags } from "./standards";

type AzureBackupArgs = BackupStorageArgs & { cloud: { provider: "azure" } };

/** The customer-managed key a storage account encrypts with, and the identity it reads the key as. */
export interface StorageKey {
    readonly keyName: pulumi.Input<string>;
    readonly vaultUri: pulumi.Input<string>;
    readonly identityId: pulumi.Input<string>;
}

/**
 * Geo-redundant when a replica region is wanted (Azure copies to the region's pair, which validation
 * requires the replica region to be), TLS 1.2, Entra ID only (no shared keys), no public blobs, and
 * encrypted with the account's own Key Vault key.
 */
export function storageAccountArgs(a: AzureBackupArgs, key: StorageKey): azure.storage.StorageAccountArgs {
    return {
        resourceGroupName: a.cloud.resourceGroup,
        location: a.cloud.region,
        kind: "StorageV2",
        sku: { name: a.cloud.backupReplicaRegion ? "Standard_GRS" : "Standard_LRS" },
        minimumTlsVersion: "TLS1_2",
        enableHttpsTrafficOnly: true,
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
        identity: { type: "UserAssigned", userAssignedIdentities: [key.identityId] },
        encryption: {
            keySource: "Microsoft.Keyvault",
            keyVaultProperties: { keyName: key.keyName, keyVaultUri: key.vaultUri },
            encryptionIdentity: { encryptionUserAssignedIdentity: key.identityId },
            requireInfrastructureEncryption: true,
            services: { blob: { enabled: true, keyType: "Account" }, file: { enabled: true, keyType: "Account" } },
        },
        tags: cloudTags(a.stack),
    };
}

/** Blob versioning, and deleted blobs and containers kept a week, so an overwrite or delete can be undone. */
export function blobServiceArgs(a: AzureBackupArgs, accountName: pulumi.Input<string>): azure.storage.BlobServicePropertiesArgs {
    return {
        resourceGroupName: a.cloud.resourceGroup,
        accountName,
        blobServicesName: "default",
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: 7 },
        containerDeleteRetentionPolicy: { enabled: true, days: 7 },
    };
}

/** Backups deleted after the retention, superseded versions a day after they were replaced (checklist 4.2.1). */
export function retentionPolicy(retentionDays: number): azure.types.input.storage.ManagementPolicySchemaArgs {
    return {
        rules: [
            {
                name: "expire-backups",
                enabled: true,
                type: "Lifecycle",
                definition: {
                    filters: { blobTypes: ["blockBlob"], prefixMatch: ["postgres/"] },
                    actions: {
                        baseBlob: { delete: { daysAfterModificationGreaterThan: retentionDays } },
                        version: { delete: { daysAfterCreationGreaterThan: 1 } },
                    },
                },
            },
        ],
    };
}

/** Checklist 4.2.2 on Azure: a private container in a hardened, key-encrypted, versioned, geo-redundant account. */
export function azureBackupStorage(name: string, a: AzureBackupArgs, parent: pulumi.Resource): pulumi.Output<string> {
    const opts = { parent };
    const rg = a.cloud.resourceGroup;
    const client = azure.authorization.getClientConfigOutput({ parent });
    const identity = new azure.managedidentity.UserAssignedIdentity(
        `${name}-cmk`,
        { resourceGroupName: rg, location: a.cloud.region, tags: cloudTags(a.stack) },
        opts,
    );
    const vault = new azure.keyvault.Vault(
        `${name}-vault`,
        keyVaultArgs({
            resourceGroup: rg,
            location: a.cloud.region,
            vaultName: vaultName("vbk", rg, a.stack),
            tenantId: client.tenantId,
            stack: a.stack,
        }),
        { ...opts, protect: true },
    );
    const key = new azure.keyvault.Key(
        `${name}-key`,
        rotatingKeyArgs({ resourceGroup: rg, vaultName: vault.name, keyName: "backups", stack: a.stack }),
        {
            ...opts,
            protect: true,
        },
    );
    const grant = roleAssignment(
        `${name}-cmk`,
        { subscriptionId: client.subscriptionId, role: "keyVaultCryptoServiceEncryptionUser", principalId: identity.principalId, scope: key.id },
        opts,
    );
    const account = new azure.storage.StorageAccount(
        name,
        storageAccountArgs(a, { keyName: key.name, vaultUri: vault.properties.apply((p) => p.vaultUri!), identityId: identity.id }),
        { parent, protect: true, retainOnDelete: true, dependsOn: [grant] },
    );
    new azure.storage.BlobServiceProperties(`${name}-blob-service`, blobServiceArgs(a, account.name), opts);
    new azure.storage.BlobContainer(
        `${name}-postgres`,
        { resourceGroupName: rg, accountName: account.name, containerName: "postgres", publicAccess: "None" },
        { parent, protect: true },
    );
    new azure.storage.ManagementPolicy(
        `${name}-retention`,
        { resourceGroupName: rg, accountName: account.name, managementPolicyName: "default", policy: retentionPolicy(a.retentionDays) },
        opts,
    );
    if (a.writer) {
        roleAssignment(
            `${name}-writer`,
            { subscriptionId: client.subscriptionId, role: "storageBlobDataContributor", principalId: a.writer.principal, scope: account.id },
            opts,
        );
    }
    return pulumi.interpolate`${account.name}/postgres`;
}
