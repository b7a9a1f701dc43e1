import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BackupStorageArgs } from "./backupStorage";

/** S3 lifecycle: backups expire after the retention, old versions a day later (checklist 4.2.1). */
export function s3Lifecycle(retentionDays: number) {
    return [
        {
            id: "expire-backups",
            status: "Enabled",
            filter: { prefix: "postgres/" },
            expiration: { days: retentionDays },
            noncurrentVersionExpiration: { noncurrentDays: 1 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
        },
    ];
}

/** A private, versioned, encrypted bucket (KMS when a key is given), with its public access blocked. */
function hardenedBucket(name: string, region: string, kmsKeyArn: string | undefined, retentionDays: number, opts: pulumi.CustomResourceOptions) {
    const bucket = new aws.s3.Bucket(
        name,
        { bucketPrefix: "voting-backups-", forceDestroy: false, region },
        { ...opts, protect: true, retainOnDelete: true },
    );
    const child = { ...opts, parent: opts.parent };
    new aws.s3.BucketPublicAccessBlock(
        `${name}-public-access`,
        { bucket: bucket.id, region, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        child,
    );
    const versioning = new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { bucket: bucket.id, region, versioningConfiguration: { status: "Enabled" } },
        child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
        `${name}-encryption`,
        {
            bucket: bucket.id,
            region,
            rules: [
                {
                    applyServerSideEncryptionByDefault: kmsKeyArn
                        ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn }
                        : { sseAlgorithm: "AES256" },
                    bucketKeyEnabled: !!kmsKeyArn,
                },
            ],
        },
        child,
    );
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, region, rules: s3Lifecycle(retentionDays) }, child);
    return { bucket, versioning };
}

/** Checklist 4.2.2 on AWS: the backup bucket, and a replica in a second region when one is configured. */
export function awsBackupStorage(
    name: string,
    a: BackupStorageArgs & { cloud: { provider: "aws" } },
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const opts = { parent };
    const primary = hardenedBucket(name, a.cloud.region, a.cloud.kmsKeyArn, a.retentionDays, opts);
    if (a.cloud.backupReplicaRegion) {
        const replica = hardenedBucket(`${name}-replica`, a.cloud.backupReplicaRegion, undefined, a.retentionDays, opts);
        const role = new aws.iam.Role(
            `${name}-replication`,
            {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
            },
            opts,
        );
        new aws.iam.RolePolicy(
            `${name}-replication`,
            {
                role: role.id,
                policy: pulumi.all([primary.bucket.arn, replica.bucket.arn]).apply(([src, dst]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: [src] },
                            {
                                Effect: "Allow",
                                Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                                Resource: [`${src}/*`],
                            },
                            { Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: [`${dst}/*`] },
                        ],
                    }),
                ),
            },
            opts,
        );
        new aws.s3.BucketReplicationConfig(
            `${name}-replication`,
            {
                bucket: primary.bucket.id,
                region: a.cloud.region,
                role: role.arn,
                rules: [
                    {
                        id: "cross-region",
                        status: "Enabled",
                        filter: {},
                        deleteMarkerReplication: { status: "Enabled" },
                        destination: { bucket: replica.bucket.arn, storageClass: "STANDARD_IA" },
                    },
                ],
            },
            { parent, dependsOn: [primary.versioning, replica.versioning] },
        );
    }
    return primary.bucket.bucket;
}
