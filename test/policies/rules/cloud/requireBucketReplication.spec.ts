import * as assert from "assert";
import { requireBucketReplication } from "../../../../policies/rules/cloud/requireBucketReplication";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources, without } from "./fixtures";

describe("require-bucket-replication", () => {
    const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
    it("passes S3 replication that copies KMS-encrypted objects with a replica key, a dual-region GCS bucket, GRS on Azure", () => {
        assert.deepStrictEqual(cloudViolations(requireBucketReplication, allClouds()), []);
    });
    it("refuses replication that selects no KMS-encrypted object and names no replica key: the replica would stay empty", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketReplication,
                changed(
                    awsResources(),
                    REPLICATION,
                    "voting-backups-replication",
                    (p) => (delete p.rules[0].sourceSelectionCriteria, delete p.rules[0].destination.encryptionConfiguration),
                ),
            ),
            [
                "BucketReplicationConfig voting-backups-replication rule cross-region copies no KMS-encrypted object; set sourceSelectionCriteria.sseKmsEncryptedObjects.status Enabled",
                "BucketReplicationConfig voting-backups-replication rule cross-region names no replica KMS key; set destination.encryptionConfiguration.replicaKmsKeyId to a key in the replica region",
            ],
        );
    });
    it("refuses a bucket with no replication when it is required, and judges only configured replication when it is not", () => {
        const single = without(without(awsResources(), REPLICATION, "voting-backups-replication"), "aws:s3/bucket:Bucket", "voting-backups-replica");
        assert.deepStrictEqual(cloudViolations(requireBucketReplication, single), [
            "Bucket voting-backups is not replicated to another region; set cloud.backupReplicaRegion",
        ]);
        assert.deepStrictEqual(cloudViolations(requireBucketReplication, single, { required: false }), []);
    });
    it("refuses a single-region GCS bucket and a locally redundant Azure account", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketReplication,
                changed(
                    gcpResources(),
                    "gcp:storage/bucket:Bucket",
                    "voting-backups",
                    (p) => ((p.location = "EUROPE-WEST1"), delete p.customPlacementConfig),
                ),
            ),
            ["Bucket voting-backups lives in the single region EUROPE-WEST1; make it dual-region (customPlacementConfig) or multi-region"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketReplication,
                changed(azureResources(), "azure-native:storage:StorageAccount", "voting-backups", (p) => (p.sku.name = "Standard_LRS")),
            ),
            ["StorageAccount voting-backups is Standard_LRS, kept in one region; use Standard_GRS or Standard_GZRS"],
        );
    });
    it("refuses an S3 bucket whose only replication rule is disabled, and skips disabled rules of a working configuration", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketReplication,
                changed(awsResources(), REPLICATION, "voting-backups-replication", (p) => (p.rules[0].status = "Disabled")),
            ),
            ["Bucket voting-backups is not replicated to another region; set cloud.backupReplicaRegion"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketReplication,
                changed(awsResources(), REPLICATION, "voting-backups-replication", (p) =>
                    p.rules.push({ id: "old", status: "Disabled", destination: { bucket: "arn:aws:s3:::voting-backups-replica-0123abcd" } }),
                ),
            ),
            [],
        );
    });
    it("names a rule without an id as unnamed, and judges configured replication when it is not required", () => {
        const unnamed = changed(
            awsResources(),
            REPLICATION,
            "voting-backups-replication",
            (p) => (delete p.rules[0].id, delete p.rules[0].sourceSelectionCriteria),
        );
        const message =
            "BucketReplicationConfig voting-backups-replication rule (unnamed) copies no KMS-encrypted object; set sourceSelectionCriteria.sseKmsEncryptedObjects.status Enabled";
        assert.deepStrictEqual(cloudViolations(requireBucketReplication, unnamed), [message]);
        assert.deepStrictEqual(cloudViolations(requireBucketReplication, unnamed, { required: false }), [message]);
    });
    it("passes GCS multi-regions and predefined dual-regions in any case", () => {
        for (const location of ["eu", "US", "asia", "EUR4", "nam4", "ASIA1"])
            assert.deepStrictEqual(
                cloudViolations(
                    requireBucketReplication,
                    changed(
                        gcpResources(),
                        "gcp:storage/bucket:Bucket",
                        "voting-backups",
                        (p) => ((p.location = location), delete p.customPlacementConfig),
                    ),
                ),
                [],
                location,
            );
    });
    it("does not ask a GCS bucket or an Azure account to replicate when replication is not required", () => {
        const single = changed(
            gcpResources(),
            "gcp:storage/bucket:Bucket",
            "voting-backups",
            (p) => ((p.location = "EUROPE-WEST1"), delete p.customPlacementConfig),
        );
        const lrs = changed(azureResources(), "azure-native:storage:StorageAccount", "voting-backups", (p) => (p.sku.name = "Standard_LRS"));
        assert.deepStrictEqual(cloudViolations(requireBucketReplication, [...single, ...lrs], { required: false }), []);
    });
});
