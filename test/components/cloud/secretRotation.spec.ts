import * as assert from "assert";
import { AZURE_ROTATION_HANDLER_SOURCE } from "../../../components/cloud/azure/rotationHandler";
import { rotationPackage } from "../../../components/cloud/azure/rotation";
import { GCP_ROTATION_HANDLER_SOURCE, GCP_ROTATION_PACKAGE_JSON } from "../../../components/cloud/gcp/rotationHandler";
import { rotationAccountId, rotationSourceArchive } from "../../../components/cloud/gcp/rotation";
import type { RenderedResource } from "../../../tools/lib/render";
import { renderedOn } from "../../helpers/clouds";

const all = (resources: readonly RenderedResource[], type: string) => resources.filter((r) => r.type === type);
const one = (resources: readonly RenderedResource[], type: string) => {
    const found = all(resources, type);
    assert.strictEqual(found.length, 1, `one ${type}, found ${found.length}`);
    return found[0];
};

describe("the rotation function on GCP prod (6.1.3)", () => {
    const ACCOUNT = "rotate-prod-gcp-created@voting-prod-1234.iam.gserviceaccount.com";

    it("is a Cloud Function (2nd gen) on the rotation topic, retried on failure, one instance at a time, reachable only from inside", async () => {
        const { resources } = await renderedOn("gcp", "created");
        const fn = one(resources, "gcp:cloudfunctionsv2/function:Function").inputs as any;
        const topic = one(resources, "gcp:pubsub/topic:Topic");
        assert.strictEqual(topic.inputs.name, "voting-prod-gcp-created-secret-rotation");
        assert.deepStrictEqual(
            [fn.name, fn.location, fn.buildConfig.runtime, fn.buildConfig.entryPoint, fn.eventTrigger],
            [
                "voting-prod-gcp-created-rotate-credentials",
                "europe-west1",
                "nodejs20",
                "rotate",
                {
                    triggerRegion: "europe-west1",
                    eventType: "google.cloud.pubsub.topic.v1.messagePublished",
                    pubsubTopic: "voting-cloud-secrets-rotation-id",
                    retryPolicy: "RETRY_POLICY_RETRY",
                    serviceAccountEmail: ACCOUNT,
                },
            ],
        );
        assert.deepStrictEqual(fn.serviceConfig, {
            serviceAccountEmail: ACCOUNT,
            availableMemory: "256M",
            timeoutSeconds: 60,
            minInstanceCount: 0,
            maxInstanceCount: 1,
            maxInstanceRequestConcurrency: 1,
            ingressSettings: "ALLOW_INTERNAL_ONLY",
            allTrafficOnLatestRevision: true,
            environmentVariables: { ROTATED_SECRETS: "voting-prod-gcp-created-postgres,voting-prod-gcp-created-redis" },
        });
        // The secrets named in ROTATED_SECRETS are the ones that announce on this topic.
        assert.deepStrictEqual(
            all(resources, "gcp:secretmanager/secret:Secret").map((s) => [s.inputs.secretId, s.inputs.topics]),
            ["postgres", "redis"].map((c) => [`voting-prod-gcp-created-${c}`, [{ name: "voting-cloud-secrets-rotation-id" }]]),
        );
    });

    it("runs as its own service account, which may add versions to and read metadata of the two secrets, and invoke the function, nothing else", async () => {
        const { resources } = await renderedOn("gcp", "created");
        assert.strictEqual(rotationAccountId("prod-gcp-created"), "rotate-prod-gcp-created");
        const account = all(resources, "gcp:serviceaccount/account:Account").filter((a) => a.inputs.accountId === "rotate-prod-gcp-created");
        assert.strictEqual(account.length, 1);
        const grants = resources.filter((r) => JSON.stringify(r.inputs).includes(`serviceAccount:${ACCOUNT}`));
        assert.deepStrictEqual(
            grants.map((g) => [g.type, g.inputs.secretId ?? g.inputs.name, g.inputs.role]),
            [
                ["gcp:secretmanager/secretIamMember:SecretIamMember", "voting-prod-gcp-created-postgres", "roles/secretmanager.secretVersionAdder"],
                ["gcp:secretmanager/secretIamMember:SecretIamMember", "voting-prod-gcp-created-postgres", "roles/secretmanager.viewer"],
                ["gcp:secretmanager/secretIamMember:SecretIamMember", "voting-prod-gcp-created-redis", "roles/secretmanager.secretVersionAdder"],
                ["gcp:secretmanager/secretIamMember:SecretIamMember", "voting-prod-gcp-created-redis", "roles/secretmanager.viewer"],
                ["gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "voting-prod-gcp-created-rotate-credentials", "roles/run.invoker"],
            ],
        );
        assert.ok(!resources.some((r) => r.type.startsWith("gcp:projects/iAM") && JSON.stringify(r.inputs).includes(ACCOUNT)));
    });

    it("builds from the program's archive (the handler and its package.json) in a private, key-encrypted, dual-region, versioned bucket", async () => {
        const { resources } = await renderedOn("gcp", "created");
        const { object, archive } = rotationSourceArchive();
        const assets = (await (archive.assets as any)) as Record<string, { text: Promise<string> }>;
        assert.deepStrictEqual(Object.keys(assets).sort(), ["index.js", "package.json"]);
        assert.strictEqual(await assets["index.js"].text, GCP_ROTATION_HANDLER_SOURCE);
        assert.deepStrictEqual(JSON.parse(await assets["package.json"].text).dependencies, { "@google-cloud/functions-framework": "5.0.5" });
        assert.strictEqual(JSON.parse(GCP_ROTATION_PACKAGE_JSON).main, "index.js");
        assert.match(object, /^rotate-credentials\/[0-9a-f]{16}\.zip$/);

        const source = one(resources, "gcp:storage/bucketObject:BucketObject").inputs;
        const fn = one(resources, "gcp:cloudfunctionsv2/function:Function").inputs as any;
        assert.deepStrictEqual([fn.buildConfig.source.storageSource.bucket, fn.buildConfig.source.storageSource.object], [source.bucket, object]);
        const bucket = all(resources, "gcp:storage/bucket:Bucket").find((b) => b.name === "voting-cloud-secrets-rotation-source")!.inputs as any;
        assert.deepStrictEqual(
            [
                bucket.location,
                bucket.customPlacementConfig,
                bucket.encryption,
                bucket.publicAccessPrevention,
                bucket.versioning,
                bucket.lifecycleRules,
            ],
            [
                "EU",
                { dataLocations: ["EUROPE-WEST1", "EUROPE-WEST4"] },
                { defaultKmsKeyName: "voting-cloud-secrets-rotation-source-key-id" },
                "enforced",
                { enabled: true },
                [
                    { action: { type: "Delete" }, condition: { age: 365 } },
                    { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 1, withState: "ARCHIVED" } },
                ],
            ],
        );
        assert.strictEqual(
            all(resources, "gcp:kms/keyRing:KeyRing").find((k) => k.name === "voting-cloud-secrets-rotation-source-key")!.inputs.location,
            "europe",
        );
    });
});

describe("the rotation function on Azure prod (6.1.3)", () => {
    const IDENTITY = "voting-cloud-secrets-rotation-principal-id";
    const VAULT_ID = "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/voting-prod/providers/Microsoft.KeyVault/vaults/voting-prod";

    it("subscribes to the vault's SecretNearExpiry for the two secrets and the renewed log entry only, delivered one at a time to the function, retried for a day", async () => {
        const { resources } = await renderedOn("azure", "created");
        const topic = one(resources, "azure-native:eventgrid:SystemTopic").inputs;
        assert.deepStrictEqual([topic.source, topic.topicType], [VAULT_ID, "Microsoft.KeyVault.vaults"]);
        const sub = one(resources, "azure-native:eventgrid:SystemTopicEventSubscription");
        assert.deepStrictEqual(
            [sub.inputs.destination, sub.inputs.filter, sub.inputs.retryPolicy, sub.inputs.systemTopicName],
            [
                { endpointType: "AzureFunction", resourceId: "voting-cloud-secrets-rotation-id/functions/rotate", maxEventsPerBatch: 1 },
                {
                    includedEventTypes: ["Microsoft.KeyVault.SecretNearExpiry"],
                    advancedFilters: [
                        {
                            operatorType: "StringIn",
                            key: "subject",
                            values: ["voting-prod-azure-created-postgres", "voting-prod-azure-created-redis", "voting-prod-azure-created-logs"],
                        },
                    ],
                    isSubjectCaseSensitive: false,
                },
                { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 },
                "voting-cloud-secrets-vault-events",
            ],
        );
        // Event Grid checks that the function exists when the subscription is created: the app and its package come first.
        assert.deepStrictEqual(sub.options.dependsOn, [
            "azure-native:web:WebApp::voting-cloud-secrets-rotation",
            "azure-native:storage:Blob::voting-cloud-secrets-rotation-package",
        ]);
    });

    it("runs the program's package on Node 20, with the settings the handler reads: the vault, the two secrets, the renewed log entry, 90 days", async () => {
        const { resources } = await renderedOn("azure", "created");
        const app = one(resources, "azure-native:web:WebApp").inputs as any;
        assert.deepStrictEqual(
            [app.kind, app.httpsOnly, app.siteConfig.linuxFxVersion, app.siteConfig.minTlsVersion, app.siteConfig.ftpsState],
            ["functionapp,linux", true, "Node|20", "1.2", "Disabled"],
        );
        const { blob, archive } = rotationPackage();
        const settings = Object.fromEntries(app.siteConfig.appSettings.map((s: { name: string; value: string }) => [s.name, s.value]));
        assert.deepStrictEqual(settings, {
            FUNCTIONS_EXTENSION_VERSION: "~4",
            FUNCTIONS_WORKER_RUNTIME: "node",
            WEBSITE_RUN_FROM_PACKAGE: `https://voting-cloud-secrets-rotation.blob.core.windows.net/releases/${blob}`,
            WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID:
                "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/voting-prod/providers/Microsoft.ManagedIdentity/userAssignedIdentities/voting-cloud-secrets-rotation",
            AzureWebJobsStorage__accountName: "voting-cloud-secrets-rotation",
            AzureWebJobsStorage__credential: "managedidentity",
            AzureWebJobsStorage__clientId: "voting-cloud-secrets-rotation-client-id",
            AZURE_CLIENT_ID: "voting-cloud-secrets-rotation-client-id",
            VAULT_NAME: "voting-prod",
            ROTATED_SECRETS: "voting-prod-azure-created-postgres,voting-prod-azure-created-redis",
            RENEWED_SECRETS: "voting-prod-azure-created-logs",
            ROTATION_DAYS: "90",
        });
        const pkg = one(resources, "azure-native:storage:Blob").inputs;
        assert.deepStrictEqual([pkg.blobName, pkg.containerName], [blob, "releases"]);
        const assets = (await (archive.assets as any)) as Record<string, { text: Promise<string> }>;
        assert.deepStrictEqual(Object.keys(assets).sort(), ["host.json", "rotate/function.json", "rotate/index.js"]);
        assert.strictEqual(await assets["rotate/index.js"].text, AZURE_ROTATION_HANDLER_SOURCE);
        assert.deepStrictEqual(JSON.parse(await assets["rotate/function.json"].text), {
            bindings: [{ type: "eventGridTrigger", name: "event", direction: "in" }],
        });
    });

    it("acts as one identity whose role on each secret is to set it and read its versions' metadata, reads only the renewed entry's value, and owns only its own storage", async () => {
        const { resources } = await renderedOn("azure", "created");
        const roles = all(resources, "azure-native:authorization:RoleDefinition");
        assert.deepStrictEqual(
            roles.map((r) => [r.name, r.inputs.scope, r.inputs.assignableScopes, r.inputs.permissions]),
            [
                [
                    "voting-cloud-secrets-rotation",
                    VAULT_ID,
                    [VAULT_ID],
                    [
                        {
                            dataActions: [
                                "Microsoft.KeyVault/vaults/secrets/setSecret/action",
                                "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
                            ],
                        },
                    ],
                ],
                [
                    "voting-cloud-secrets-renewal",
                    VAULT_ID,
                    [VAULT_ID],
                    [
                        {
                            dataActions: [
                                "Microsoft.KeyVault/vaults/secrets/setSecret/action",
                                "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
                                "Microsoft.KeyVault/vaults/secrets/getSecret/action",
                            ],
                        },
                    ],
                ],
            ],
        );
        const roleDefinitionIds: Record<string, string> = {
            "voting-cloud-secrets-rotation-id": "rotation (custom)",
            "voting-cloud-secrets-renewal-id": "renewal (custom)",
            "/subscriptions/00000000-0000-0000-0000-000000000002/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6":
                "Key Vault Crypto Service Encryption User",
            "/subscriptions/00000000-0000-0000-0000-000000000002/providers/Microsoft.Authorization/roleDefinitions/b7e6dc6d-f1e8-4753-8033-0f276bb0955b":
                "Storage Blob Data Owner",
        };
        assert.deepStrictEqual(
            all(resources, "azure-native:authorization:RoleAssignment")
                .filter((r) => r.inputs.principalId === IDENTITY)
                .map((r) => [roleDefinitionIds[String(r.inputs.roleDefinitionId)] ?? r.inputs.roleDefinitionId, r.inputs.scope]),
            [
                ["rotation (custom)", "voting-cloud-secrets-postgres-id"],
                ["rotation (custom)", "voting-cloud-secrets-redis-id"],
                ["Key Vault Crypto Service Encryption User", "voting-cloud-secrets-rotation-storage-id"],
                [
                    "Storage Blob Data Owner",
                    "/subscriptions/00000000-0000-0000-0000-000000000002/resourceGroups/voting-prod/providers/Microsoft.Storage/storageAccounts/voting-cloud-secrets-rotation",
                ],
                // Granted by the log storage, which owns the entry, once it exists.
                ["renewal (custom)", "voting-logs-connections-id"],
            ],
        );
    });
});
