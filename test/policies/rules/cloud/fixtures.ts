/**
 * Compliant cloud resources for the cloud rules' tests, built by the same pure builders the components
 * use, with the values a provider would add (bucket names, ARNs, ids) filled in as it would.
 */
import { replicationRules, s3Encryption, s3Lifecycle } from "../../../../components/cloud/aws";
import { blobServiceArgs, retentionPolicy, storageAccountArgs } from "../../../../components/cloud/azure";
import { controlPlaneLogGroupArgs, eksAddons, eksClusterArgs, nodeGroupArgs, type AwsClusterArgs } from "../../../../components/cloud/aws/cluster";
import { awsKmsKeyArgs } from "../../../../components/cloud/aws/keys";
import { awsRotationArgs, awsSecretArgs } from "../../../../components/cloud/aws/secrets";
import { aksClusterArgs, aksDiagnosticArgs, type AzureClusterArgs } from "../../../../components/cloud/azure/cluster";
import { rotatingKeyArgs } from "../../../../components/cloud/azure/keyVault";
import { azureSecretArgs } from "../../../../components/cloud/azure/secrets";
import { gcsBucketArgs } from "../../../../components/cloud/gcp";
import { auditLogFilter, gkeClusterArgs, gkeNodePoolArgs, type GcpClusterArgs } from "../../../../components/cloud/gcp/cluster";
import { gcpCryptoKeyArgs } from "../../../../components/cloud/gcp/keys";
import { gcpSecretArgs } from "../../../../components/cloud/gcp/secrets";
import type { CloudResource } from "../../../../policies/lib/rule";

const sizing = { nodesAtMin: 1, nodesAtMax: 2, minPerZone: 1, maxPerZone: 2, min: 3, max: 6 };
const endpoint = { private: false as const, authorizedCidrs: ["203.0.113.0/24"] };
const cluster = { create: true as const, name: "voting-prod", endpoint, nodeType: "m6i.xlarge" };
const secrets = { backend: "aws-secrets-manager" as const, refreshInterval: "1h", rotationDays: 90 };
const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
const res = (type: string, name: string, props: unknown): CloudResource => ({ type, name, props: plain(props) });

const SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"];
export const awsArgs: AwsClusterArgs = {
    cluster: { ...cluster, network: { provider: "aws", subnetIds: SUBNETS } },
    region: "eu-west-1",
    kubernetesVersion: "1.30",
    cni: "calico",
    stack: "prod",
    sizing,
};
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/backups";
const REPLICA_KEY = "arn:aws:kms:eu-central-1:123456789012:key/backups-replica";

/** An S3 bucket and its companions as the engine reports them (the bucket's name is its id). */
function s3(name: string, region: string, key: string): CloudResource[] {
    const bucket = `${name}-0123abcd`;
    return [
        res("aws:s3/bucket:Bucket", name, { bucket, arn: `arn:aws:s3:::${bucket}`, region }),
        res("aws:s3/bucketVersioning:BucketVersioning", `${name}-versioning`, { bucket, versioningConfiguration: { status: "Enabled" } }),
        res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `${name}-encryption`, {
            bucket,
            rules: s3Encryption(key),
        }),
        res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `${name}-public-access`, {
            bucket,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }),
        res("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `${name}-lifecycle`, { bucket, rules: s3Lifecycle(7) }),
    ];
}

export function awsResources(): CloudResource[] {
    const secretArn = (c: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting/prod/${c}-AbCdEf`;
    const awsSecrets = { cloud: { provider: "aws" as const, region: "eu-west-1" }, secrets, stack: "prod" };
    return [
        res(
            "aws:eks/cluster:Cluster",
            "voting-cluster",
            eksClusterArgs(awsArgs, "arn:aws:iam::123456789012:role/eks", "arn:aws:kms:eu-west-1:123456789012:key/eks"),
        ),
        res("aws:cloudwatch/logGroup:LogGroup", "voting-cluster-control-plane", controlPlaneLogGroupArgs(awsArgs)),
        ...SUBNETS.map((s, i) =>
            res(
                "aws:eks/nodeGroup:NodeGroup",
                `voting-cluster-zone-${i + 1}`,
                nodeGroupArgs(awsArgs, "voting-prod", "arn:aws:iam::123456789012:role/nodes", s),
            ),
        ),
        ...eksAddons(awsArgs, "arn:aws:iam::123456789012:role/ebs").map((a) =>
            res("aws:eks/addon:Addon", `voting-cluster-${a.name}`, { ...a.args, clusterName: "voting-prod" }),
        ),
        res("aws:kms/key:Key", "voting-backups-key", awsKmsKeyArgs("backups", "eu-west-1", "prod")),
        ...s3("voting-backups", "eu-west-1", KEY),
        ...s3("voting-backups-replica", "eu-central-1", REPLICA_KEY),
        res("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "voting-backups-replication", {
            bucket: "voting-backups-0123abcd",
            role: "arn:aws:iam::123456789012:role/replication",
            rules: replicationRules("arn:aws:s3:::voting-backups-replica-0123abcd", REPLICA_KEY),
        }),
        ...["postgres", "redis"].flatMap((c) => [
            res("aws:secretsmanager/secret:Secret", `voting-cloud-secrets-${c}`, {
                ...awsSecretArgs(awsSecrets, `voting/prod/${c}`, KEY),
                arn: secretArn(c),
            }),
            res(
                "aws:secretsmanager/secretRotation:SecretRotation",
                `voting-cloud-secrets-${c}`,
                awsRotationArgs(awsSecrets, secretArn(c), "arn:aws:lambda:eu-west-1:123456789012:function:voting-prod-rotate-credentials"),
            ),
        ]),
    ];
}

export const gcpArgs: GcpClusterArgs = {
    cluster: { ...cluster, nodeType: "e2-standard-4", network: { provider: "gcp", network: "voting", subnetwork: "voting-europe-west1" } },
    project: "voting-prod-1234",
    region: "europe-west1",
    kubernetesVersion: "1.30",
    cni: "gke-dataplane-v2",
    stack: "prod",
    sizing,
};

export function gcpResources(): CloudResource[] {
    const zones = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
    const cloud = { provider: "gcp" as const, region: "europe-west1", backupReplicaRegion: "europe-west4", project: "voting-prod-1234" };
    const gcpSecrets = { cloud, secrets: { ...secrets, backend: "gcp-secret-manager" as const }, stack: "prod" };
    const key = "projects/voting-prod-1234/locations/europe/keyRings/backups/cryptoKeys/backups";
    return [
        res(
            "gcp:container/cluster:Cluster",
            "voting-cluster",
            gkeClusterArgs(gcpArgs, "projects/voting-prod-1234/locations/europe-west1/keyRings/k/cryptoKeys/secrets", zones),
        ),
        res(
            "gcp:container/nodePool:NodePool",
            "voting-cluster-general",
            gkeNodePoolArgs(
                gcpArgs,
                "projects/voting-prod-1234/locations/europe-west1/clusters/voting-prod",
                zones,
                "nodes@voting-prod-1234.iam.gserviceaccount.com",
            ),
        ),
        res("gcp:logging/projectBucketConfig:ProjectBucketConfig", "voting-cluster-audit", {
            project: "voting-prod-1234",
            location: "global",
            bucketId: "voting-prod-audit",
            retentionDays: 90,
        }),
        res("gcp:logging/projectSink:ProjectSink", "voting-cluster-audit", {
            name: "voting-prod-audit",
            filter: auditLogFilter("voting-prod-1234", "voting-prod"),
            destination: "logging.googleapis.com/projects/voting-prod-1234/locations/global/buckets/voting-prod-audit",
        }),
        res("gcp:storage/bucket:Bucket", "voting-backups", gcsBucketArgs({ cloud, stack: "prod", retentionDays: 7 }, key)),
        res(
            "gcp:kms/cryptoKey:CryptoKey",
            "voting-backups-key",
            gcpCryptoKeyArgs("projects/voting-prod-1234/locations/europe/keyRings/backups", "prod"),
        ),
        res(
            "gcp:secretmanager/secret:Secret",
            "voting-cloud-secrets-postgres",
            gcpSecretArgs(gcpSecrets, "voting-prod-postgres", key, "projects/voting-prod-1234/topics/rotation"),
        ),
    ];
}

export const azureArgs: AzureClusterArgs = {
    cluster: { ...cluster, nodeType: "Standard_D4s_v5", network: { provider: "azure" } },
    resourceGroup: "voting-prod",
    region: "westeurope",
    kubernetesVersion: "1.30",
    cni: "cilium",
    stack: "prod",
    sizing,
};

export function azureResources(): CloudResource[] {
    const rg = "/subscriptions/sub/resourceGroups/voting-prod/providers";
    const cloud = { provider: "azure" as const, region: "westeurope", backupReplicaRegion: "northeurope", resourceGroup: "voting-prod" };
    const backup = { cloud, stack: "prod", retentionDays: 7 };
    const azureSecrets = {
        cloud,
        secrets: { ...secrets, backend: "azure-key-vault" as const, keyVaultUrl: "https://voting-prod.vault.azure.net" },
        stack: "prod",
    };
    return [
        res(
            "azure-native:containerservice:ManagedCluster",
            "voting-cluster",
            aksClusterArgs(azureArgs, {
                identityId: `${rg}/Microsoft.ManagedIdentity/userAssignedIdentities/cp`,
                keyId: "https://v.vault.azure.net/keys/k/1",
                vaultId: `${rg}/Microsoft.KeyVault/vaults/v`,
            }),
        ),
        res("azure-native:operationalinsights:Workspace", "voting-cluster-logs", {
            resourceGroupName: "voting-prod",
            workspaceName: "voting-cluster-logs",
            retentionInDays: 90,
        }),
        res(
            "azure-native:monitor:DiagnosticSetting",
            "voting-cluster-logs",
            aksDiagnosticArgs(
                `${rg}/Microsoft.ContainerService/managedClusters/voting-prod`,
                `${rg}/Microsoft.OperationalInsights/workspaces/voting-cluster-logs`,
            ),
        ),
        res("azure-native:storage:StorageAccount", "voting-backups", {
            ...storageAccountArgs(backup, {
                keyName: "backups",
                vaultUri: "https://v.vault.azure.net/",
                identityId: `${rg}/Microsoft.ManagedIdentity/userAssignedIdentities/cmk`,
            }),
            accountName: "votingbackups",
        }),
        res("azure-native:storage:BlobServiceProperties", "voting-backups-blob-service", blobServiceArgs(backup, "votingbackups")),
        res("azure-native:storage:BlobContainer", "voting-backups-postgres", {
            accountName: "votingbackups",
            containerName: "postgres",
            publicAccess: "None",
        }),
        res("azure-native:storage:ManagementPolicy", "voting-backups-retention", { accountName: "votingbackups", policy: retentionPolicy(7) }),
        res(
            "azure-native:keyvault:Key",
            "voting-backups-key",
            rotatingKeyArgs({ resourceGroup: "voting-prod", vaultName: "v", keyName: "backups", stack: "prod" }),
        ),
        res(
            "azure-native:keyvault:Secret",
            "voting-cloud-secrets-postgres",
            azureSecretArgs(azureSecrets, "voting-prod", "voting-prod-postgres", "{}"),
        ),
    ];
}

/** The three clouds' compliant resources together: every cloud rule must pass on them. */
export const allClouds = () => [...awsResources(), ...gcpResources(), ...azureResources()];

/** A copy of `resources` with the named resource's props changed. */
export function changed(resources: readonly CloudResource[], type: string, name: string, change: (props: any) => void): CloudResource[] {
    let hit = false;
    const out = resources.map((r) => {
        if (r.type !== type || r.name !== name) return r;
        hit = true;
        const props = plain(r.props);
        change(props);
        return { ...r, props };
    });
    if (!hit) throw new Error(`no ${type} ${name} in the fixture`);
    return out;
}

export const without = (resources: readonly CloudResource[], type: string, name: string) =>
    resources.filter((r) => !(r.type === type && r.name === name));

/** `resources` with a copy of the named resource added as `newName`, its props changed: a second cluster, pool or log group. */
export function withCopy(
    resources: readonly CloudResource[],
    type: string,
    name: string,
    newName: string,
    change: (props: any) => void,
): CloudResource[] {
    const source = resources.find((r) => r.type === type && r.name === name);
    if (!source) throw new Error(`no ${type} ${name} in the fixture`);
    const props = plain(source.props);
    change(props);
    return [...resources, { type, name: newName, props }];
}
