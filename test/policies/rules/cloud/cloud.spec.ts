import * as assert from "assert";
import { disallowPublicBuckets } from "../../../../policies/rules/cloud/disallowPublicBuckets";
import { limitSecretRotationPeriod } from "../../../../policies/rules/cloud/limitSecretRotationPeriod";
import { requireBucketEncryption } from "../../../../policies/rules/cloud/requireBucketEncryption";
import { requireBucketReplication } from "../../../../policies/rules/cloud/requireBucketReplication";
import { requireBucketRetention } from "../../../../policies/rules/cloud/requireBucketRetention";
import { requireBucketVersioning } from "../../../../policies/rules/cloud/requireBucketVersioning";
import { requireClusterAuditLogs } from "../../../../policies/rules/cloud/requireClusterAuditLogs";
import { requireClusterAutoscaling } from "../../../../policies/rules/cloud/requireClusterAutoscaling";
import { requireClusterSecretEncryption } from "../../../../policies/rules/cloud/requireClusterSecretEncryption";
import { requireKeyRotation } from "../../../../policies/rules/cloud/requireKeyRotation";
import { requireMetricsServer } from "../../../../policies/rules/cloud/requireMetricsServer";
import { requireSupportedClusterVersion } from "../../../../policies/rules/cloud/requireSupportedClusterVersion";
import { restrictClusterEndpoint } from "../../../../policies/rules/cloud/restrictClusterEndpoint";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources, without } from "./fixtures";

const EKS = "aws:eks/cluster:Cluster";
const GKE = "gcp:container/cluster:Cluster";
const AKS = "azure-native:containerservice:ManagedCluster";

describe("require-cluster-secret-encryption", () => {
    it("passes EKS, GKE and AKS clusters that encrypt Secrets with their own key", () => {
        assert.deepStrictEqual(cloudViolations(requireClusterSecretEncryption, allClouds()), []);
    });
    it("refuses an EKS cluster without encryptionConfig", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterSecretEncryption,
                changed(awsResources(), EKS, "voting-cluster", (p) => delete p.encryptionConfig),
            ),
            ['Cluster voting-cluster does not encrypt Secrets with a KMS key; set encryptionConfig {resources: ["secrets"], provider: {keyArn}}'],
        );
    });
    it("refuses a GKE cluster whose database encryption is DECRYPTED", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterSecretEncryption,
                changed(gcpResources(), GKE, "voting-cluster", (p) => (p.databaseEncryption.state = "DECRYPTED")),
            ),
            ['Cluster voting-cluster does not encrypt Secrets with a Cloud KMS key; set databaseEncryption {state: "ENCRYPTED", keyName}'],
        );
    });
    it("refuses an AKS cluster with Key Vault KMS off", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterSecretEncryption,
                changed(azureResources(), AKS, "voting-cluster", (p) => (p.securityProfile.azureKeyVaultKms.enabled = false)),
            ),
            [
                "ManagedCluster voting-cluster does not encrypt Secrets with a Key Vault key; set securityProfile.azureKeyVaultKms {enabled: true, keyId}",
            ],
        );
    });
});

describe("require-cluster-audit-logs", () => {
    it("passes audit logs kept 90 days on each cloud", () => {
        assert.deepStrictEqual(cloudViolations(requireClusterAuditLogs, allClouds()), []);
    });
    it("refuses an EKS cluster without the audit log type, and a log group kept 30 days", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAuditLogs,
                changed(awsResources(), EKS, "voting-cluster", (p) => (p.enabledClusterLogTypes = ["api"])),
            ),
            ['Cluster voting-cluster does not ship its audit log; add "audit" to enabledClusterLogTypes'],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAuditLogs,
                changed(awsResources(), "aws:cloudwatch/logGroup:LogGroup", "voting-cluster-control-plane", (p) => (p.retentionInDays = 30)),
            ),
            ["LogGroup voting-cluster-control-plane keeps the audit log 30 days; keep it at least 90 days"],
        );
    });
    it("refuses an EKS cluster whose log group is not in the stack", () => {
        assert.deepStrictEqual(
            cloudViolations(requireClusterAuditLogs, without(awsResources(), "aws:cloudwatch/logGroup:LogGroup", "voting-cluster-control-plane")),
            [
                "Cluster voting-cluster has no log group /aws/eks/voting-prod/cluster in the stack; EKS would create one that keeps logs forever or not as set",
            ],
        );
    });
    it("refuses a GKE cluster without an audit sink, and a log bucket kept 30 days", () => {
        assert.deepStrictEqual(
            cloudViolations(requireClusterAuditLogs, without(gcpResources(), "gcp:logging/projectSink:ProjectSink", "voting-cluster-audit")),
            ["Cluster voting-cluster has no log sink routing its audit log to a bucket kept 90 days"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAuditLogs,
                changed(gcpResources(), "gcp:logging/projectBucketConfig:ProjectBucketConfig", "voting-cluster-audit", (p) => (p.retentionDays = 30)),
            ),
            ["ProjectBucketConfig voting-cluster-audit keeps the audit log 30 days; keep it at least 90 days"],
        );
    });
    it("refuses an AKS cluster whose diagnostic setting leaves kube-audit off, and a workspace kept 30 days", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAuditLogs,
                changed(
                    azureResources(),
                    "azure-native:monitor:DiagnosticSetting",
                    "voting-cluster-logs",
                    (p) => (p.logs = p.logs.filter((l: any) => !l.category.startsWith("kube-audit"))),
                ),
            ),
            ["ManagedCluster voting-cluster has no diagnostic setting sending kube-audit to a Log Analytics workspace"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAuditLogs,
                changed(azureResources(), "azure-native:operationalinsights:Workspace", "voting-cluster-logs", (p) => (p.retentionInDays = 30)),
            ),
            ["Workspace voting-cluster-logs keeps the audit log 30 days; keep it at least 90 days"],
        );
    });
    it("takes the retention from its settings", () => {
        assert.deepStrictEqual(cloudViolations(requireClusterAuditLogs, awsResources(), { retentionDays: 365 }), [
            "LogGroup voting-cluster-control-plane keeps the audit log 90 days; keep it at least 365 days",
        ]);
    });
});

describe("restrict-cluster-endpoint", () => {
    it("passes endpoints open only to listed networks, and private ones", () => {
        assert.deepStrictEqual(cloudViolations(restrictClusterEndpoint, allClouds()), []);
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(
                    awsResources(),
                    EKS,
                    "voting-cluster",
                    (p) => ((p.vpcConfig.endpointPublicAccess = false), delete p.vpcConfig.publicAccessCidrs),
                ),
            ),
            [],
        );
    });
    it("refuses 0.0.0.0/0 on EKS, an unlisted GKE endpoint with public nodes, and an AKS endpoint without ranges", () => {
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(awsResources(), EKS, "voting-cluster", (p) => (p.vpcConfig.publicAccessCidrs = ["0.0.0.0/0"])),
            ),
            [
                "Cluster voting-cluster opens its API endpoint to the internet; set vpcConfig.publicAccessCidrs to your networks or endpointPublicAccess: false",
            ],
        );
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(
                    gcpResources(),
                    GKE,
                    "voting-cluster",
                    (p) => ((p.privateClusterConfig.enablePrivateNodes = false), (p.masterAuthorizedNetworksConfig.cidrBlocks = [])),
                ),
            ),
            [
                "Cluster voting-cluster gives its nodes public addresses; set privateClusterConfig.enablePrivateNodes: true",
                "Cluster voting-cluster opens its API endpoint to the internet; list your networks in masterAuthorizedNetworksConfig or set privateClusterConfig.enablePrivateEndpoint",
            ],
        );
        assert.deepStrictEqual(
            cloudViolations(
                restrictClusterEndpoint,
                changed(azureResources(), AKS, "voting-cluster", (p) => (p.apiServerAccessProfile = {})),
            ),
            [
                "ManagedCluster voting-cluster opens its API endpoint to the internet; set apiServerAccessProfile.authorizedIPRanges or enablePrivateCluster",
            ],
        );
    });
});

describe("require-supported-cluster-version", () => {
    it("passes clusters and node groups on 1.30", () => {
        assert.deepStrictEqual(cloudViolations(requireSupportedClusterVersion, allClouds()), []);
    });
    it("refuses an EKS cluster on 1.27, a GKE cluster with no version, and an AKS cluster below a raised minimum", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireSupportedClusterVersion,
                changed(awsResources(), EKS, "voting-cluster", (p) => (p.version = "1.27")),
            ),
            ["Cluster voting-cluster runs Kubernetes 1.27, older than the required 1.28"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireSupportedClusterVersion,
                changed(gcpResources(), GKE, "voting-cluster", (p) => delete p.minMasterVersion),
            ),
            ["Cluster voting-cluster declares no Kubernetes version (minMasterVersion); pin 1.28 or later"],
        );
        assert.deepStrictEqual(cloudViolations(requireSupportedClusterVersion, azureResources(), { minimum: "1.31" }), [
            "ManagedCluster voting-cluster runs Kubernetes 1.30, older than the required 1.31",
        ]);
    });
});

describe("require-cluster-autoscaling", () => {
    it("passes node pools that scale over three zones", () => {
        assert.deepStrictEqual(cloudViolations(requireClusterAutoscaling, allClouds()), []);
    });
    it("refuses EKS node groups pinned to one size, a GKE pool without autoscaling, an AKS pool in one zone", () => {
        let aws = awsResources();
        for (const i of [1, 2, 3])
            aws = changed(aws, "aws:eks/nodeGroup:NodeGroup", `voting-cluster-zone-${i}`, (p) => (p.scalingConfig.maxSize = p.scalingConfig.minSize));
        assert.deepStrictEqual(cloudViolations(requireClusterAutoscaling, aws), [
            "Cluster voting-cluster has no node group that can scale (maxSize above minSize)",
        ]);
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAutoscaling,
                without(
                    without(awsResources(), "aws:eks/nodeGroup:NodeGroup", "voting-cluster-zone-2"),
                    "aws:eks/nodeGroup:NodeGroup",
                    "voting-cluster-zone-3",
                ),
            ),
            ["Cluster voting-cluster scales nodes in 1 subnet(s); spread its node groups over 3 zones"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAutoscaling,
                changed(gcpResources(), "gcp:container/nodePool:NodePool", "voting-cluster-general", (p) => delete p.autoscaling),
            ),
            ["Cluster voting-cluster has no node pool with autoscaling (a maximum above the minimum)"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterAutoscaling,
                changed(azureResources(), AKS, "voting-cluster", (p) => (p.agentPoolProfiles[0].availabilityZones = ["1"])),
            ),
            ["ManagedCluster voting-cluster pool system spans 1 zone(s); set availabilityZones to 3"],
        );
    });
});

describe("require-metrics-server", () => {
    it("passes an EKS cluster with the metrics-server add-on (GKE and AKS run it themselves)", () => {
        assert.deepStrictEqual(cloudViolations(requireMetricsServer, allClouds()), []);
    });
    it("refuses an EKS cluster without it", () => {
        assert.deepStrictEqual(
            cloudViolations(requireMetricsServer, without(awsResources(), "aws:eks/addon:Addon", "voting-cluster-metrics-server")),
            ["Cluster voting-cluster has no metrics-server add-on; the HPA cannot read CPU usage"],
        );
    });
});

describe("require-bucket-encryption", () => {
    it("passes storage encrypted with its own customer-managed key on each cloud", () => {
        assert.deepStrictEqual(cloudViolations(requireBucketEncryption, allClouds()), []);
    });
    it("refuses an S3 bucket with only AES256, a GCS bucket with Google's keys, an Azure account with Microsoft's keys", () => {
        const s3 = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketEncryption,
                changed(
                    awsResources(),
                    s3,
                    "voting-backups-encryption",
                    (p) => (p.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]),
                ),
            ),
            [
                "Bucket voting-backups is not encrypted by default with a KMS key; add a server-side encryption configuration with aws:kms and kmsMasterKeyId",
            ],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketEncryption,
                changed(gcpResources(), "gcp:storage/bucket:Bucket", "voting-backups", (p) => delete p.encryption),
            ),
            ["Bucket voting-backups is encrypted only with Google's keys; set encryption.defaultKmsKeyName to a Cloud KMS key"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketEncryption,
                changed(
                    azureResources(),
                    "azure-native:storage:StorageAccount",
                    "voting-backups",
                    (p) => (p.encryption = { keySource: "Microsoft.Storage" }),
                ),
            ),
            [
                "StorageAccount voting-backups is encrypted only with Microsoft's keys; set encryption.keySource Microsoft.Keyvault with keyVaultProperties",
            ],
        );
    });
});

describe("require-bucket-versioning", () => {
    it("passes versioned storage on each cloud", () => {
        assert.deepStrictEqual(cloudViolations(requireBucketVersioning, allClouds()), []);
    });
    it("refuses suspended S3 versioning, an unversioned GCS bucket, and an Azure account without blob versioning", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketVersioning,
                changed(
                    awsResources(),
                    "aws:s3/bucketVersioning:BucketVersioning",
                    "voting-backups-versioning",
                    (p) => (p.versioningConfiguration.status = "Suspended"),
                ),
            ),
            ["Bucket voting-backups is not versioned; add a BucketVersioning with status Enabled"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketVersioning,
                changed(gcpResources(), "gcp:storage/bucket:Bucket", "voting-backups", (p) => (p.versioning.enabled = false)),
            ),
            ["Bucket voting-backups is not versioned; set versioning.enabled"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketVersioning,
                without(azureResources(), "azure-native:storage:BlobServiceProperties", "voting-backups-blob-service"),
            ),
            ["StorageAccount voting-backups does not version its blobs; add BlobServiceProperties with isVersioningEnabled"],
        );
    });
});

describe("disallow-public-buckets", () => {
    it("passes storage closed to the public on each cloud", () => {
        assert.deepStrictEqual(cloudViolations(disallowPublicBuckets, allClouds()), []);
    });
    it("refuses an S3 bucket that lets public policies through, a GCS bucket without prevention, a public Azure container", () => {
        assert.deepStrictEqual(
            cloudViolations(
                disallowPublicBuckets,
                changed(
                    awsResources(),
                    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                    "voting-backups-public-access",
                    (p) => ((p.blockPublicPolicy = false), (p.restrictPublicBuckets = false)),
                ),
            ),
            ["Bucket voting-backups does not block public access (blockPublicPolicy, restrictPublicBuckets not true)"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                disallowPublicBuckets,
                changed(gcpResources(), "gcp:storage/bucket:Bucket", "voting-backups", (p) => (p.publicAccessPrevention = "inherited")),
            ),
            ['Bucket voting-backups can be made public; set publicAccessPrevention "enforced" and uniformBucketLevelAccess'],
        );
        assert.deepStrictEqual(
            cloudViolations(
                disallowPublicBuckets,
                changed(azureResources(), "azure-native:storage:BlobContainer", "voting-backups-postgres", (p) => (p.publicAccess = "Blob")),
            ),
            ["BlobContainer voting-backups-postgres is public (publicAccess Blob); set it to None"],
        );
    });
});

describe("require-bucket-replication", () => {
    const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
    it("passes S3 replication that copies KMS-encrypted objects with a replica key, a dual-region GCS bucket, GRS on Azure", () => {
        assert.deepStrictEqual(cloudViolations(requireBucketReplication, allClouds()), []);
    });
    it("refuses replication that selects no KMS-encrypted object and names no replica key: the replica would stay empty", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketReplication,
                changed(
                    awsResources(),
                    REPLICATION,
                    "voting-backups-replication",
                    (p) => (delete p.rules[0].sourceSelectionCriteria, delete p.rules[0].destination.encryptionConfiguration),
                ),
            ),
            [
                "BucketReplicationConfig voting-backups-replication rule cross-region copies no KMS-encrypted object; set sourceSelectionCriteria.sseKmsEncryptedObjects.status Enabled",
                "BucketReplicationConfig voting-backups-replication rule cross-region names no replica KMS key; set destination.encryptionConfiguration.replicaKmsKeyId to a key in the replica region",
            ],
        );
    });
    it("refuses a bucket with no replication when it is required, and judges only configured replication when it is not", () => {
        const single = without(without(awsResources(), REPLICATION, "voting-backups-replication"), "aws:s3/bucket:Bucket", "voting-backups-replica");
        assert.deepStrictEqual(cloudViolations(requireBucketReplication, single), [
            "Bucket voting-backups is not replicated to another region; set cloud.backupReplicaRegion",
        ]);
        assert.deepStrictEqual(cloudViolations(requireBucketReplication, single, { required: false }), []);
    });
    it("refuses a single-region GCS bucket and a locally redundant Azure account", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketReplication,
                changed(
                    gcpResources(),
                    "gcp:storage/bucket:Bucket",
                    "voting-backups",
                    (p) => ((p.location = "EUROPE-WEST1"), delete p.customPlacementConfig),
                ),
            ),
            ["Bucket voting-backups lives in the single region EUROPE-WEST1; make it dual-region (customPlacementConfig) or multi-region"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketReplication,
                changed(azureResources(), "azure-native:storage:StorageAccount", "voting-backups", (p) => (p.sku.name = "Standard_LRS")),
            ),
            ["StorageAccount voting-backups is Standard_LRS, kept in one region; use Standard_GRS or Standard_GZRS"],
        );
    });
});

describe("require-bucket-retention", () => {
    it("passes backups deleted after 7 days on each cloud", () => {
        assert.deepStrictEqual(cloudViolations(requireBucketRetention, allClouds()), []);
    });
    it("refuses S3 backups kept 3 days, a GCS bucket that never deletes, an Azure policy deleting after 1 day", () => {
        const lifecycle = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketRetention,
                changed(awsResources(), lifecycle, "voting-backups-lifecycle", (p) => (p.rules[0].expiration.days = 3)),
            ),
            ["Bucket voting-backups deletes backups after 3 days; keep them at least 7"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketRetention,
                changed(gcpResources(), "gcp:storage/bucket:Bucket", "voting-backups", (p) => (p.lifecycleRules = [])),
            ),
            ["Bucket voting-backups never deletes backups; add a Delete lifecycle rule with condition.age"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireBucketRetention,
                changed(
                    azureResources(),
                    "azure-native:storage:ManagementPolicy",
                    "voting-backups-retention",
                    (p) => (p.policy.rules[0].definition.actions.baseBlob.delete.daysAfterModificationGreaterThan = 1),
                ),
            ),
            ["StorageAccount voting-backups deletes backups after 1 days; keep them at least 7"],
        );
    });
});

describe("require-key-rotation", () => {
    it("passes keys rotated every 90 days on each cloud", () => {
        assert.deepStrictEqual(cloudViolations(requireKeyRotation, allClouds()), []);
    });
    it("refuses a KMS key without rotation, a Cloud KMS key rotated every 730 days, a Key Vault key without a rotate action", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                changed(awsResources(), "aws:kms/key:Key", "voting-backups-key", (p) => (p.enableKeyRotation = false)),
            ),
            ["Key voting-backups-key never rotates; set enableKeyRotation: true"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                changed(gcpResources(), "gcp:kms/cryptoKey:CryptoKey", "voting-backups-key", (p) => (p.rotationPeriod = `${730 * 86400}s`)),
            ),
            ["CryptoKey voting-backups-key rotates every 730 days; rotate at least every 365"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                changed(azureResources(), "azure-native:keyvault:Key", "voting-backups-key", (p) => delete p.properties.rotationPolicy),
            ),
            ["Key voting-backups-key never rotates; add a rotationPolicy with a rotate action after timeAfterCreate, e.g. P90D"],
        );
    });
});

describe("limit-secret-rotation-period", () => {
    const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
    it("passes secrets rotated every 90 days on each cloud", () => {
        assert.deepStrictEqual(cloudViolations(limitSecretRotationPeriod, allClouds()), []);
    });
    it("refuses an AWS rotation every 365 days, and a secret with no rotation at all", () => {
        assert.deepStrictEqual(
            cloudViolations(
                limitSecretRotationPeriod,
                changed(awsResources(), ROTATION, "voting-cloud-secrets-redis", (p) => (p.rotationRules.automaticallyAfterDays = 365)),
            ),
            ["SecretRotation voting-cloud-secrets-redis rotates every 365 days; rotate at least every 90"],
        );
        assert.deepStrictEqual(cloudViolations(limitSecretRotationPeriod, without(awsResources(), ROTATION, "voting-cloud-secrets-postgres")), [
            "Secret voting-cloud-secrets-postgres has no rotation schedule; add a SecretRotation every 90 days or fewer",
        ]);
    });
    it("refuses a GCP rotation period of 365 days and an Azure secret valid for 365 days", () => {
        assert.deepStrictEqual(
            cloudViolations(
                limitSecretRotationPeriod,
                changed(
                    gcpResources(),
                    "gcp:secretmanager/secret:Secret",
                    "voting-cloud-secrets-postgres",
                    (p) => (p.rotation.rotationPeriod = `${365 * 86400}s`),
                ),
            ),
            ["Secret voting-cloud-secrets-postgres rotates every 365 days; rotate at least every 90"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                limitSecretRotationPeriod,
                changed(
                    azureResources(),
                    "azure-native:keyvault:Secret",
                    "voting-cloud-secrets-postgres",
                    (p) => (p.properties.attributes.expires = p.properties.attributes.notBefore + 365 * 86400),
                ),
            ),
            ["Secret voting-cloud-secrets-postgres rotates every 365 days; rotate at least every 90"],
        );
    });
});
