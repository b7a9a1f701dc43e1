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
});
