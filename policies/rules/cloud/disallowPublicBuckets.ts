import { accountParts, companions } from "../../lib/buckets";
import { at, label, ofType, T } from "../../lib/cloud";
import { text } from "../../lib/k8s";
import { defineRule, type CloudFinding } from "../../lib/rule";

const BLOCKS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** Checklist 4.2.2: backups hold the whole database; nothing about their storage may be public. */
export const disallowPublicBuckets = defineRule({
    scope: "cloud",
    name: "disallow-public-buckets",
    description:
        "An S3 bucket blocks every kind of public access, a GCS bucket enforces public access prevention with uniform access, an Azure storage account allows no public blobs.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "S3: a BucketPublicAccessBlock with all four settings true; GCS: publicAccessPrevention enforced and uniformBucketLevelAccess; Azure: allowBlobPublicAccess false and containers with publicAccess None.",
    checklist: ["4.2.2"],
    check: (resources) => {
        const out: CloudFinding[] = [];
        for (const b of ofType(resources, T.s3Bucket)) {
            const blocks = companions(resources, T.s3PublicAccessBlock, b);
            const missing = BLOCKS.filter((k) => !blocks.some((p) => at(p, k) === true));
            if (missing.length > 0) out.push({ resource: b, message: `${label(b)} does not block public access (${missing.join(", ")} not true)` });
        }
        for (const b of ofType(resources, T.gcsBucket)) {
            if (at(b, "publicAccessPrevention") !== "enforced" || at(b, "uniformBucketLevelAccess") !== true)
                out.push({
                    resource: b,
                    message: `${label(b)} can be made public; set publicAccessPrevention "enforced" and uniformBucketLevelAccess`,
                });
        }
        for (const a of ofType(resources, T.storageAccount)) {
            if (at(a, "allowBlobPublicAccess") !== false)
                out.push({ resource: a, message: `${label(a)} allows public blobs; set allowBlobPublicAccess: false` });
            for (const c of accountParts(resources, T.blobContainer, a)) {
                const access = at(c, "publicAccess");
                if (access !== undefined && access !== "None")
                    out.push({ resource: c, message: `${label(c)} is public (publicAccess ${text(access)}); set it to None` });
            }
        }
        return out;
    },
});
