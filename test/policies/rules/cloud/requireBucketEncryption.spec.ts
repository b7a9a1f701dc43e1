import * as assert from "assert";
import { requireBucketEncryption } from "../../../../policies/rules/cloud/requireBucketEncryption";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources, without } from "./fixtures";

describe("require-bucket-encryption", () => {
    it("passes storage encrypted with its own customer-managed key on each cloud", () => {
        assert.deepStrictEqual(cloudViolations(requireBucketEncryption, allClouds()), []);
    });
    it("refuses an S3 bucket with only AES256, a GCS bucket with Google's keys, an Azure account with Microsoft's keys", () => {
        const s3 = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketEncryption,
                changed(
                    awsResources(),
                    s3,
                    "voting-backups-encryption",
                    (p) => (p.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]),
                ),
            ),
            [
                "Bucket voting-backups is not encrypted by default with a KMS key; add a server-side encryption configuration with aws:kms and kmsMasterKeyId",
            ],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketEncryption,
                changed(gcpResources(), "gcp:storage/bucket:Bucket", "voting-backups", (p) => delete p.encryption),
            ),
            ["Bucket voting-backups is encrypted only with Google's keys; set encryption.defaultKmsKeyName to a Cloud KMS key"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketEncryption,
                changed(
                    azureResources(),
                    "azure-native:storage:StorageAccount",
                    "voting-backups",
                    (p) => (p.encryption = { keySource: "Microsoft.Storage" }),
                ),
            ),
            [
                "StorageAccount voting-backups is encrypted only with Microsoft's keys; set encryption.keySource Microsoft.Keyvault with keyVaultProperties",
            ],
        );
    });
    it("passes S3 dual-layer KMS encryption (aws:kms:dsse) and refuses aws:kms without a key, AES256 that names a key, or no configuration", () => {
        const s3 = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
        const byDefault = (applyServerSideEncryptionByDefault: unknown) =>
            changed(awsResources(), s3, "voting-backups-encryption", (p) => (p.rules = [{ applyServerSideEncryptionByDefault }]));
        const message =
            "Bucket voting-backups is not encrypted by default with a KMS key; add a server-side encryption configuration with aws:kms and kmsMasterKeyId";
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketEncryption,
                byDefault({ sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/backups" }),
            ),
            [],
        );
        assert.deepStrictEqual(cloudViolations(requireBucketEncryption, byDefault({ sseAlgorithm: "aws:kms" })), [message]);
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketEncryption,
                byDefault({ sseAlgorithm: "AES256", kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/backups" }),
            ),
            [message],
        );
        assert.deepStrictEqual(cloudViolations(requireBucketEncryption, without(awsResources(), s3, "voting-backups-encryption")), [message]);
    });
    it("accepts an Azure key source spelt Microsoft.KeyVault, and refuses Key Vault encryption that names no key or Microsoft.Storage beside a leftover Key Vault key", () => {
        const account = (change: (p: any) => void) => changed(azureResources(), "azure-native:storage:StorageAccount", "voting-backups", change);
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketEncryption,
                account((p) => (p.encryption.keySource = "Microsoft.KeyVault")),
            ),
            [],
        );
        const message =
            "StorageAccount voting-backups is encrypted only with Microsoft's keys; set encryption.keySource Microsoft.Keyvault with keyVaultProperties";
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketEncryption,
                account((p) => delete p.encryption.keyVaultProperties.keyName),
            ),
            [message],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketEncryption,
                account((p) => (p.encryption.keySource = "Microsoft.Storage")),
            ),
            [message],
        );
    });
});
