import * as azure from "@pulumi/azure-native";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { blobServiceArgs, storageAccountArgs } from "../azure";
import type { CloudSecretsArgs } from "../credentials";
import { cloudTags } from "../standards";
import { roleAssignment, rotatingKeyArgs } from "./keyVault";
import { AZURE_ROTATION_FUNCTION, AZURE_ROTATION_FUNCTION_JSON, AZURE_ROTATION_HANDLER_SOURCE, AZURE_ROTATION_HOST_JSON } from "./rotationHandler";

type AzureRotationArgs = CloudSecretsArgs & { cloud: { provider: "azure" } };

/** The only data actions the rotation identity holds on each secret: write a version, read versions' metadata. */
export const AZURE_ROTATION_DATA_ACTIONS = [
    "Microsoft.KeyVault/vaults/secrets/setSecret/action",
    "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
] as const;

/** On each renewed secret the identity also reads the value it writes again, and nothing more. */
export const AZURE_RENEWAL_DATA_ACTIONS = [...AZURE_ROTATION_DATA_ACTIONS, "Microsoft.KeyVault/vaults/secrets/getSecret/action"] as const;

/** What a renewed secret's owner grants the rotation identity on that secret: the renewal role. */
export interface SecretRenewer {
    readonly principalId: pulumi.Output<string>;
    readonly roleDefinitionId: pulumi.Output<string>;
}

/** The private container the package is uploaded to. */
export const PACKAGE_CONTAINER = "releases";

/** Days the Functions host's own blobs (locks, logs) are kept in its storage account; the package is never deleted. */
export const HOST_BLOB_DAYS = 30;

/** The package the Functions host runs from: host.json and the function's folder. Its name changes with its content. */
export function rotationPackage(): { blob: string; archive: pulumi.asset.AssetArchive } {
    const files: Record<string, string> = {
        "host.json": AZURE_ROTATION_HOST_JSON,
        [`${AZURE_ROTATION_FUNCTION}/function.json`]: AZURE_ROTATION_FUNCTION_JSON,
        [`${AZURE_ROTATION_FUNCTION}/index.js`]: AZURE_ROTATION_HANDLER_SOURCE,
    };
    const digest = createHash("sha256").update(JSON.stringify(files)).digest("hex").slice(0, 16);
    return {
        blob: `rotate-credentials-${digest}.zip`,
        archive: new pulumi.asset.AssetArchive(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, new pulumi.asset.StringAsset(v)]))),
    };
}

/**
 * The function app's settings: the Functions runtime, the package and storage reached as the app's
 * identity (no keys), and what the handler reads (vault, secrets, rotation days).
 */
export function rotationAppSettings(a: {
    readonly vault: pulumi.Input<string>;
    readonly secretNames: readonly string[];
    readonly renewedSecretNames?: readonly string[];
    readonly rotationDays: number;
    readonly packageUrl: pulumi.Input<string>;
    readonly storageAccount: pulumi.Input<string>;
    readonly identityId: pulumi.Input<string>;
    readonly clientId: pulumi.Input<string>;
}): azure.types.input.web.NameValuePairArgs[] {
    return [
        { name: "FUNCTIONS_EXTENSION_VERSION", value: "~4" },
        { name: "FUNCTIONS_WORKER_RUNTIME", value: "node" },
        { name: "WEBSITE_RUN_FROM_PACKAGE", value: a.packageUrl },
        { name: "WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID", value: a.identityId },
        { name: "AzureWebJobsStorage__accountName", value: a.storageAccount },
        { name: "AzureWebJobsStorage__credential", value: "managedidentity" },
        { name: "AzureWebJobsStorage__clientId", value: a.clientId },
        { name: "AZURE_CLIENT_ID", value: a.clientId },
        { name: "VAULT_NAME", value: a.vault },
        { name: "ROTATED_SECRETS", value: a.secretNames.join(",") },
        ...((a.renewedSecretNames ?? []).length > 0 ? [{ name: "RENEWED_SECRETS", value: a.renewedSecretNames!.join(",") }] : []),
        { name: "ROTATION_DAYS", value: String(a.rotationDays) },
    ];
}

/**
 * Checklist 6.1.3 on Azure: the vault's SecretNearExpiry events for the platform's two secrets, and for
 * the secrets it renews, delivered by Event Grid to the rotation function, one event per call, retried
 * for a day.
 */
export function nearExpirySubscriptionArgs(
    a: AzureRotationArgs,
    s: {
        readonly topic: pulumi.Input<string>;
        readonly appId: pulumi.Input<string>;
        readonly secretNames: readonly string[];
        readonly renewedSecretNames?: readonly string[];
    },
): azure.eventgrid.SystemTopicEventSubscriptionArgs {
    return {
        resourceGroupName: a.cloud.resourceGroup,
        systemTopicName: s.topic,
        eventSubscriptionName: "rotate-credentials",
        destination: {
            endpointType: "AzureFunction",
            resourceId: pulumi.interpolate`${s.appId}/functions/${AZURE_ROTATION_FUNCTION}`,
            maxEventsPerBatch: 1,
        },
        filter: {
            includedEventTypes: ["Microsoft.KeyVault.SecretNearExpiry"],
            advancedFilters: [{ operatorType: "StringIn", key: "subject", values: [...s.secretNames, ...(s.renewedSecretNames ?? [])] }],
        },
        eventDeliverySchema: "EventGridSchema",
        retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 },
    };
}

/**
 * The rotation function on a Linux Consumption plan, its identity (one user-assigned identity: the
 * package, the host's storage, and the two secrets), the storage it runs from, and the Event Grid system
 * topic of the vault with the subscription that calls it.
 */
export function azureRotationFunction(
    name: string,
    a: AzureRotationArgs,
    s: {
        readonly vault: azure.keyvault.Vault;
        readonly secrets: readonly azure.keyvault.Secret[];
        readonly secretNames: readonly string[];
        /** Secrets of the vault that others create (the log connection strings), renewed rather than rotated. */
        readonly renewedSecretNames?: readonly string[];
        readonly subscriptionId: pulumi.Input<string>;
    },
    parent: pulumi.Resource,
): { app: azure.web.WebApp; renewer?: SecretRenewer } {
    const opts = { parent };
    const rg = a.cloud.resourceGroup;
    const identity = new azure.managedidentity.UserAssignedIdentity(
        `${name}-rotation`,
        { resourceGroupName: rg, location: a.cloud.region, tags: cloudTags(a.stack) },
        opts,
    );

    const role = new azure.authorization.RoleDefinition(
        `${name}-rotation`,
        {
            scope: s.vault.id,
            assignableScopes: [s.vault.id],
            roleName: `voting-${a.stack} secret rotation`,
            description: "Writes the next version of the voting platform's PostgreSQL and Redis passwords and reads their versions' metadata",
            permissions: [{ dataActions: [...AZURE_ROTATION_DATA_ACTIONS] }],
        },
        opts,
    );
    const grants = s.secrets.map(
        (secret, i) =>
            new azure.authorization.RoleAssignment(
                `${name}-rotation-${i}`,
                { principalId: identity.principalId, principalType: "ServicePrincipal", roleDefinitionId: role.id, scope: secret.id },
                opts,
            ),
    );

    // The renewed secrets' owners assign this role on each of them (LogStorage does), once the secret exists.
    const renewal =
        (s.renewedSecretNames ?? []).length > 0
            ? new azure.authorization.RoleDefinition(
                  `${name}-renewal`,
                  {
                      scope: s.vault.id,
                      assignableScopes: [s.vault.id],
                      roleName: `voting-${a.stack} secret renewal`,
                      description: "Writes again the current value of a voting platform secret that cannot be rotated, with the next validity window",
                      permissions: [{ dataActions: [...AZURE_RENEWAL_DATA_ACTIONS] }],
                  },
                  opts,
              )
            : undefined;

    // The host's storage, held to the standard of every storage account of the platform.
    const hostStorage = { cloud: a.cloud, stack: a.stack, retentionDays: HOST_BLOB_DAYS };
    const key = new azure.keyvault.Key(
        `${name}-rotation-storage`,
        rotatingKeyArgs({ resourceGroup: rg, vaultName: s.vault.name, keyName: "rotation-storage", stack: a.stack }),
        { ...opts, protect: true },
    );
    const cmk = roleAssignment(
        `${name}-rotation-cmk`,
        { subscriptionId: s.subscriptionId, role: "keyVaultCryptoServiceEncryptionUser", principalId: identity.principalId, scope: key.id },
        opts,
    );
    const account = new azure.storage.StorageAccount(
        `${name}-rotation`,
        {
            ...storageAccountArgs(hostStorage, {
                keyName: key.name,
                vaultUri: s.vault.properties.apply((p) => p.vaultUri!),
                identityId: identity.id,
            }),
            // Pulumi uploads the package with the account's key (azure-native Blob); the app itself reads as its identity.
            allowSharedKeyAccess: true,
        },
        { parent, dependsOn: [cmk] },
    );
    new azure.storage.BlobServiceProperties(`${name}-rotation-blob-service`, blobServiceArgs(hostStorage, account.name), opts);
    new azure.storage.ManagementPolicy(
        `${name}-rotation-retention`,
        {
            resourceGroupName: rg,
            accountName: account.name,
            managementPolicyName: "default",
            policy: {
                rules: [
                    {
                        name: "expire-host-blobs",
                        enabled: true,
                        type: "Lifecycle",
                        definition: {
                            filters: { blobTypes: ["blockBlob"], prefixMatch: ["azure-webjobs-hosts/"] },
                            actions: {
                                baseBlob: { delete: { daysAfterModificationGreaterThan: HOST_BLOB_DAYS } },
                                version: { delete: { daysAfterCreationGreaterThan: 1 } },
                            },
                        },
                    },
                ],
            },
        },
        opts,
    );
    const container = new azure.storage.BlobContainer(
        `${name}-rotation-releases`,
        { resourceGroupName: rg, accountName: account.name, containerName: PACKAGE_CONTAINER, publicAccess: "None" },
        opts,
    );
    const owner = roleAssignment(
        `${name}-rotation-storage`,
        { subscriptionId: s.subscriptionId, role: "storageBlobDataOwner", principalId: identity.principalId, scope: account.id },
        opts,
    );
    const pkg = rotationPackage();
    const blob = new azure.storage.Blob(
        `${name}-rotation-package`,
        {
            resourceGroupName: rg,
            accountName: account.name,
            containerName: PACKAGE_CONTAINER,
            blobName: pkg.blob,
            type: "Block",
            source: pkg.archive,
        },
        { parent, dependsOn: [container] },
    );

    const plan = new azure.web.AppServicePlan(
        `${name}-rotation`,
        {
            resourceGroupName: rg,
            location: a.cloud.region,
            kind: "functionapp",
            reserved: true,
            sku: { name: "Y1", tier: "Dynamic" },
            tags: cloudTags(a.stack),
        },
        opts,
    );
    const app = new azure.web.WebApp(
        `${name}-rotation`,
        {
            resourceGroupName: rg,
            location: a.cloud.region,
            kind: "functionapp,linux",
            reserved: true,
            serverFarmId: plan.id,
            httpsOnly: true,
            identity: { type: "UserAssigned", userAssignedIdentities: [identity.id] },
            siteConfig: {
                linuxFxVersion: "Node|20",
                minTlsVersion: "1.2",
                ftpsState: "Disabled",
                appSettings: rotationAppSettings({
                    vault: s.vault.name,
                    secretNames: s.secretNames,
                    renewedSecretNames: s.renewedSecretNames,
                    rotationDays: a.secrets.rotationDays,
                    packageUrl: pulumi.interpolate`https://${account.name}.blob.core.windows.net/${PACKAGE_CONTAINER}/${pkg.blob}`,
                    storageAccount: account.name,
                    identityId: identity.id,
                    clientId: identity.clientId,
                }),
            },
            tags: cloudTags(a.stack),
        },
        { parent, dependsOn: [owner, blob, ...grants] },
    );

    const topic = new azure.eventgrid.SystemTopic(
        `${name}-vault-events`,
        { resourceGroupName: rg, location: a.cloud.region, source: s.vault.id, topicType: "Microsoft.KeyVault.vaults", tags: cloudTags(a.stack) },
        opts,
    );
    new azure.eventgrid.SystemTopicEventSubscription(
        `${name}-near-expiry`,
        nearExpirySubscriptionArgs(a, { topic: topic.name, appId: app.id, secretNames: s.secretNames, renewedSecretNames: s.renewedSecretNames }),
        // Event Grid checks that the function exists when the subscription is created.
        { parent, dependsOn: [app, blob] },
    );
    return { app, ...(renewal ? { renewer: { principalId: identity.principalId, roleDefinitionId: renewal.id } } : {}) };
}
