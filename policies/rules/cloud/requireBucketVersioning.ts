import { accountParts, companions } from "../../lib/buckets";
import { at, label, ofType, T } from "../../lib/cloud";
import { defineRule, type CloudFinding } from "../../lib/rule";

/** Checklist 4.2.2: an overwritten or deleted backup can be recovered from an earlier version. */
export const requireBucketVersioning = defineRule({
    scope: "cloud",
    name: "require-bucket-versioning",
    description: "An S3 bucket, GCS bucket or Azure storage account keeps object versions, so an overwrite or delete can be undone.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "S3: a BucketVersioning with status Enabled; GCS: versioning.enabled; Azure: BlobServiceProperties isVersioningEnabled.",
    checklist: ["4.2.2"],
    check: (resources) => {
        const out: CloudFinding[] = [];
        for (const b of ofType(resources, T.s3Bucket)) {
            if (!companions(resources, T.s3Versioning, b).some((v) => at(v, "versioningConfiguration", "status") === "Enabled"))
                out.push({ resource: b, message: `${label(b)} is not versioned; add a BucketVersioning with status Enabled` });
        }
        for (const b of ofType(resources, T.gcsBucket)) {
            if (at(b, "versioning", "enabled") !== true) out.push({ resource: b, message: `${label(b)} is not versioned; set versioning.enabled` });
        }
        for (const a of ofType(resources, T.storageAccount)) {
            if (!accountParts(resources, T.blobService, a).some((s) => at(s, "isVersioningEnabled") === true))
                out.push({ resource: a, message: `${label(a)} does not version its blobs; add BlobServiceProperties with isVersioningEnabled` });
        }
        return out;
    },
});
