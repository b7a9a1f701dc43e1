import * as assert from "assert";
import { disallowPublicBuckets } from "../../../../policies/rules/cloud/disallowPublicBuckets";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources, without } from "./fixtures";

describe("disallow-public-buckets", () => {
    it("passes storage closed to the public on each cloud", () => {
        assert.deepStrictEqual(cloudViolations(disallowPublicBuckets, allClouds()), []);
    });
    it("refuses an S3 bucket that lets public policies through, a GCS bucket without prevention, a public Azure container", () => {
        assert.deepStrictEqual(
            cloudViolations(
                disallowPublicBuckets,
                changed(
                    awsResources(),
                    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                    "voting-backups-public-access",
                    (p) => ((p.blockPublicPolicy = false), (p.restrictPublicBuckets = false)),
                ),
            ),
            ["Bucket voting-backups does not block public access (blockPublicPolicy, restrictPublicBuckets not true)"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                disallowPublicBuckets,
                changed(gcpResources(), "gcp:storage/bucket:Bucket", "voting-backups", (p) => (p.publicAccessPrevention = "inherited")),
            ),
            ['Bucket voting-backups can be made public; set publicAccessPrevention "enforced" and uniformBucketLevelAccess'],
        );
        assert.deepStrictEqual(
            cloudViolations(
                disallowPublicBuckets,
                changed(azureResources(), "azure-native:storage:BlobContainer", "voting-backups-postgres", (p) => (p.publicAccess = "Blob")),
            ),
            ["BlobContainer voting-backups-postgres is public (publicAccess Blob); set it to None"],
        );
    });
    it("refuses an S3 bucket with no public access block, naming all four settings", () => {
        assert.deepStrictEqual(
            cloudViolations(
                disallowPublicBuckets,
                without(awsResources(), "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "voting-backups-public-access"),
            ),
            [
                "Bucket voting-backups does not block public access (blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets not true)",
            ],
        );
    });
    it("refuses a GCS bucket with fine-grained ACLs even when public access prevention is enforced", () => {
        assert.deepStrictEqual(
            cloudViolations(
                disallowPublicBuckets,
                changed(gcpResources(), "gcp:storage/bucket:Bucket", "voting-backups", (p) => (p.uniformBucketLevelAccess = false)),
            ),
            ['Bucket voting-backups can be made public; set publicAccessPrevention "enforced" and uniformBucketLevelAccess'],
        );
    });
    it("refuses an Azure account that allows or leaves unset public blob access, and passes a container that leaves publicAccess unset", () => {
        const account = (change: (p: any) => void) => changed(azureResources(), "azure-native:storage:StorageAccount", "voting-backups", change);
        const message = "StorageAccount voting-backups allows public blobs; set allowBlobPublicAccess: false";
        assert.deepStrictEqual(
            cloudViolations(
                disallowPublicBuckets,
                account((p) => (p.allowBlobPublicAccess = true)),
            ),
            [message],
        );
        assert.deepStrictEqual(
            cloudViolations(
                disallowPublicBuckets,
                account((p) => delete p.allowBlobPublicAccess),
            ),
            [message],
        );
        assert.deepStrictEqual(
            cloudViolations(
                disallowPublicBuckets,
                changed(azureResources(), "azure-native:storage:BlobContainer", "voting-backups-postgres", (p) => delete p.publicAccess),
            ),
            [],
        );
    });
});
