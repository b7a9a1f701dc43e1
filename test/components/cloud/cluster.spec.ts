import * as assert from "assert";
import { AUDIT_LOG_RETENTION_DAYS } from "../../../components/cloud/standards";
import { autoscalerPolicy, irsaTrustPolicy } from "../../../components/cloud/aws/cluster";
import { aksNetworkProfile } from "../../../components/cloud/azure/cluster";
import { accountId, auditLogFilter } from "../../../components/cloud/gcp/cluster";
import { nodePoolSizing, NODE_RESERVE, ADD_ON_REQUESTS } from "../../../components/cloud/nodeSizing";
import { capacitySummary } from "../../../components/capacity";
import { resolveWorkloads } from "../../../config/workloads";
import type { RenderedResource } from "../../../tools/lib/render";
import { renderedOn } from "../../helpers/clouds";
import { rendered } from "../../helpers/render";

const one = (resources: readonly RenderedResource[], type: string, name?: string) => {
    const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    assert.strictEqual(found.length, 1, `one ${type} ${name ?? ""}`);
    return found[0];
};
const all = (resources: readonly RenderedResource[], type: string) => resources.filter((r) => r.type === type);
/** The resources of a render but the application log stores (voting:cloud:LogStorage), which sit beside the cluster's own. */
const outsideLogStorage = (resources: readonly RenderedResource[]) => {
    const stores = new Set(resources.filter((r) => r.type === "voting:cloud:LogStorage").map((r) => r.key));
    return resources.filter((r) => !stores.has(r.parent ?? ""));
};
const prodCapacity = capacitySummary("prod", resolveWorkloads({ environment: "prod", workloads: {} }));

describe("node pool sizing (5.1.3)", () => {
    it("sizes prod on 4-vCPU 16 GiB nodes: 1 node per zone at minimum, 2 per zone at maximum", () => {
        // At max scale prod requests 3100m CPU and 4288Mi; with the add-ons (2 CPU, 6Gi) that is 5.1 CPU,
        // and a node gives 4000 × 0.9 − 250 = 3350m: two nodes, which any two zones must carry, plus one per zone.
        assert.deepStrictEqual(nodePoolSizing(prodCapacity, { vcpus: 4, memoryGiB: 16 }), {
            nodesAtMin: 1,
            nodesAtMax: 2,
            minPerZone: 1,
            maxPerZone: 2,
            min: 3,
            max: 6,
        });
    });

    it("gives smaller nodes more room: 2-vCPU nodes need 2 at minimum and 4 at maximum", () => {
        assert.deepStrictEqual(nodePoolSizing(prodCapacity, { vcpus: 2, memoryGiB: 8 }), {
            nodesAtMin: 3,
            nodesAtMax: 4,
            minPerZone: 1,
            maxPerZone: 3,
            min: 3,
            max: 9,
        });
    });

    it("keeps its reserve figures where the doc comment says", () => {
        assert.deepStrictEqual([NODE_RESERVE.cpuShare, NODE_RESERVE.memoryShare, ADD_ON_REQUESTS], [0.1, 0.2, { cpu: "2", memory: "6Gi" }]);
    });
});

describe("EKS cluster (cluster.create on AWS)", () => {
    it("encrypts Secrets with its own rotating KMS key, ships every control-plane log to a 90-day log group, and restricts the endpoint", async () => {
        const { resources } = await rendered("prod");
        const cluster = one(resources, "aws:eks/cluster:Cluster").inputs as any;
        assert.deepStrictEqual(cluster.encryptionConfig, {
            provider: { keyArn: "arn:aws:kms:eu-west-1:123456789012:key/voting-cluster-secrets" },
            resources: ["secrets"],
        });
        assert.deepStrictEqual(cluster.enabledClusterLogTypes, ["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        assert.deepStrictEqual(cluster.vpcConfig, {
            subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
            endpointPrivateAccess: true,
            endpointPublicAccess: true,
            publicAccessCidrs: ["203.0.113.0/24"],
        });
        assert.deepStrictEqual([cluster.name, cluster.version, cluster.accessConfig.authenticationMode], ["voting-prod", "1.30", "API"]);
        const logs = one(resources, "aws:cloudwatch/logGroup:LogGroup", "voting-cluster-control-plane");
        assert.deepStrictEqual([logs.inputs.name, logs.inputs.retentionInDays], ["/aws/eks/voting-prod/cluster", AUDIT_LOG_RETENTION_DAYS]);
        assert.ok(
            one(resources, "aws:eks/cluster:Cluster").options.dependsOn.includes("aws:cloudwatch/logGroup:LogGroup::voting-cluster-control-plane"),
        );
        const key = one(resources, "aws:kms/key:Key", "voting-cluster-secrets").inputs;
        assert.deepStrictEqual([key.enableKeyRotation, key.rotationPeriodInDays], [true, 90]);
    });

    it("runs one autoscaling node group per zone's subnet, sized from the requests, with the cluster autoscaler and metrics-server", async () => {
        const { resources, outputs } = await rendered("prod");
        const groups = all(resources, "aws:eks/nodeGroup:NodeGroup");
        assert.deepStrictEqual(
            groups.map((g) => [g.inputs.subnetIds, g.inputs.scalingConfig, g.inputs.instanceTypes, g.options.ignoreChanges]),
            [1, 2, 3].map((i) => [
                [`subnet-0a1b2c3d4e5f6000${i}`],
                { minSize: 1, maxSize: 2, desiredSize: 1 },
                ["m6i.xlarge"],
                ["scalingConfig.desiredSize"],
            ]),
        );
        assert.deepStrictEqual(outputs.nodePool, { nodesAtMin: 1, nodesAtMax: 2, minPerZone: 1, maxPerZone: 2, min: 3, max: 6 });
        assert.deepStrictEqual(
            all(resources, "aws:eks/addon:Addon").map((a) => [a.inputs.addonName, a.inputs.configurationValues]),
            [
                ["vpc-cni", '{"enableNetworkPolicy":"false"}'],
                ["kube-proxy", undefined],
                ["coredns", undefined],
                ["aws-ebs-csi-driver", undefined],
                ["metrics-server", undefined],
            ],
        );
        const autoscaler = one(resources, "kubernetes:helm.sh/v3:Release", "voting-cluster-autoscaler").inputs as any;
        assert.deepStrictEqual(
            [
                autoscaler.chart,
                autoscaler.version,
                autoscaler.values.autoDiscovery,
                autoscaler.values.image,
                autoscaler.values.extraArgs["balance-similar-node-groups"],
            ],
            ["cluster-autoscaler", "9.37.0", { clusterName: "voting-prod" }, { tag: "v1.30.0" }, "true"],
        );
        assert.deepStrictEqual(JSON.parse(autoscalerPolicy("voting-prod")).Statement[1].Condition, {
            StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/voting-prod": "owned" },
        });
    });

    it("enforces NetworkPolicy with Calico, as prod's cni says, and would use the VPC CNI's own engine for aws-vpc-cni", async () => {
        const { resources } = await rendered("prod");
        const calico = one(resources, "kubernetes:helm.sh/v3:Release", "voting-cluster-calico").inputs as any;
        assert.deepStrictEqual([calico.chart, calico.values.installation.cni], ["tigera-operator", { type: "AmazonVPC" }]);
        const vpcCni = await renderedOn("aws", "created", (c) => (c["voting-platform:cni"] = "aws-vpc-cni"));
        assert.strictEqual(vpcCni.resources.filter((r) => r.name === "voting-cluster-calico").length, 0);
        assert.strictEqual(
            one(vpcCni.resources, "aws:eks/addon:Addon", "voting-cluster-vpc-cni").inputs.configurationValues,
            '{"enableNetworkPolicy":"true"}',
        );
    });

    it("gives External Secrets and the backup Jobs IAM roles only their own ServiceAccounts can assume", async () => {
        const { resources } = await rendered("prod");
        const trust = (name: string) => JSON.parse(String(one(resources, "aws:iam/role:Role", name).inputs.assumeRolePolicy));
        const issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/voting-prod";
        const arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/voting-prod";
        assert.deepStrictEqual(
            trust("voting-cluster-external-secrets"),
            JSON.parse(irsaTrustPolicy(arn, issuer, [{ namespace: "external-secrets", name: "external-secrets" }])),
        );
        assert.deepStrictEqual(
            trust("voting-cluster-backup").Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/voting-prod:sub"],
            ["system:serviceaccount:voting-data:postgres-backup", "system:serviceaccount:voting-data:postgres-restore"],
        );
    });

    it("builds the stack's Kubernetes provider from the cluster's kubeconfig, which authenticates with aws eks get-token", async () => {
        const { resources, outputs, secretOutputs } = await rendered("prod");
        const provider = one(resources, "pulumi:providers:kubernetes", "voting-cluster");
        const kubeconfig = JSON.parse(String(provider.inputs.kubeconfig));
        assert.deepStrictEqual(kubeconfig.clusters[0].cluster.server, "https://voting-prod.gr7.eu-west-1.eks.amazonaws.com");
        assert.deepStrictEqual(kubeconfig.users[0].user.exec.args, [
            "eks",
            "get-token",
            "--cluster-name",
            "voting-prod",
            "--region",
            "eu-west-1",
            "--output",
            "json",
        ]);
        assert.ok(secretOutputs.includes("kubeconfig"));
        assert.strictEqual(outputs.kubeconfig, provider.inputs.kubeconfig);
        // Every Kubernetes object of the platform is created through it (the platform passes it down).
        const platform = resources.find((r) => r.type === "voting:index:VotingPlatform")!;
        assert.ok(platform);
        const k8s = resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release");
        assert.ok(k8s.length > 100);
    });
});

describe("GKE cluster (cluster.create on GCP)", () => {
    it("encrypts Secrets with its own Cloud KMS key, keeps private nodes behind authorised networks, and runs Dataplane V2 with Workload Identity", async () => {
        const { resources } = await renderedOn("gcp", "created");
        const c = one(resources, "gcp:container/cluster:Cluster").inputs as any;
        assert.deepStrictEqual(c.databaseEncryption, { state: "ENCRYPTED", keyName: "voting-cluster-secrets-id" });
        assert.deepStrictEqual(
            [c.location, c.nodeLocations, c.minMasterVersion],
            ["europe-west1", ["europe-west1-a", "europe-west1-b", "europe-west1-c"], "1.30"],
        );
        assert.deepStrictEqual(c.privateClusterConfig, { enablePrivateNodes: true, enablePrivateEndpoint: false });
        assert.deepStrictEqual(c.masterAuthorizedNetworksConfig, {
            cidrBlocks: [{ cidrBlock: "203.0.113.0/24", displayName: "allowed 203.0.113.0/24" }],
            gcpPublicCidrsAccessEnabled: false,
        });
        assert.deepStrictEqual(
            [c.datapathProvider, c.networkPolicy, c.addonsConfig],
            ["ADVANCED_DATAPATH", undefined, { networkPolicyConfig: { disabled: true } }],
        );
        assert.deepStrictEqual(c.workloadIdentityConfig, { workloadPool: "voting-prod-1234.svc.id.goog" });
        assert.strictEqual(one(resources, "gcp:kms/cryptoKey:CryptoKey", "voting-cluster-secrets").inputs.rotationPeriod, "7776000s");
        assert.strictEqual(
            one(resources, "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember", "voting-cluster-secrets-user-0").inputs.member,
            "serviceAccount:service-123456789012@gcp-sa-container.iam.gserviceaccount.com",
        );
    });

    it("routes the cluster's audit log to a 90-day log bucket and autoscales one pool over three zones", async () => {
        const resources = outsideLogStorage((await renderedOn("gcp", "created")).resources);
        const bucket = one(resources, "gcp:logging/projectBucketConfig:ProjectBucketConfig").inputs;
        assert.deepStrictEqual([bucket.bucketId, bucket.retentionDays], ["voting-prod-audit", 90]);
        const sink = one(resources, "gcp:logging/projectSink:ProjectSink").inputs;
        assert.deepStrictEqual(
            [sink.filter, sink.destination],
            [
                auditLogFilter("voting-prod-1234", "voting-prod"),
                "logging.googleapis.com/projects/voting-prod-1234/locations/global/buckets/voting-prod-audit",
            ],
        );
        const pool = one(resources, "gcp:container/nodePool:NodePool").inputs as any;
        assert.deepStrictEqual(pool.autoscaling, { totalMinNodeCount: 3, totalMaxNodeCount: 6, locationPolicy: "BALANCED" });
        assert.deepStrictEqual([pool.nodeConfig.machineType, pool.nodeConfig.workloadMetadataConfig], ["e2-standard-4", { mode: "GKE_METADATA" }]);
        assert.strictEqual(accountId("a-cluster-name-that-is-very-long", "secrets"), "a-cluster-name-that-is-secrets");
    });

    it("binds the External Secrets and backup Google service accounts to their Kubernetes ServiceAccounts", async () => {
        const { resources } = await renderedOn("gcp", "created");
        assert.deepStrictEqual(
            all(resources, "gcp:serviceaccount/iAMMember:IAMMember").map((m) => [m.inputs.serviceAccountId, m.inputs.member]),
            [
                [
                    "projects/voting-prod-1234/serviceAccounts/voting-prod-secrets",
                    "serviceAccount:voting-prod-1234.svc.id.goog[external-secrets/external-secrets]",
                ],
                [
                    "projects/voting-prod-1234/serviceAccounts/voting-prod-backup",
                    "serviceAccount:voting-prod-1234.svc.id.goog[voting-data/postgres-backup]",
                ],
                [
                    "projects/voting-prod-1234/serviceAccounts/voting-prod-backup",
                    "serviceAccount:voting-prod-1234.svc.id.goog[voting-data/postgres-restore]",
                ],
            ],
        );
    });
});

describe("AKS cluster (cluster.create on Azure)", () => {
    it("encrypts Secrets with Key Vault KMS, enables Cilium, Workload Identity and Entra ID only, and restricts the API server", async () => {
        const { resources } = await renderedOn("azure", "created");
        const c = one(resources, "azure-native:containerservice:ManagedCluster").inputs as any;
        assert.deepStrictEqual(c.securityProfile.azureKeyVaultKms.enabled, true);
        assert.match(c.securityProfile.azureKeyVaultKms.keyId, /\/keys\/kubernetes-secrets\//);
        assert.deepStrictEqual(aksNetworkProfile("azure-npm").networkPolicy, "azure");
        assert.deepStrictEqual([c.networkProfile.networkDataplane, c.networkProfile.networkPolicy], ["cilium", "cilium"]);
        assert.deepStrictEqual(
            [c.apiServerAccessProfile, c.disableLocalAccounts, c.aadProfile],
            [{ authorizedIPRanges: ["203.0.113.0/24"] }, true, { managed: true, enableAzureRBAC: true }],
        );
        assert.deepStrictEqual(
            [c.oidcIssuerProfile, c.securityProfile.workloadIdentity, c.kubernetesVersion],
            [{ enabled: true }, { enabled: true }, "1.30"],
        );
        const pool = c.agentPoolProfiles[0];
        assert.deepStrictEqual(
            [pool.enableAutoScaling, pool.minCount, pool.maxCount, pool.availabilityZones, pool.vmSize],
            [true, 3, 6, ["1", "2", "3"], "Standard_D4s_v5"],
        );
    });

    it("sends kube-audit to a 90-day Log Analytics workspace", async () => {
        const resources = outsideLogStorage((await renderedOn("azure", "created")).resources);
        assert.strictEqual(one(resources, "azure-native:operationalinsights:Workspace").inputs.retentionInDays, 90);
        const setting = one(resources, "azure-native:monitor:DiagnosticSetting").inputs as any;
        assert.deepStrictEqual(
            setting.logs.filter((l: any) => l.category.startsWith("kube-audit")),
            [
                { category: "kube-audit", enabled: true },
                { category: "kube-audit-admin", enabled: true },
            ],
        );
        assert.match(setting.resourceUri, /\/managedClusters\/voting-prod$/);
    });

    it("federates the External Secrets and backup identities with their ServiceAccounts", async () => {
        const { resources } = await renderedOn("azure", "created");
        assert.deepStrictEqual(
            all(resources, "azure-native:managedidentity:FederatedIdentityCredential").map((f) => [f.inputs.resourceName, f.inputs.subject]),
            [
                ["voting-cluster-external-secrets", "system:serviceaccount:external-secrets:external-secrets"],
                ["voting-cluster-backup", "system:serviceaccount:voting-data:postgres-backup"],
                ["voting-cluster-backup", "system:serviceaccount:voting-data:postgres-restore"],
            ],
        );
    });
});
