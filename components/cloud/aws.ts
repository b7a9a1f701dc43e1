import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsKmsKeyArgs } from "./aws/keys";
import type { BackupStorageArgs } from "./backupStorage";
import { cloudTags } from "./standards";

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

/** Default encryption with the bucket's own KMS key; the bucket key keeps KMS requests (and cost) down. */
export function s3Encryption(keyArn: pulumi.Input<string>) {
    return [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, bucketKeyEnabled: true }];
}

/** Refuses every request that is not over TLS. */
export function tlsOnlyBucketPolicy(bucketArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    });
}

/**
 * Checklist 4.2.2: the replication rule copies KMS-encrypted objects (S3 skips them unless the rule
 * selects them) and re-encrypts them with the replica region's key.
 */
export function replicationRules(replicaBucketArn: pulumi.Input<string>, replicaKeyArn: pulumi.Input<string>) {
    return [
        {
            id: "cross-region",
            status: "Enabled",
            filter: {},
            deleteMarkerReplication: { status: "Enabled" },
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: { bucket: replicaBucketArn, storageClass: "STANDARD_IA", encryptionConfiguration: { replicaKmsKeyId: replicaKeyArn } },
        },
    ];
}

/** What S3 replication needs: read the source versions, decrypt them with the source key, write and encrypt in the replica. */
export function replicationRolePolicy(p: {
    source: string;
    replica: string;
    sourceKey: string;
    replicaKey: string;
    region: string;
    replicaRegion: string;
}) {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: [p.source] },
            {
                Effect: "Allow",
                Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
                Resource: [`${p.source}/*`],
            },
            { Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: [`${p.replica}/*`] },
            {
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: [p.sourceKey],
                Condition: {
                    StringLike: { "kms:ViaService": `s3.${p.region}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": [`${p.source}/*`] },
                },
            },
            {
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:GenerateDataKey"],
                Resource: [p.replicaKey],
                Condition: {
                    StringLike: { "kms:ViaService": `s3.${p.replicaRegion}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": [`${p.replica}/*`] },
                },
            },
        ],
    });
}

/** The backup Jobs' rights: list, read and write the backups, with the key that encrypts them. */
export function backupWriterPolicy(bucketArn: string, keyArn: string) {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["s3:ListBucket"], Resource: [bucketArn] },
            { Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: [`${bucketArn}/postgres/*`] },
            { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [keyArn] },
        ],
    });
}

/** A private, versioned bucket encrypted with its own rotating KMS key, TLS only, expiring backups. */
function hardenedBucket(name: string, region: string, a: BackupStorageArgs, opts: { parent: pulumi.Resource }) {
    const key = new aws.kms.Key(`${name}-key`, awsKmsKeyArgs(`Backups of voting-${a.stack} in ${region}`, region, a.stack), {
        ...opts,
        protect: true,
    });
    const bucket = new aws.s3.Bucket(
        name,
        { bucketPrefix: "voting-backups-", forceDestroy: false, region, tags: cloudTags(a.stack) },
        { ...opts, protect: true, retainOnDelete: true },
    );
    new aws.s3.BucketPublicAccessBlock(
        `${name}-public-access`,
        { bucket: bucket.id, region, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        opts,
    );
    new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, region, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
    new aws.s3.BucketPolicy(`${name}-tls-only`, { bucket: bucket.id, region, policy: bucket.arn.apply(tlsOnlyBucketPolicy) }, opts);
    const versioning = new aws.s3.BucketVersioning(
        `${name}-versioning`,
        { bucket: bucket.id, region, versioningConfiguration: { status: "Enabled" } },
        opts,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, { bucket: bucket.id, region, rules: s3Encryption(key.arn) }, opts);
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, region, rules: s3Lifecycle(a.retentionDays) }, opts);
    return { bucket, versioning, key };
}

/** Checklist 4.2.2 on AWS: the backup bucket, and a replica in a second region when one is configured. */
export function awsBackupStorage(
    name: string,
    a: BackupStorageArgs & { cloud: { provider: "aws" } },
    parent: pulumi.Resource,
): pulumi.Output<string> {
    const opts = { parent };
    const primary = hardenedBucket(name, a.cloud.region, a, opts);
    if (a.writer) {
        new aws.iam.RolePolicy(
            `${name}-writer`,
            {
                role: a.writer.principal,
                policy: pulumi.all([primary.bucket.arn, primary.key.arn]).apply(([bucket, key]) => backupWriterPolicy(bucket, key)),
            },
            opts,
        );
    }
    const replicaRegion = a.cloud.backupReplicaRegion;
    if (replicaRegion) {
        const replica = hardenedBucket(`${name}-replica`, replicaRegion, a, opts);
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
        const policy = new aws.iam.RolePolicy(
            `${name}-replication`,
            {
                role: role.id,
                policy: pulumi
                    .all([primary.bucket.arn, replica.bucket.arn, primary.key.arn, replica.key.arn])
                    .apply(([source, replicaArn, sourceKey, replicaKey]) =>
                        replicationRolePolicy({ source, replica: replicaArn, sourceKey, replicaKey, region: a.cloud.region, replicaRegion }),
                    ),
            },
            opts,
        );
        new aws.s3.BucketReplicationConfig(
            `${name}-replication`,
            { bucket: primary.bucket.id, region: a.cloud.region, role: role.arn, rules: replicationRules(replica.bucket.arn, replica.key.arn) },
            { parent, dependsOn: [primary.versioning, replica.versioning, policy] },
        );
    }
    return primary.bucket.bucket;
}
