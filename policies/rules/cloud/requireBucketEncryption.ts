import { companions } from "../../lib/buckets";
import { at, label, list, ofType, str, T } from "../../lib/cloud";
import { text } from "../../lib/k8s";
import { defineRule, type CloudFinding } from "../../lib/rule";

/** Checklist 4.2.2: backups are encrypted at rest with the storage's own customer-managed key. */
export const requireBucketEncryption = defineRule({
    scope: "cloud",
    name: "require-bucket-encryption",
    description:
        "An S3 bucket, GCS bucket or Azure storage account encrypts its objects by default with a customer-managed key (KMS, Cloud KMS, Key Vault).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "S3: a BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms and kmsMasterKeyId; GCS: encryption.defaultKmsKeyName; Azure: encryption.keySource Microsoft.Keyvault with keyVaultProperties.",
    checklist: ["4.2.2"],
    check: (resources) => {
        const out: CloudFinding[] = [];
        for (const b of ofType(resources, T.s3Bucket)) {
            const rules = companions(resources, T.s3Encryption, b).flatMap((c) => list(at(c, "rules")) as Record<string, unknown>[]);
            const kms = rules.some(
                (r) =>
                    text(at(r, "applyServerSideEncryptionByDefault", "sseAlgorithm")).startsWith("aws:kms") &&
                    !!str(at(r, "applyServerSideEncryptionByDefault", "kmsMasterKeyId")),
            );
            if (!kms)
                out.push({
                    resource: b,
                    message: `${label(b)} is not encrypted by default with a KMS key; add a server-side encryption configuration with aws:kms and kmsMasterKeyId`,
                });
        }
        for (const b of ofType(resources, T.gcsBucket)) {
            if (!str(at(b, "encryption", "defaultKmsKeyName")))
                out.push({
                    resource: b,
                    message: `${label(b)} is encrypted only with Google's keys; set encryption.defaultKmsKeyName to a Cloud KMS key`,
                });
        }
        for (const a of ofType(resources, T.storageAccount)) {
            if (
                text(at(a, "encryption", "keySource")).toLowerCase() !== "microsoft.keyvault" ||
                !str(at(a, "encryption", "keyVaultProperties", "keyName"))
            )
                out.push({
                    resource: a,
                    message: `${label(a)} is encrypted only with Microsoft's keys; set encryption.keySource Microsoft.Keyvault with keyVaultProperties`,
                });
        }
        return out;
    },
});
