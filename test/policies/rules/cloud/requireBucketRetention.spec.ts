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
    it("judges the shortest enabled expiry, and ignores disabled rules and rules that delete nothing by age", () => {
        const lifecycle = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
        const s3Rules = (rules: unknown[]) =>
            cloudViolations(
                requireBucketRetention,
                changed(awsResources(), lifecycle, "voting-backups-lifecycle", (p) => p.rules.push(...rules)),
            );
        assert.deepStrictEqual(
            s3Rules([
                { id: "logs", status: "Enabled", expiration: { days: 30 } },
                { id: "tmp", status: "Enabled", expiration: { days: 3 } },
            ]),
            ["Bucket voting-backups deletes backups after 3 days; keep them at least 7"],
        );
        assert.deepStrictEqual(s3Rules([{ id: "old", status: "Disabled", expiration: { days: 1 } }]), []);
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketRetention,
                changed(awsResources(), lifecycle, "voting-backups-lifecycle", (p) => delete p.rules[0].expiration),
            ),
            ["Bucket voting-backups never deletes backups; add a lifecycle rule with expiration.days"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketRetention,
                changed(awsResources(), lifecycle, "voting-backups-lifecycle", (p) => (p.rules[0].expiration = { days: "3" })),
            ),
            ["Bucket voting-backups never deletes backups; add a lifecycle rule with expiration.days"],
        );
    });
    it("reads GCS Delete rules only, and a bucket whose Delete rules have no age never deletes backups", () => {
        const bucket = (change: (p: any) => void) =>
            cloudViolations(requireBucketRetention, changed(gcpResources(), "gcp:storage/bucket:Bucket", "voting-backups", change));
        assert.deepStrictEqual(
            bucket((p) => p.lifecycleRules.push({ action: { type: "SetStorageClass", storageClass: "NEARLINE" }, condition: { age: 1 } })),
            [],
        );
        assert.deepStrictEqual(
            bucket((p) => p.lifecycleRules.shift()),
            ["Bucket voting-backups never deletes backups; add a Delete lifecycle rule with condition.age"],
        );
    });
    it("reads Azure management rules unless disabled, and an account without a base-blob delete never deletes backups", () => {
        const policy = (change: (p: any) => void) =>
            cloudViolations(
                requireBucketRetention,
                changed(azureResources(), "azure-native:storage:ManagementPolicy", "voting-backups-retention", change),
            );
        const oneDay = (enabled?: boolean) => ({
            name: "scratch",
            ...(enabled === undefined ? {} : { enabled }),
            type: "Lifecycle",
            definition: { actions: { baseBlob: { delete: { daysAfterModificationGreaterThan: 1 } } } },
        });
        assert.deepStrictEqual(
            policy((p) => p.policy.rules.push(oneDay(false))),
            [],
        );
        assert.deepStrictEqual(
            policy((p) => p.policy.rules.push(oneDay())),
            ["StorageAccount voting-backups deletes backups after 1 days; keep them at least 7"],
        );
        assert.deepStrictEqual(
            policy((p) => delete p.policy.rules[0].definition.actions.baseBlob),
            [
                "StorageAccount voting-backups never deletes backups; add a management policy deleting base blobs after daysAfterModificationGreaterThan",
            ],
        );
    });
});
