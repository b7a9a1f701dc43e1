import * as assert from "assert";
import { dualRegionLocation } from "../../../components/cloud/gcp";
import type { RenderedResource } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";
import { renderVariant } from "../../helpers/variant";

const byType = (resources: readonly RenderedResource[], type: string) => resources.filter((r) => r.type === type);

describe("off-cluster backup storage (4.2.2)", () => {
    it("on AWS: a private, versioned, KMS-encrypted bucket expiring backups after 7 days, replicated to the second region", async () => {
        const { resources, outputs } = await rendered("prod");
        const buckets = byType(resources, "aws:s3/bucket:Bucket");
        assert.deepStrictEqual(
            buckets.map((b) => [b.name, b.inputs.region, b.options.protect, b.options.retainOnDelete]),
            [
                ["voting-backups", "eu-west-1", true, true],
                ["voting-backups-replica", "eu-central-1", true, true],
            ],
        );
        const enc = byType(resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")[0];
        assert.deepStrictEqual(enc.inputs.rules, [
            {
                applyServerSideEncryptionByDefault: {
                    sseAlgorithm: "aws:kms",
                    kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/3f1c2a9e-7d4b-4e2a-9c1f-5b8e6d7a0c21",
                },
                bucketKeyEnabled: true,
            },
        ]);
        const block = byType(resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")[0];
        assert.deepStrictEqual(
            [block.inputs.blockPublicAcls, block.inputs.blockPublicPolicy, block.inputs.ignorePublicAcls, block.inputs.restrictPublicBuckets],
            [true, true, true, true],
        );
        const lifecycle = byType(resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")[0];
        assert.deepStrictEqual((lifecycle.inputs.rules as any[])[0].expiration, { days: 7 });
        const replication = byType(resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")[0];
        assert.strictEqual((replication.inputs.rules as any[])[0].destination.bucket, "arn:aws:s3:::voting-backups-replica");
        assert.strictEqual(outputs.backupBucket, "voting-backups-voting-backups");
    });

    it("on AWS without a replica region: one bucket, no replication", async () => {
        const { resources } = await rendered("staging");
        assert.strictEqual(byType(resources, "aws:s3/bucket:Bucket").length, 1);
        assert.strictEqual(byType(resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").length, 0);
    });

    it("on GCP: a dual-region bucket with uniform access, public access prevented and a 7-day lifecycle", async () => {
        const { resources } = await renderVariant(
            "gcp",
            (c) =>
                (c["voting-platform:cloud"] = {
                    provider: "gcp",
                    region: "europe-west1",
                    backupReplicaRegion: "europe-west4",
                    project: "voting-prod-1234",
                }),
        );
        const [bucket] = byType(resources, "gcp:storage/bucket:Bucket");
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
        assert.strictEqual(bucket.options.protect, true);
        assert.throws(() => dualRegionLocation("europe-west1", "us-east1"), /two regions of one continent/);
    });

    it("on Azure: a geo-redundant StorageV2 account (TLS 1.2, no public blobs) with a private container and retention", async () => {
        const { resources } = await renderVariant(
            "azure",
            (c) =>
                (c["voting-platform:cloud"] = {
                    provider: "azure",
                    region: "westeurope",
                    backupReplicaRegion: "northeurope",
                    resourceGroup: "voting-prod",
                    subscriptionId: "0b1f6471-1bf0-4dda-aec3-cb9272f09590",
                }),
        );
        const [account] = byType(resources, "azure-native:storage:StorageAccount");
        assert.deepStrictEqual(
            [account.inputs.sku, account.inputs.minimumTlsVersion, account.inputs.allowBlobPublicAccess, account.inputs.enableHttpsTrafficOnly],
            [{ name: "Standard_GRS" }, "TLS1_2", false, true],
        );
        const [container] = byType(resources, "azure-native:storage:BlobContainer");
        assert.strictEqual(container.inputs.publicAccess, "None");
        const [policy] = byType(resources, "azure-native:storage:ManagementPolicy");
        assert.strictEqual((policy.inputs.policy as any).rules[0].definition.actions.baseBlob.delete.daysAfterModificationGreaterThan, 7);
    });
});
