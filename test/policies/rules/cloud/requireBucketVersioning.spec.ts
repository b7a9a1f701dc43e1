import * as assert from "assert";
import { requireBucketVersioning } from "../../../../policies/rules/cloud/requireBucketVersioning";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources, without } from "./fixtures";

describe("require-bucket-versioning", () => {
    it("passes versioned storage on each cloud", () => {
        assert.deepStrictEqual(cloudViolations(requireBucketVersioning, allClouds()), []);
    });
    it("refuses suspended S3 versioning, an unversioned GCS bucket, and an Azure account without blob versioning", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketVersioning,
                changed(
                    awsResources(),
                    "aws:s3/bucketVersioning:BucketVersioning",
                    "voting-backups-versioning",
                    (p) => (p.versioningConfiguration.status = "Suspended"),
                ),
            ),
            ["Bucket voting-backups is not versioned; add a BucketVersioning with status Enabled"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketVersioning,
                changed(gcpResources(), "gcp:storage/bucket:Bucket", "voting-backups", (p) => (p.versioning.enabled = false)),
            ),
            ["Bucket voting-backups is not versioned; set versioning.enabled"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketVersioning,
                without(azureResources(), "azure-native:storage:BlobServiceProperties", "voting-backups-blob-service"),
            ),
            ["StorageAccount voting-backups does not version its blobs; add BlobServiceProperties with isVersioningEnabled"],
        );
    });
    it("refuses an S3 bucket with no BucketVersioning, a GCS bucket with no versioning block, and disabled Azure blob versioning", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketVersioning,
                without(awsResources(), "aws:s3/bucketVersioning:BucketVersioning", "voting-backups-versioning"),
            ),
            ["Bucket voting-backups is not versioned; add a BucketVersioning with status Enabled"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketVersioning,
                changed(gcpResources(), "gcp:storage/bucket:Bucket", "voting-backups", (p) => delete p.versioning),
            ),
            ["Bucket voting-backups is not versioned; set versioning.enabled"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketVersioning,
                changed(
                    azureResources(),
                    "azure-native:storage:BlobServiceProperties",
                    "voting-backups-blob-service",
                    (p) => (p.isVersioningEnabled = false),
                ),
            ),
            ["StorageAccount voting-backups does not version its blobs; add BlobServiceProperties with isVersioningEnabled"],
        );
    });
});
