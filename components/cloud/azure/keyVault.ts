import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { cloudTags, KEY_ROTATION_DAYS } from "../standards";

/** Built-in Azure roles the program assigns, by their fixed definition ids. */
export const AZURE_ROLES = {
    keyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
    keyVaultCryptoServiceEncryptionUser: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
    keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
    keyVaultSecretsOfficer: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    storageBlobDataOwner: "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
} as const;

/** A globally unique vault name (3 to 24 characters) derived from the stack, so a render stays reproducible. */
export function vaultName(prefix: string, ...seed: string[]): string {
    return `${prefix}-${createHash("sha256").update(seed.join("/")).digest("hex").slice(0, 8)}`;
}

/** RBAC-authorised, purge-protected, soft-deleted for 90 days: a key in it cannot be lost by accident. */
export function keyVaultArgs(a: {
    resourceGroup: string;
    location: string;
    vaultName: string;
    tenantId: pulumi.Input<string>;
    stack: string;
}): azure.keyvault.VaultArgs {
    return {
        resourceGroupName: a.resourceGroup,
        location: a.location,
        vaultName: a.vaultName,
        properties: {
            tenantId: a.tenantId,
            sku: { family: "A", name: "standard" },
            enableRbacAuthorization: true,
            enableSoftDelete: true,
            softDeleteRetentionInDays: 90,
            enablePurgeProtection: true,
            publicNetworkAccess: "Enabled",
        },
        tags: cloudTags(a.stack),
    };
}

/**
 * An RSA key that Key Vault rotates every 90 days. Versions do not expire: a consumer pinned to a version
 * (AKS's KMS plugin) keeps working until it is moved to the newest one.
 */
export function rotatingKeyArgs(a: {
    resourceGroup: string;
    vaultName: pulumi.Input<string>;
    keyName: string;
    stack: string;
}): azure.keyvault.KeyArgs {
    return {
        resourceGroupName: a.resourceGroup,
        vaultName: a.vaultName,
        keyName: a.keyName,
        properties: {
            kty: "RSA",
            keySize: 3072,
            keyOps: ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
            rotationPolicy: { lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: `P${KEY_ROTATION_DAYS}D` } }] },
        },
        tags: cloudTags(a.stack),
    };
}

/** A role assignment of a built-in role at a scope; its name is derived from all three so it is stable. */
export function roleAssignment(
    name: string,
    a: { subscriptionId: pulumi.Input<string>; role: keyof typeof AZURE_ROLES; principalId: pulumi.Input<string>; scope: pulumi.Input<string> },
    opts: pulumi.CustomResourceOptions,
): azure.authorization.RoleAssignment {
    return new azure.authorization.RoleAssignment(
        name,
        {
            principalId: a.principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: pulumi.interpolate`/subscriptions/${a.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${AZURE_ROLES[a.role]}`,
            scope: a.scope,
        },
        opts,
    );
}
