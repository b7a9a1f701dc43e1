import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { BackupStorageArgs } from "./backupStorage";

/** A GCS dual-region needs both regions on one continent; its location is that continent. */
export function dualRegionLocation(region: string, replica: string): string {
    const continent = (r: string) => (r.startsWith("europe-") ? "EU" : r.startsWith("us-") ? "US" : r.startsWith("asia-") ? "ASIA" : undefined);
    const a = continent(region);
    if (!a || a !== continent(replica)) throw new Error(`GCS dual-region needs two regions of one continent: ${region} and ${replica}`);
    return a;
}

export function gcsBucketArgs(a: BackupStorageArgs & { cloud: { provider: "gcp" } }): gcp.storage.BucketArgs {
    const replica = a.cloud.backupReplicaRegion;
    return {
        project: a.cloud.project,
        location: replica ? dualRegionLocation(a.cloud.region, replica) : a.cloud.region.toUpperCase(),
        ...(replica ? { customPlacementConfig: { dataLocations: [a.cloud.region.toUpperCase(), replica.toUpperCase()] } } : {}),
        storageClass: "STANDARD",
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        versioning: { enabled: true },
        forceDestroy: false,
        lifecycleRules: [
            { action: { type: "Delete" }, condition: { age: a.retentionDays, matchesPrefixes: ["postgres/"] } },
            { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 1, withState: "ARCHIVED" } },
        ],
        labels: { "part-of": "voting-app", stack: a.stack },
    };
}

/** Checklist 4.2.2 on GCP: Google-managed encryption at rest, dual-region when a replica region is set. */
export function gcpBackupStorage(
    name: string,
    a: BackupStorageArgs & { cloud: { provider: "gcp" } },
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const bucket = new gcp.storage.Bucket(name, gcsBucketArgs(a), { parent, protect: true, retainOnDelete: true });
    return bucket.name;
}
