import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { BackupStorageArgs } from "./backupStorage";
import { gcpKey } from "./gcp/keys";
import { cloudTags } from "./standards";

/** A GCS dual-region needs both regions on one continent; its location is that continent. */
export function dualRegionLocation(region: string, replica: string): string {
    const continent = (r: string) => (r.startsWith("europe-") ? "EU" : r.startsWith("us-") ? "US" : r.startsWith("asia-") ? "ASIA" : undefined);
    const a = continent(region);
    if (!a || a !== continent(replica)) throw new Error(`GCS dual-region needs two regions of one continent: ${region} and ${replica}`);
    return a;
}

/** Cloud KMS location of a bucket's key: the bucket's region, or the multi-region holding its dual-region. */
export function kmsLocationFor(bucketLocation: string): string {
    return ({ EU: "europe", US: "us", ASIA: "asia" } as Record<string, string>)[bucketLocation] ?? bucketLocation.toLowerCase();
}

/**
 * What every bucket of the platform has (policies/rules/cloud): dual-region where a replica region is
 * set, uniform access, public access prevented, versioned, encrypted by `keyName` when given, labelled;
 * non-current versions deleted a day after they stop being current.
 */
export function hardenedBucketArgs(
    a: { readonly cloud: { readonly project: string; readonly region: string; readonly backupReplicaRegion?: string }; readonly stack: string },
    keyName?: pulumi.Input<string>,
) {
    const replica = a.cloud.backupReplicaRegion;
    return {
        project: a.cloud.project,
        location: replica ? dualRegionLocation(a.cloud.region, replica) : a.cloud.region.toUpperCase(),
        ...(replica ? { customPlacementConfig: { dataLocations: [a.cloud.region.toUpperCase(), replica.toUpperCase()] } } : {}),
        storageClass: "STANDARD",
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        versioning: { enabled: true },
        ...(keyName ? { encryption: { defaultKmsKeyName: keyName } } : {}),
        labels: cloudTags(a.stack),
        noncurrentRule: { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 1, withState: "ARCHIVED" } },
    } as const;
}

export function gcsBucketArgs(a: BackupStorageArgs & { cloud: { provider: "gcp" } }, keyName?: pulumi.Input<string>): gcp.storage.BucketArgs {
    const { noncurrentRule, ...bucket } = hardenedBucketArgs(a, keyName);
    return {
        ...bucket,
        forceDestroy: false,
        lifecycleRules: [{ action: { type: "Delete" }, condition: { age: a.retentionDays, matchesPrefixes: ["postgres/"] } }, noncurrentRule],
    };
}

/** Checklist 4.2.2 on GCP: the bucket's own Cloud KMS key, dual-region when a replica region is set. */
export function gcpBackupStorage(
    name: string,
    a: BackupStorageArgs & { cloud: { provider: "gcp" } },
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const location = gcsBucketArgs(a).location as string;
    const agent = gcp.storage.getProjectServiceAccountOutput({ project: a.cloud.project }, { parent });
    const { key, grants } = gcpKey(
        `${name}-key`,
        {
            project: a.cloud.project,
            location: kmsLocationFor(location),
            stack: a.stack,
            users: [pulumi.interpolate`serviceAccount:${agent.emailAddress}`],
        },
        parent,
    );
    const bucket = new gcp.storage.Bucket(name, gcsBucketArgs(a, key.id), { parent, protect: true, retainOnDelete: true, dependsOn: grants });
    if (a.writer) {
        for (const role of ["roles/storage.objectCreator", "roles/storage.objectViewer"]) {
            new gcp.storage.BucketIAMMember(`${name}-${role.split(".")[1]}`, { bucket: bucket.name, role, member: a.writer.principal }, { parent });
        }
    }
    return bucket.name;
}
