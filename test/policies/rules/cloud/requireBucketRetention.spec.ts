import * as assert from "assert";
import { requireBucketRetention } from "../../../../policies/rules/cloud/requireBucketRetention";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources } from "./fixtures";

describe("require-bucket-retention", () => {
    it("passes backups deleted after 7 days on each cloud", () => {
        assert.deepStrictEqual(cloudViolations(requireBucketRetention, allClouds()), []);
    });
    it("refuses S3 backups kept 3 days, a GCS bucket that never deletes, an Azure policy deleting after 1 day", () => {
        const lifecycle = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketRetention,
                changed(awsResources(), lifecycle, "voting-backups-lifecycle", (p) => (p.rules[0].expiration.days = 3)),
            ),
            ["Bucket voting-backups deletes backups after 3 days; keep them at least 7"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketRetention,
                changed(gcpResources(), "gcp:storage/bucket:Bucket", "voting-backups", (p) => (p.lifecycleRules = [])),
            ),
            ["Bucket voting-backups never deletes backups; add a Delete lifecycle rule with condition.age"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketRetention,
                changed(
                    azureResources(),
                    "azure-native:storage:ManagementPolicy",
                    "voting-backups-retention",
                    (p) => (p.policy.rules[0].definition.actions.baseBlob.delete.daysAfterModificationGreaterThan = 1),
                ),
            ),
            ["StorageAccount voting-backups deletes backups after 1 days; keep them at least 7"],
        );
    });
    it("keeps backups at least minDays: 7 days pass, 6 days are refused, and the setting moves the line", () => {
        const lifecycle = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
        const six = changed(awsResources(), lifecycle, "voting-backups-lifecycle", (p) => (p.rules[0].expiration.days = 6));
        assert.deepStrictEqual(cloudViolations(requireBucketRetention, six), [
            "Bucket voting-backups deletes backups after 6 days; keep them at least 7",
        ]);
        assert.deepStrictEqual(cloudViolations(requireBucketRetention, six, { minDays: 6 }), []);
        assert.deepStrictEqual(cloudViolations(requireBucketRetention, awsResources(), { minDays: 8 }), [
            "Bucket voting-backups deletes backups after 7 days; keep them at least 8",
            "Bucket voting-backups-replica deletes backups after 7 days; keep them at least 8",
        ]);
    });
});
