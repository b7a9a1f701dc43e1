import * as azure from "@pulumi/azure-native";
import type * as pulumi from "@pulumi/pulumi";
import { daysFromToday } from "../../clock";
import { CREDENTIALS, initialPassword, secretName, secretPayload, type CloudSecretsArgs } from "../credentials";
import { cloudTags } from "../standards";
import { keyVaultArgs, roleAssignment } from "./keyVault";
import { azureRotationFunction, type SecretRenewer } from "./rotation";

type AzureSecretsArgs = CloudSecretsArgs & {
    cloud: { provider: "azure" };
    secrets: Extract<CloudSecretsArgs["secrets"], { backend: "azure-key-vault" }>;
};

/** `https://voting-prod.vault.azure.net` → `voting-prod`. */
export const vaultNameOf = (url: string) => new URL(url).hostname.split(".")[0];

/**
 * Checklist 6.1.3: a Key Vault secret whose version is valid from the day it is written until
 * `secrets.rotationDays` later: Key Vault raises SecretNearExpiry before then, and a rotation writes the
 * next version with the next window.
 */
export function azureSecretArgs(
    a: { readonly cloud: { readonly resourceGroup: string }; readonly secrets: { readonly rotationDays: number }; readonly stack: string },
    vaultName: pulumi.Input<string>,
    secretName: string,
    value: pulumi.Input<string>,
): azure.keyvault.SecretArgs {
    return {
        resourceGroupName: a.cloud.resourceGroup,
        vaultName,
        secretName,
        properties: {
            value,
            contentType: "application/json",
            attributes: {
                enabled: true,
                notBefore: Math.floor(daysFromToday(0).getTime() / 1000),
                expires: Math.floor(daysFromToday(a.secrets.rotationDays).getTime() / 1000),
            },
        },
        tags: cloudTags(a.stack),
    };
}

/** The Key Vault of `secrets.keyVaultUrl`, the platform's passwords in it, and the function that writes each next one. */
export function azureSecrets(name: string, a: AzureSecretsArgs, parent: pulumi.Resource): SecretRenewer | undefined {
    const opts = { parent };
    const rg = a.cloud.resourceGroup;
    const client = azure.authorization.getClientConfigOutput({ parent });
    const vault = new azure.keyvault.Vault(
        `${name}-vault`,
        keyVaultArgs({
            resourceGroup: rg,
            location: a.cloud.region,
            vaultName: vaultNameOf(a.secrets.keyVaultUrl),
            tenantId: client.tenantId,
            stack: a.stack,
        }),
        { ...opts, protect: true },
    );
    const secretNames = CREDENTIALS.map((credential) => secretName(a.secrets.backend, a.stack, credential));
    const secrets = CREDENTIALS.map((credential, i) => {
        const payload = secretPayload(initialPassword(`${name}-${credential}-initial`, parent).result);
        return new azure.keyvault.Secret(`${name}-${credential}`, azureSecretArgs(a, vault.name, secretNames[i], payload), {
            parent,
            // A rotation writes the next value and expiry; Pulumi sets only the first.
            ignoreChanges: ["properties.value", "properties.attributes.notBefore", "properties.attributes.expires"],
        });
    });
    const { renewer } = azureRotationFunction(
        name,
        a,
        { vault, secrets, secretNames, renewedSecretNames: a.renewed, subscriptionId: client.subscriptionId },
        parent,
    );
    if (a.reader) {
        roleAssignment(
            `${name}-reader`,
            { subscriptionId: client.subscriptionId, role: "keyVaultSecretsUser", principalId: a.reader.principal, scope: vault.id },
            opts,
        );
    }
    return renewer;
}
