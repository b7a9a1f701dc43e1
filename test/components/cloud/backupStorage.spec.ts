import * as assert from "assert";
import { backupWriterPolicy, replicationRolePolicy } from "../../../components/cloud/aws";
import { dualRegionLocation, kmsLocationFor } from "../../../components/cloud/gcp";
import type { RenderedResource } from "../../../tools/lib/render";
import { renderedOn } from "../../helpers/clouds";
import { rendered } from "../../helpers/render";

const byType = (resources: readonly RenderedResource[], type: string) => resources.filter((r) => r.type === type);
const one = (resources: readonly RenderedResource[], type: string, name: string) => {
    const found = resources.find((r) => r.type === type && r.name === name);
    assert.ok(found, `${type} ${name} is rendered`);
    return found;
};

describe("off-cluster backup storage (4.2.2)", () => {
    it("on AWS: two private, versioned buckets, each encrypted by default with its own rotating KMS key in its region", async () => {
        const { resources, outputs } = await rendered("prod");
        assert.deepStrictEqual(
            byType(resources, "aws:s3/bucket:Bucket").map((b) => [b.name, b.inputs.region, b.options.protect, b.options.retainOnDelete]),
            [
                ["voting-backups", "eu-west-1", true, true],
                ["voting-backups-replica", "eu-central-1", true, true],
            ],
        );
        for (const [bucket, region] of [
            ["voting-backups", "eu-west-1"],
            ["voting-backups-replica", "eu-central-1"],
        ]) {
            const key = one(resources, "aws:kms/key:Key", `${bucket}-key`);
            assert.deepStrictEqual(
                [key.inputs.region, key.inputs.enableKeyRotation, key.inputs.rotationPeriodInDays, key.options.protect],
                [region, true, 90, true],
            );
            assert.deepStrictEqual(
                one(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `${bucket}-encryption`)
                    .inputs.rules,
                [
                    {
                        applyServerSideEncryptionByDefault: {
                            sseAlgorithm: "aws:kms",
                            kmsMasterKeyId: `arn:aws:kms:${region}:123456789012:key/${bucket}-key`,
                        },
                        bucketKeyEnabled: true,
                    },
                ],
            );
            const block = one(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${bucket}-public-access`).inputs;
            assert.deepStrictEqual(
                [block.blockPublicAcls, block.blockPublicPolicy, block.ignorePublicAcls, block.restrictPublicBuckets],
                [true, true, true, true],
            );
            assert.deepStrictEqual(
                one(resources, "aws:s3/bucketVersioning:BucketVersioning", `${bucket}-versioning`).inputs.versioningConfiguration,
                { status: "Enabled" },
            );
            assert.deepStrictEqual(
                (one(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `${bucket}-lifecycle`).inputs.rules as any[])[0]
                    .expiration,
                { days: 7 },
            );
            assert.match(
                String(one(resources, "aws:s3/bucketPolicy:BucketPolicy", `${bucket}-tls-only`).inputs.policy),
                /"aws:SecureTransport":"false"/,
            );
        }
        assert.strictEqual(outputs.backupBucket, "voting-backups-voting-backups");
    });

    it("on AWS: replicates the KMS-encrypted dumps, re-encrypted with the replica region's key, by a role that may use both keys", async () => {
        const { resources } = await rendered("prod");
        const replication = one(resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig", "voting-backups-replication");
        assert.deepStrictEqual(replication.inputs.rules, [
            {
                id: "cross-region",
                status: "Enabled",
                filter: {},
                deleteMarkerReplication: { status: "Enabled" },
                sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                destination: {
                    bucket: "arn:aws:s3:::voting-backups-replica",
                    storageClass: "STANDARD_IA",
                    encryptionConfiguration: { replicaKmsKeyId: "arn:aws:kms:eu-central-1:123456789012:key/voting-backups-replica-key" },
                },
            },
        ]);
        assert.deepStrictEqual(replication.options.dependsOn, [
            "aws:s3/bucketVersioning:BucketVersioning::voting-backups-versioning",
            "aws:s3/bucketVersioning:BucketVersioning::voting-backups-replica-versioning",
            "aws:iam/rolePolicy:RolePolicy::voting-backups-replication",
        ]);
        const policy = JSON.parse(String(one(resources, "aws:iam/rolePolicy:RolePolicy", "voting-backups-replication").inputs.policy));
        assert.deepStrictEqual(
            policy,
            JSON.parse(
                replicationRolePolicy({
                    source: "arn:aws:s3:::voting-backups",
                    replica: "arn:aws:s3:::voting-backups-replica",
                    sourceKey: "arn:aws:kms:eu-west-1:123456789012:key/voting-backups-key",
                    replicaKey: "arn:aws:kms:eu-central-1:123456789012:key/voting-backups-replica-key",
                    region: "eu-west-1",
                    replicaRegion: "eu-central-1",
                }),
            ),
        );
        const kms = policy.Statement.filter((s: any) => String(s.Action).includes("kms"));
        assert.deepStrictEqual(
            kms.map((s: any) => [s.Action, s.Resource, s.Condition.StringLike["kms:ViaService"]]),
            [
                [["kms:Decrypt"], ["arn:aws:kms:eu-west-1:123456789012:key/voting-backups-key"], "s3.eu-west-1.amazonaws.com"],
                [
                    ["kms:Encrypt", "kms:GenerateDataKey"],
                    ["arn:aws:kms:eu-central-1:123456789012:key/voting-backups-replica-key"],
                    "s3.eu-central-1.amazonaws.com",
                ],
            ],
        );
    });

    it("on AWS: grants the backup Jobs' role the bucket and its key, and nothing else", async () => {
        const { resources } = await rendered("prod");
        const grant = one(resources, "aws:iam/rolePolicy:RolePolicy", "voting-backups-writer");
        assert.strictEqual(grant.inputs.role, "voting-cluster-backup");
        assert.deepStrictEqual(
            JSON.parse(String(grant.inputs.policy)),
            JSON.parse(backupWriterPolicy("arn:aws:s3:::voting-backups", "arn:aws:kms:eu-west-1:123456789012:key/voting-backups-key")),
        );
    });

    it("on AWS: versioning Enabled, KMS encryption with a bucket key, and an Enabled 7-day expiry on each bucket, by value", async () => {
        const { resources } = await rendered("prod");
        const per = (type: string) => byType(resources, type).map((r) => [r.name, r.inputs] as const);
        assert.deepStrictEqual(
            per("aws:s3/bucketVersioning:BucketVersioning").map(([n, i]) => [n, (i.versioningConfiguration as any).status]),
            [
                ["voting-backups-versioning", "Enabled"],
                ["voting-backups-replica-versioning", "Enabled"],
            ],
        );
        assert.deepStrictEqual(
            per("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").map(([n, i]) => [
                n,
                (i.rules as any[]).map((r) => [r.applyServerSideEncryptionByDefault.sseAlgorithm, r.bucketKeyEnabled]),
            ]),
            [
                ["voting-backups-encryption", [["aws:kms", true]]],
                ["voting-backups-replica-encryption", [["aws:kms", true]]],
            ],
        );
        assert.deepStrictEqual(
            per("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").map(([n, i]) => [
                n,
                (i.rules as any[]).map((r) => [r.status, r.filter.prefix, r.expiration.days, r.noncurrentVersionExpiration.noncurrentDays]),
            ]),
            [
                ["voting-backups-lifecycle", [["Enabled", "postgres/", 7, 1]]],
                ["voting-backups-replica-lifecycle", [["Enabled", "postgres/", 7, 1]]],
            ],
        );
    });

    it("on AWS without a replica region: one bucket, no replication", async () => {
        const { resources } = await rendered("staging");
        assert.strictEqual(byType(resources, "aws:s3/bucket:Bucket").length, 1);
        assert.strictEqual(byType(resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").length, 0);
    });

    it("on GCP: a dual-region bucket with uniform access, public access prevented, a 7-day lifecycle and its own Cloud KMS key", async () => {
        const { resources } = await renderedOn("gcp", "created");
        const bucket = one(resources, "gcp:storage/bucket:Bucket", "voting-backups");
        assert.deepStrictEqual(
            [
                bucket.inputs.location,
                bucket.inputs.customPlacementConfig,
                bucket.inputs.publicAccessPrevention,
                bucket.inputs.uniformBucketLevelAccess,
                bucket.inputs.versioning,
            ],
            ["EU", { dataLocations: ["EUROPE-WEST1", "EUROPE-WEST4"] }, "enforced", true, { enabled: true }],
        );
        assert.deepStrictEqual((bucket.inputs.lifecycleRules as any[])[0].condition, { age: 7, matchesPrefixes: ["postgres/"] });
        assert.deepStrictEqual(bucket.inputs.encryption, { defaultKmsKeyName: "voting-backups-key-id" });
        assert.deepStrictEqual(bucket.options.dependsOn, ["gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember::voting-backups-key-user-0"]);
        assert.strictEqual(bucket.options.protect, true);
        assert.strictEqual(one(resources, "gcp:kms/keyRing:KeyRing", "voting-backups-key").inputs.location, "europe");
        assert.strictEqual(one(resources, "gcp:kms/cryptoKey:CryptoKey", "voting-backups-key").inputs.rotationPeriod, "7776000s");
        assert.strictEqual(
            one(resources, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "voting-backups-key-user-0").inputs.member,
            "serviceAccount:service-123456789012@gs-project-accounts.iam.gserviceaccount.com",
        );
        assert.deepStrictEqual(
            byType(resources, "gcp:storage/bucketIAMMember:BucketIAMMember").map((m) => [m.inputs.role, m.inputs.member]),
            [
                ["roles/storage.objectCreator", "serviceAccount:voting-prod-backup@voting-prod-1234.iam.gserviceaccount.com"],
                ["roles/storage.objectViewer", "serviceAccount:voting-prod-backup@voting-prod-1234.iam.gserviceaccount.com"],
            ],
        );
        assert.throws(() => dualRegionLocation("europe-west1", "us-east1"), /two regions of one continent/);
        assert.deepStrictEqual(["EU", "US", "EUROPE-WEST1"].map(kmsLocationFor), ["europe", "us", "europe-west1"]);
    });

    it("on Azure: a geo-redundant, versioned StorageV2 account encrypted with its own Key Vault key, Entra ID only, no public blobs", async () => {
        const { resources } = await renderedOn("azure", "created");
        const account = one(resources, "azure-native:storage:StorageAccount", "voting-backups");
        assert.deepStrictEqual(
            [
                account.inputs.sku,
                account.inputs.minimumTlsVersion,
                account.inputs.allowBlobPublicAccess,
                account.inputs.allowSharedKeyAccess,
                account.inputs.enableHttpsTrafficOnly,
            ],
            [{ name: "Standard_GRS" }, "TLS1_2", false, false, true],
        );
        const encryption = account.inputs.encryption as any;
        assert.deepStrictEqual(
            [encryption.keySource, encryption.keyVaultProperties, encryption.requireInfrastructureEncryption],
            [
                "Microsoft.Keyvault",
                {
                    keyName: "backups",
                    keyVaultUri: `https://${(one(resources, "azure-native:keyvault:Vault", "voting-backups-vault").inputs as any).vaultName}.vault.azure.net/`,
                },
                true,
            ],
        );
        const vault = one(resources, "azure-native:keyvault:Vault", "voting-backups-vault").inputs.properties as any;
        assert.deepStrictEqual([vault.enableRbacAuthorization, vault.enablePurgeProtection, vault.softDeleteRetentionInDays], [true, true, 90]);
        assert.deepStrictEqual((one(resources, "azure-native:keyvault:Key", "voting-backups-key").inputs.properties as any).rotationPolicy, {
            lifetimeActions: [{ action: { type: "rotate" }, trigger: { timeAfterCreate: "P90D" } }],
        });
        const service = one(resources, "azure-native:storage:BlobServiceProperties", "voting-backups-blob-service").inputs;
        assert.deepStrictEqual([service.isVersioningEnabled, service.deleteRetentionPolicy], [true, { enabled: true, days: 7 }]);
        assert.strictEqual(one(resources, "azure-native:storage:BlobContainer", "voting-backups-postgres").inputs.publicAccess, "None");
        const actions = (one(resources, "azure-native:storage:ManagementPolicy", "voting-backups-retention").inputs.policy as any).rules[0].definition
            .actions;
        assert.deepStrictEqual(actions, {
            baseBlob: { delete: { daysAfterModificationGreaterThan: 7 } },
            version: { delete: { daysAfterCreationGreaterThan: 1 } },
        });
        assert.strictEqual(
            one(resources, "azure-native:authorization:RoleAssignment", "voting-backups-writer").inputs.roleDefinitionId,
            "/subscriptions/00000000-0000-0000-0000-000000000002/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        );
    });
});
