import { companions, replicaBuckets } from "../../lib/buckets";
import { at, label, list, ofType, str, T } from "../../lib/cloud";
import { text } from "../../lib/k8s";
import { defineRule, type CloudFinding } from "../../lib/rule";

const GEO_REDUNDANT = ["Standard_GRS", "Standard_RAGRS", "Standard_GZRS", "Standard_RAGZRS"];
/** Locations that keep a GCS bucket in two or more regions: the multi-regions and the predefined dual-regions. */
const GCS_MULTI_REGIONS = ["EU", "US", "ASIA", "ASIA1", "EUR4", "EUR5", "EUR7", "EUR8", "NAM4"];

/**
 * Checklist 4.2.2: backups survive the loss of a region. An S3 replication rule that copies KMS-encrypted
 * backups must select them (sseKmsEncryptedObjects) and name the replica region's key, or S3 skips every
 * encrypted object and the replica stays empty; that is judged wherever replication is configured.
 */
export const requireBucketReplication = defineRule<{ required: boolean }>({
    scope: "cloud",
    name: "require-bucket-replication",
    description:
        "Backup storage is copied to a second region: S3 cross-region replication that includes KMS-encrypted objects and re-encrypts them with a replica key, a GCS dual- or multi-region bucket, geo-redundant Azure storage.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set cloud.backupReplicaRegion. S3 replication rules need sourceSelectionCriteria.sseKmsEncryptedObjects Enabled and destination.encryptionConfiguration.replicaKmsKeyId (components/cloud/aws.ts).",
    checklist: ["4.2.2"],
    settings: {
        required: { type: "boolean", description: "Every backup store must replicate (off: only configured replication is judged).", default: true },
    },
    check: (resources, cfg) => {
        const out: CloudFinding[] = [];
        const replicas = replicaBuckets(resources);
        for (const b of ofType(resources, T.s3Bucket)) {
            if (replicas.has(b.name)) continue;
            const configs = companions(resources, T.s3Replication, b);
            const rules = configs.flatMap((c) => list(at(c, "rules")) as Record<string, unknown>[]).filter((r) => at(r, "status") === "Enabled");
            if (rules.length === 0) {
                if (cfg.required)
                    out.push({ resource: b, message: `${label(b)} is not replicated to another region; set cloud.backupReplicaRegion` });
                continue;
            }
            for (const c of configs) {
                for (const r of list(at(c, "rules")) as Record<string, unknown>[]) {
                    if (at(r, "status") !== "Enabled") continue;
                    const id = str(at(r, "id")) ?? "(unnamed)";
                    if (at(r, "sourceSelectionCriteria", "sseKmsEncryptedObjects", "status") !== "Enabled")
                        out.push({
                            resource: c,
                            message: `${label(c)} rule ${id} copies no KMS-encrypted object; set sourceSelectionCriteria.sseKmsEncryptedObjects.status Enabled`,
                        });
                    if (!str(at(r, "destination", "encryptionConfiguration", "replicaKmsKeyId")))
                        out.push({
                            resource: c,
                            message: `${label(c)} rule ${id} names no replica KMS key; set destination.encryptionConfiguration.replicaKmsKeyId to a key in the replica region`,
                        });
                }
            }
        }
        if (!cfg.required) return out;
        for (const b of ofType(resources, T.gcsBucket)) {
            const places = list(at(b, "customPlacementConfig", "dataLocations"));
            if (places.length < 2 && !GCS_MULTI_REGIONS.includes(text(at(b, "location")).toUpperCase()))
                out.push({
                    resource: b,
                    message: `${label(b)} lives in the single region ${text(at(b, "location"))}; make it dual-region (customPlacementConfig) or multi-region`,
                });
        }
        for (const a of ofType(resources, T.storageAccount)) {
            const sku = text(at(a, "sku", "name"));
            if (!GEO_REDUNDANT.includes(sku))
                out.push({ resource: a, message: `${label(a)} is ${sku}, kept in one region; use Standard_GRS or Standard_GZRS` });
        }
        return out;
    },
});
