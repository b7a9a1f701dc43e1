import type { CloudResource } from "./rule";

/** Pulumi type tokens of the cloud resources the pack's cloud rules judge. */
export const T = {
    eksCluster: "aws:eks/cluster:Cluster",
    eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
    eksAddon: "aws:eks/addon:Addon",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    s3Bucket: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
    s3Versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    s3Encryption: [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    ],
    s3PublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    s3Lifecycle: [
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    ],
    s3Replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    kmsKey: "aws:kms/key:Key",
    awsSecret: "aws:secretsmanager/secret:Secret",
    awsSecretRotation: "aws:secretsmanager/secretRotation:SecretRotation",
    lambdaFunction: "aws:lambda/function:Function",
    lambdaPermission: "aws:lambda/permission:Permission",
    gkeCluster: "gcp:container/cluster:Cluster",
    gkeNodePool: "gcp:container/nodePool:NodePool",
    logSink: "gcp:logging/projectSink:ProjectSink",
    logBucket: "gcp:logging/projectBucketConfig:ProjectBucketConfig",
    gcsBucket: "gcp:storage/bucket:Bucket",
    cryptoKey: "gcp:kms/cryptoKey:CryptoKey",
    gcpSecret: "gcp:secretmanager/secret:Secret",
    cloudFunction2: "gcp:cloudfunctionsv2/function:Function",
    cloudFunction1: "gcp:cloudfunctions/function:Function",
    aksCluster: "azure-native:containerservice:ManagedCluster",
    diagnosticSetting: "azure-native:monitor:DiagnosticSetting",
    workspace: "azure-native:operationalinsights:Workspace",
    storageAccount: "azure-native:storage:StorageAccount",
    blobService: "azure-native:storage:BlobServiceProperties",
    blobContainer: "azure-native:storage:BlobContainer",
    managementPolicy: "azure-native:storage:ManagementPolicy",
    keyVaultKey: "azure-native:keyvault:Key",
    keyVaultSecret: "azure-native:keyvault:Secret",
    eventGridSystemTopic: "azure-native:eventgrid:SystemTopic",
    eventGridSubscription: "azure-native:eventgrid:SystemTopicEventSubscription",
} as const;

export const ofType = (resources: readonly CloudResource[], type: string | readonly string[]) =>
    resources.filter((r) => (typeof type === "string" ? r.type === type : type.includes(r.type)));

/** A property path of a resource, or undefined where any step is missing. */
export function at(r: CloudResource | Record<string, unknown> | undefined, ...path: (string | number)[]): unknown {
    let v: unknown = r && typeof r === "object" && "props" in r && "type" in r ? (r as CloudResource).props : r;
    for (const p of path) {
        if (v === null || typeof v !== "object") return undefined;
        v = (v as Record<string | number, unknown>)[p];
    }
    return v;
}

export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** How a message names a resource: `aws:s3/bucket:Bucket voting-backups`, shortened to its kind. */
export function label(r: CloudResource): string {
    const kind = r.type.split(":").pop()!;
    return `${kind} ${r.name}`;
}

/** Days in a GCP duration (`7776000s`), or undefined. */
export function secondsToDays(v: unknown): number | undefined {
    const m = typeof v === "string" ? /^(\d+(?:\.\d+)?)s$/.exec(v) : null;
    return m ? Number(m[1]) / 86400 : undefined;
}

/** Days in an ISO 8601 duration of days, weeks, months or years (`P90D`, `P3M`, `P1Y`), months as 30 days; else undefined. */
export function isoDays(v: unknown): number | undefined {
    const m = typeof v === "string" ? /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(v) : null;
    if (!m || v === "P") return undefined;
    const [y, mo, w, d] = m.slice(1).map((x) => Number(x ?? 0));
    return y * 365 + mo * 30 + w * 7 + d;
}

/** A CIDR that opens an endpoint to the whole internet. */
export const isWorldCidr = (c: unknown) => c === "0.0.0.0/0" || c === "::/0";

/** `1.30` → 30; undefined for anything that is not a 1.x minor (or patch) version. */
export function minorOf(version: unknown): number | undefined {
    const m = typeof version === "string" ? /^v?1\.(\d+)(?:\.\d+)?(?:[-.].*)?$/.exec(version) : null;
    return m ? Number(m[1]) : undefined;
}

/** The S3 bucket a companion resource (versioning, encryption, …) configures, by bucket name. */
export const bucketName = (bucket: CloudResource): string | undefined => str(at(bucket, "bucket")) ?? str(at(bucket, "id"));
