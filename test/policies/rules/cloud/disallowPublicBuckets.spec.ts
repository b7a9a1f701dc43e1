import * as assert from "assert";
import { disallowPublicBuckets } from "../../../../policies/rules/cloud/disallowPublicBuckets";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources } from "./fixtures";

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
});
