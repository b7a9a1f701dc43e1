import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { SecretValue } from "../../config/credentials";
import type { ClusterConfig } from "../../config/types";
import { ConfigError, decodeConfigValue, validateConfig } from "../../config/validate";
import { loadStackConfig } from "../../tools/lib/stackConfig";
import { CANARY_WEIGHT_STEPS } from "../../config/types";
import { existingCluster, parsedWith, prodRaw, problemsFor } from "./fixtures";

const CASES: [string, (raw: Record<string, any>) => void, string][] = [
    [
        "an unknown environment",
        (r) => (r.environment = "production"),
        'config `voting-platform:environment` is "production"; use one of "staging", "prod"',
    ],
    ["a missing environment", (r) => delete r.environment, 'config `voting-platform:environment` is not set; use one of "staging", "prod"'],
    [
        "an unknown cloud provider",
        (r) => (r.cloud = { provider: "ibm", region: "eu-de" }),
        'config `voting-platform:cloud.provider` is "ibm"; use one of "aws", "gcp", "azure"',
    ],
    [
        "a GCP cloud without a project",
        (r) => {
            r.cloud = { provider: "gcp", region: "europe-west1" };
            existingCluster(r);
            r.secrets.backend = "gcp-secret-manager";
        },
        "config `voting-platform:cloud.project` is not set; name the GCP project id",
    ],
    [
        "an Azure cloud without a resource group",
        (r) => {
            r.cloud = { provider: "azure", region: "westeurope", subscriptionId: "0b1f6471-1bf0-4dda-aec3-cb9272f09590" };
            r.secrets = { backend: "azure-key-vault", keyVaultUrl: "https://voting-prod.vault.azure.net" };
            existingCluster(r);
        },
        "config `voting-platform:cloud.resourceGroup` is not set; name the Azure resource group",
    ],
    [
        "a backup replica in the same region",
        (r) => (r.cloud.backupReplicaRegion = "eu-west-1"),
        'config `voting-platform:cloud.backupReplicaRegion` is "eu-west-1"; name a region other than cloud.region',
    ],
    [
        "a prod AWS cloud without its account",
        (r) => delete r.cloud.accountId,
        'config `voting-platform:cloud.accountId` is not set; name the 12-digit AWS account the stack deploys to, e.g. "123456789012"; prod refuses to run in any other',
    ],
    [
        "a KMS key of another account than the stack's",
        (r) => (r.cloud.kmsKeyArn = "arn:aws:kms:eu-west-1:210987654321:key/3f1c2a9e-7d4b-4e2a-9c1f-5b8e6d7a0c21"),
        'config `voting-platform:cloud.kmsKeyArn` is "arn:aws:kms:eu-west-1:210987654321:key/3f1c2a9e-7d4b-4e2a-9c1f-5b8e6d7a0c21"; use a key of account 123456789012 (cloud.accountId)',
    ],
    [
        "a prod Azure cloud without its subscription",
        (r) => {
            r.cloud = { provider: "azure", region: "westeurope", resourceGroup: "voting-prod" };
            r.secrets = { backend: "azure-key-vault", keyVaultUrl: "https://voting-prod.vault.azure.net" };
            existingCluster(r);
        },
        'config `voting-platform:cloud.subscriptionId` is not set; name the Azure subscription id the stack deploys to, e.g. "0b1f6471-1bf0-4dda-aec3-cb9272f09590"; prod refuses to run in any other',
    ],
    [
        "a prod stack with no cluster target, which would use the current kubectl context",
        (r) => {
            existingCluster(r);
            delete r.kubernetes;
        },
        'config `voting-platform:kubernetes` is not set; prod deploys to a named cluster, never the current context of a kubeconfig: set `kubeconfig` (pulumi config set --secret kubeconfig < kubeconfig.yaml) or both `kubernetes.context` and `kubernetes.cluster`, e.g. {"context": "voting-prod", "cluster": "voting-prod"}',
    ],
    [
        "a prod stack naming a context but not its cluster",
        (r) => {
            existingCluster(r);
            r.kubernetes = { context: "voting-prod" };
        },
        'config `voting-platform:kubernetes` is {"context":"voting-prod"}; prod deploys to a named cluster, never the current context of a kubeconfig: set `kubeconfig` (pulumi config set --secret kubeconfig < kubeconfig.yaml) or both `kubernetes.context` and `kubernetes.cluster`, e.g. {"context": "voting-prod", "cluster": "voting-prod"}',
    ],
    [
        "a kubeconfig in plain text, without printing it",
        (r) => {
            existingCluster(r);
            r.kubeconfig = "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    token: S3cr3tT0ken";
        },
        "config `voting-platform:kubeconfig` is a credential (value not shown); it is in plain text: set it with `pulumi config set --secret kubeconfig < kubeconfig.yaml` and remove the plain value",
    ],
    [
        "a password under an unknown key, without printing it",
        (r) => (r.postgresPassword = "S3cr3t!pw"),
        "config `voting-platform:postgresPassword` is a credential (value not shown); remove it or use one of the keys in Pulumi.yaml (environment, cloud, kubernetes, kubeconfig, cluster, kubernetesVersion, cni, images, workloads, corsOrigins, ingress, storage, backup, secrets, rbac, alerting, features, logging, tracing, release, app, canary); a credential is set with `pulumi config set --secret <key>`, never in plain text",
    ],
    [
        "a webhook URL written into an alert receiver, without printing it",
        (r) => (r.alerting.receivers[1].webhookUrl = "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX"),
        "config `voting-platform:alerting.receivers[1].webhookUrl` is a credential (value not shown); remove it; `alerting.receivers[1]` takes name, kind, severities, to; a credential is set with `pulumi config set --secret <key>`, never in plain text",
    ],
    [
        "a URL carrying a password in a plain key, without printing it",
        (r) => (r.ingress.acme.server = "https://admin:S3cr3t@acme.example.com/directory"),
        "config `voting-platform:ingress.acme.server` is what looks like a credential (value not shown); keep credentials out of the stack file; a credential is set with `pulumi config set --secret <key>`, never in plain text",
    ],
    [
        "a plain key set with --secret",
        (r) => (r.cni = new SecretValue(pulumi.secret("calico"))),
        "config `voting-platform:cni` is a secret (value not shown); it holds no credential and is read as plain configuration: set it without --secret",
    ],
    [
        "a Kubernetes version below 1.28",
        (r) => (r.kubernetesVersion = "1.27"),
        'config `voting-platform:kubernetesVersion` is "1.27"; set the cluster\'s minor version, 1.28 or later, e.g. "1.30"',
    ],
    [
        "a prod CNI that does not enforce NetworkPolicy",
        (r) => {
            existingCluster(r);
            r.cni = "flannel";
        },
        'config `voting-platform:cni` is "flannel"; prod needs a CNI that enforces NetworkPolicy (calico, cilium, aws-vpc-cni, azure-npm, gke-dataplane-v2, antrea)',
    ],
    [
        "an unknown CNI",
        (r) => (r.cni = "weave"),
        'config `voting-platform:cni` is "weave"; use one of "calico", "cilium", "aws-vpc-cni", "azure-npm", "gke-dataplane-v2", "antrea", "flannel", "kubenet"',
    ],
    [
        "an image tagged latest",
        (r) => (r.images.api.tag = "latest"),
        'config `voting-platform:images.api.tag` is "latest"; pin a version tag, e.g. "1.4.2"; "latest" changes under you',
    ],
    [
        "a malformed image digest",
        (r) => (r.images.frontend.digest = "sha256:abc"),
        'config `voting-platform:images.frontend.digest` is "sha256:abc"; use "sha256:" and 64 hex digits',
    ],
    [
        "an image without a tag",
        (r) => delete r.images.consumer.tag,
        'config `voting-platform:images.consumer.tag` is not set; pin a version tag, e.g. "1.4.2"',
    ],
    [
        "a wildcard CORS origin in prod",
        (r) => (r.corsOrigins = ["*"]),
        'config `voting-platform:corsOrigins[0]` is "*"; production needs an explicit list, e.g. ["https://voting.example.com"]',
    ],
    [
        "a plain-http CORS origin in prod",
        (r) => (r.corsOrigins = ["http://voting.example.com"]),
        'config `voting-platform:corsOrigins[0]` is "http://voting.example.com"; production origins use https://',
    ],
    [
        "an empty CORS list",
        (r) => (r.corsOrigins = []),
        'config `voting-platform:corsOrigins` is []; set the list of allowed origins, e.g. ["https://voting.example.com"]',
    ],
    [
        "an ingress host that is not a DNS name",
        (r) => (r.ingress.host = "voting_example"),
        'config `voting-platform:ingress.host` is "voting_example"; set a DNS name, e.g. "voting.example.com"',
    ],
    [
        "an ingress without a TLS issuer",
        (r) => delete r.ingress.tlsIssuer,
        'config `voting-platform:ingress.tlsIssuer` is not set; name the cert-manager ClusterIssuer, e.g. "letsencrypt-prod"',
    ],
    [
        "too few prod API replicas",
        (r) => (r.workloads = { api: { replicas: 2 } }),
        "config `voting-platform:workloads.api.replicas` is 2; prod runs at least 3 api replicas (checklist 2.3.1)",
    ],
    [
        "an override for a workload that does not exist",
        (r) => (r.workloads = { worker: { replicas: 2 } }),
        'config `voting-platform:workloads.worker` is {"replicas":2}; name one of frontend, api, consumer, postgres, redis',
    ],
    [
        "a limit below its request",
        (r) => (r.workloads = { api: { limits: { cpu: "100m", memory: "512Mi" } } }),
        'config `voting-platform:workloads.api.limits.cpu` is "100m"; a limit below its request (200m) cannot be scheduled; use at least that',
    ],
    [
        "a malformed memory quantity",
        (r) => (r.workloads = { consumer: { requests: { cpu: "100m", memory: "lots" } } }),
        'config `voting-platform:workloads.consumer.requests.memory` is "lots"; use a memory quantity, e.g. "256Mi"',
    ],
    [
        "two replicas of PostgreSQL",
        (r) => (r.workloads = { postgres: { replicas: 2 } }),
        "config `voting-platform:workloads.postgres.replicas` is 2; the data layer runs one replica",
    ],
    [
        "an invalid backup schedule",
        (r) => (r.backup.schedule = "daily"),
        'config `voting-platform:backup.schedule` is "daily"; use a five-field cron expression, e.g. "0 2 * * *"',
    ],
    [
        "a backup schedule whose minute and hour are out of range",
        (r) => (r.backup.schedule = "61 25 * * *"),
        'config `voting-platform:backup.schedule` is "61 25 * * *"; use a five-field cron expression, e.g. "0 2 * * *"',
    ],
    [
        "a backup schedule with a descending range and a zero step",
        (r) => (r.backup.schedule = "*/0 5-2 * * *"),
        'config `voting-platform:backup.schedule` is "*/0 5-2 * * *"; use a five-field cron expression, e.g. "0 2 * * *"',
    ],
    [
        "a CPU limit that overflows (1e400)",
        (r) => (r.workloads = { api: { limits: { cpu: "1e400", memory: "512Mi" } } }),
        'config `voting-platform:workloads.api.limits.cpu` is "1e400"; use a CPU quantity, e.g. "200m"',
    ],
    [
        "a schedule with a minute Kubernetes refuses",
        (r) => (r.backup.schedule = "60 * * * *"),
        'config `voting-platform:backup.schedule` is "60 * * * *"; use a five-field cron expression, e.g. "0 2 * * *"',
    ],
    [
        "the nightly dump in prod",
        (r) => (r.backup.schedule = "0 2 * * *"),
        'config `voting-platform:backup.schedule` is "0 2 * * *"; it runs up to 1440 minutes apart, and a run may start 5 minutes late and take 15, so a restore could lose up to 1460 minutes, not under `backup.rpoMinutes` (60); schedule it more often, e.g. "*/30 * * * *"',
    ],
    [
        "hourly dumps in prod, which lose up to 80 minutes",
        (r) => (r.backup.schedule = "0 * * * *"),
        'config `voting-platform:backup.schedule` is "0 * * * *"; it runs up to 60 minutes apart, and a run may start 5 minutes late and take 15, so a restore could lose up to 80 minutes, not under `backup.rpoMinutes` (60); schedule it more often, e.g. "*/30 * * * *"',
    ],
    [
        "prod without a recovery point objective",
        (r) => delete r.backup.rpoMinutes,
        "config `voting-platform:backup.rpoMinutes` is not set; production restores lose less than an hour of data (checklist 4.2.4): set 60 or less",
    ],
    [
        "a recovery point objective over an hour in prod",
        (r) => (r.backup.rpoMinutes = 90),
        "config `voting-platform:backup.rpoMinutes` is 90; production restores lose less than an hour of data (checklist 4.2.4): set 60 or less",
    ],
    [
        "a backup retention under 7 days",
        (r) => (r.backup.retentionDays = 3),
        "config `voting-platform:backup.retentionDays` is 3; keep backups 7 days or more, e.g. 7",
    ],
    [
        "Pulumi-held secrets in prod",
        (r) => (r.secrets = { backend: "pulumi" }),
        'config `voting-platform:secrets.backend` is "pulumi"; production never creates Secrets from Pulumi values (checklist 6.1.1); use an External Secrets backend such as "aws-secrets-manager"',
    ],
    [
        "a Vault backend without a server",
        (r) => (r.secrets = { backend: "vault" }),
        'config `voting-platform:secrets.vaultServer` is not set; set the Vault address, e.g. "https://vault.example.com:8200"',
    ],
    [
        "a rotation period over 90 days",
        (r) => (r.secrets.rotationDays = 180),
        "config `voting-platform:secrets.rotationDays` is 180; rotate credentials at least every 90 days (checklist 6.1.3)",
    ],
    [
        "a DEBUG log level in prod",
        (r) => (r.app.logLevel = "DEBUG"),
        'config `voting-platform:app.logLevel` is "DEBUG"; production logs at "INFO" or "WARN"; debug logs may carry request data',
    ],
    [
        "a prod pool under 20 connections",
        (r) => (r.app.dbPoolSize = 10),
        "config `voting-platform:app.dbPoolSize` is 10; production pools at least 20 connections (checklist 5.2.1)",
    ],
    [
        "prod alerts with no P0 receiver",
        (r) => (r.alerting.receivers = [{ name: "team", kind: "slack", severities: ["P2"] }]),
        'config `voting-platform:alerting.receivers` is [{"name":"team","kind":"slack","severities":["P2"]}]; production routes P0 alerts to an on-call receiver (checklist 3.4.2)',
    ],
    [
        "Cilium L7 policies without Cilium",
        (r) => (r.features.ciliumL7Policies = true),
        'config `voting-platform:features.ciliumL7Policies` is true; L7 policies need `cni: cilium` (the stack declares "calico"); turn it off or change the CNI',
    ],
    [
        "a misspelled feature switch",
        (r) => (r.features.verificationJob = true),
        "config `voting-platform:features.verificationJob` is true; remove it; `features` takes verificationJobs, ciliumL7Policies, monitoring, logShipping, tracing, loadTests",
    ],
    [
        "a created cluster whose API endpoint is open to the internet",
        (r) => (r.cluster.authorizedCidrs = ["0.0.0.0/0"]),
        'config `voting-platform:cluster.authorizedCidrs[0]` is "0.0.0.0/0"; the API server is never open to the whole internet; list your own networks',
    ],
    [
        "a created cluster with no endpoint allow-list and no private endpoint",
        (r) => delete r.cluster.authorizedCidrs,
        'config `voting-platform:cluster.authorizedCidrs` is not set; list the networks allowed to reach the API server, e.g. ["203.0.113.0/24"], or set `cluster.privateEndpoint: true`',
    ],
    [
        "a created EKS cluster on two subnets",
        (r) => r.cluster.subnetIds.pop(),
        'config `voting-platform:cluster.subnetIds` is ["subnet-0a1b2c3d4e5f60001","subnet-0a1b2c3d4e5f60002"]; list three or more private subnets, one per availability zone, e.g. ["subnet-0a1b2c3d", …]',
    ],
    [
        "a node type the sizing does not know",
        (r) => (r.cluster.nodeType = "t3.micro"),
        'config `voting-platform:cluster.nodeType` is "t3.micro"; use one of m6i.large, m6i.xlarge, m6i.2xlarge, m7i.large, m7i.xlarge, m7i.2xlarge, r6i.large, r6i.xlarge (config/nodeTypes.ts)',
    ],
    [
        "a created EKS cluster with a CNI the program cannot enable there",
        (r) => (r.cni = "cilium"),
        'config `voting-platform:cni` is "cilium"; a cluster the program creates on aws enforces NetworkPolicy with calico or aws-vpc-cni; set `cni` to one of them',
    ],
    [
        "a created cluster and a configured cluster target together",
        (r) => (r.kubernetes = { context: "voting-prod", cluster: "voting-prod" }),
        'config `voting-platform:kubernetes` is {"context":"voting-prod","cluster":"voting-prod"}; the program creates the cluster (`cluster.create: true`) and deploys through the cluster\'s own kubeconfig; remove it',
    ],
    [
        "a backup identity beside a created cluster, which makes its own",
        (r) => (r.backup.identity = "arn:aws:iam::123456789012:role/voting-prod-backup"),
        'config `voting-platform:backup.identity` is "arn:aws:iam::123456789012:role/voting-prod-backup"; a created cluster comes with the backup Jobs\' identity; remove `backup.identity` or set `cluster.create: false`',
    ],
    [
        "a secret manager of another cloud",
        (r) => (r.secrets.backend = "gcp-secret-manager"),
        'config `voting-platform:secrets.backend` is "gcp-secret-manager"; the stack runs on aws, whose secret manager the program creates the credentials in; use "aws-secrets-manager" or "vault"',
    ],
    [
        "an Azure backup replica outside the region's pair",
        (r) => {
            r.cloud = {
                provider: "azure",
                region: "westeurope",
                backupReplicaRegion: "eastus",
                resourceGroup: "voting-prod",
                subscriptionId: "0b1f6471-1bf0-4dda-aec3-cb9272f09590",
            };
            r.secrets = { backend: "azure-key-vault", keyVaultUrl: "https://voting-prod.vault.azure.net" };
            existingCluster(r);
        },
        'config `voting-platform:cloud.backupReplicaRegion` is "eastus"; geo-redundant storage replicates westeurope to its pair; use "northeurope"',
    ],
    [
        "an unknown top-level key",
        (r) => (r.replicaCount = 3),
        "config `voting-platform:replicaCount` is 3; remove it or use one of the keys in Pulumi.yaml (environment, cloud, kubernetes, kubeconfig, cluster, kubernetesVersion, cni, images, workloads, corsOrigins, ingress, storage, backup, secrets, rbac, alerting, features, logging, tracing, release, app, canary)",
    ],
    [
        "application logs kept under 30 days",
        (r) => (r.logging.appRetentionDays = 14),
        "config `voting-platform:logging.appRetentionDays` is 14; keep application logs 30 days or more (checklist 3.1.2)",
    ],
    [
        "audit events kept under 90 days",
        (r) => (r.logging.auditRetentionDays = 30),
        "config `voting-platform:logging.auditRetentionDays` is 30; keep audit events 90 days or more (checklist 6.4.2)",
    ],
    [
        "tracing without an endpoint",
        (r) => delete r.tracing.endpoint,
        'config `voting-platform:tracing.endpoint` is not set; give the OTLP gRPC address of the tracing backend, e.g. "tempo.monitoring.svc.cluster.local:4317"',
    ],
    [
        "a prod trace sample ratio above 10%",
        (r) => (r.tracing.sampleRatio = 0.5),
        "config `voting-platform:tracing.sampleRatio` is 0.5; production samples at most 10% of traces (checklist 3.3.1); use 0.1",
    ],
    [
        "a trace sample ratio of 0",
        (r) => (r.tracing.sampleRatio = 0),
        "config `voting-platform:tracing.sampleRatio` is 0; use a ratio above 0 and at most 1, e.g. 0.1",
    ],
    [
        "an email receiver without an address",
        (r) => r.alerting.receivers.push({ name: "mail", kind: "email", severities: ["P2"] }),
        'config `voting-platform:alerting.receivers[2].to` is not set; give the address alerts are mailed to, e.g. "oncall@example.com"',
    ],
    [
        "an address on a receiver that is not email",
        (r) => (r.alerting.receivers[0].to = "oncall@example.com"),
        'config `voting-platform:alerting.receivers[0].to` is "oncall@example.com"; remove it; only email receivers take an address',
    ],
    [
        "an image tag for the curl image that floats",
        (r) => (r.images.curl = { repository: "docker.io/curlimages/curl", tag: "latest" }),
        'config `voting-platform:images.curl.tag` is "latest"; pin a version tag, e.g. "1.4.2"; "latest" changes under you',
    ],
    [
        "a storage size under 1Gi",
        (r) => (r.storage.postgresSize = "500Mi"),
        'config `voting-platform:storage.postgresSize` is "500Mi"; use a size of 1Gi or more, e.g. "20Gi"',
    ],
    [
        "an RBAC group in the system: namespace",
        (r) => (r.rbac.sreGroup = "system:masters"),
        'config `voting-platform:rbac.sreGroup` is "system:masters"; name the identity-provider group bound to the role',
    ],
];

describe("config validation", () => {
    it("accepts the committed prod and staging stack configs", () => {
        for (const stack of ["prod", "staging"]) {
            const cfg = loadStackConfig(stack);
            const raw = Object.fromEntries(Object.entries(cfg.values).map(([k, v]) => [k.replace(/^voting-platform:/, ""), decodeConfigValue(v)]));
            const parsed = validateConfig(raw, "voting-platform", stack);
            assert.strictEqual(parsed.environment, stack);
        }
    });

    for (const [what, change, message] of CASES) {
        it(`refuses ${what}, naming the key, the value and the fix`, () => {
            assert.deepStrictEqual(problemsFor(change), [message]);
        });
    }

    it("reports every bad value at once rather than the first", () => {
        const problems = problemsFor((r) => {
            r.environment = "qa";
            r.images.api.tag = "latest";
            r.backup.retentionDays = 1;
        });
        assert.strictEqual(problems.length, 3);
        assert.match(new ConfigError(problems).message, /^3 problems in the stack config:\n  - config `voting-platform:environment`/);
    });

    it("never prints a credential, wherever the stack file puts one", () => {
        const canary = "c4n4ry-S3cr3t";
        const problems = problemsFor((r) => {
            existingCluster(r);
            r.postgresPassword = canary;
            r.registryToken = { token: canary };
            r.kubeconfig = `apiVersion: v1\nusers:\n- user: {token: ${canary}}`;
            r.ingress.apiKey = canary;
            r.alerting.receivers = [{ name: "oncall", kind: "webhook", severities: ["P1"], url: `https://hooks.slack.com/services/${canary}` }];
            r.images.api.tag = `https://admin:${canary}@registry.example.com`;
            r.backup.identity = `-----BEGIN RSA PRIVATE KEY-----${canary}`;
        });
        assert.strictEqual(problems.length, 8, problems.join("\n"));
        assert.deepStrictEqual(
            problems.filter((p) => p.includes(canary)),
            [],
        );
        assert.ok(problems.every((p) => !p.includes("(value not shown)") || p.includes("--secret")));
    });

    it("lets staging use Pulumi-held secrets, a wildcard CORS origin and a smaller pool", () => {
        const raw = structuredClone(prodRaw());
        Object.assign(raw, { environment: "staging", secrets: { backend: "pulumi" }, corsOrigins: ["*"], app: { dbPoolSize: 5 } });
        const cfg = validateConfig(raw, "voting-platform", "staging");
        assert.deepStrictEqual([cfg.secrets.backend, cfg.corsOrigins, cfg.app.dbPoolSize], ["pulumi", ["*"], 5]);
    });

    it("types each cloud as its own shape", () => {
        const raw = {
            ...prodRaw(),
            cloud: { provider: "gcp", region: "europe-west1", project: "voting-prod-1234" },
            cluster: { create: false },
            kubernetes: { context: "voting-prod", cluster: "voting-prod" },
            secrets: { backend: "gcp-secret-manager" },
        };
        assert.deepStrictEqual(validateConfig(raw, "voting-platform", "prod").cloud, {
            provider: "gcp",
            region: "europe-west1",
            backupReplicaRegion: undefined,
            project: "voting-prod-1234",
        });
    });

    it("accepts each numeric bound exactly, and refuses the value just past it", () => {
        const key = (k: string, v: unknown, fix: string) => `config \`voting-platform:${k}\` is ${JSON.stringify(v)}; ${fix}`;
        const cases: [string, (r: Record<string, any>, v: unknown) => void, unknown, unknown, string][] = [
            ["backup.retentionDays", (r, v) => (r.backup.retentionDays = v), 7, 6, "keep backups 7 days or more, e.g. 7"],
            ["backup.retentionDays", (r, v) => (r.backup.retentionDays = v), 3650, 3651, "keep backups 7 days or more, e.g. 7"],
            ["secrets.rotationDays", (r, v) => (r.secrets.rotationDays = v), 90, 91, "rotate credentials at least every 90 days (checklist 6.1.3)"],
            ["secrets.rotationDays", (r, v) => (r.secrets.rotationDays = v), 1, 0, "rotate credentials at least every 90 days (checklist 6.1.3)"],
            ["app.dbPoolSize", (r, v) => (r.app.dbPoolSize = v), 20, 19, "production pools at least 20 connections (checklist 5.2.1)"],
            ["app.dbPoolSize", (r, v) => (r.app.dbPoolSize = v), 200, 201, "set the API's connection pool size, e.g. 20"],
            ["ingress.rateLimitRps", (r, v) => (r.ingress.rateLimitRps = v), 1, 0, "set requests per second per client, e.g. 20"],
            ["ingress.rateLimitRps", (r, v) => (r.ingress.rateLimitRps = v), 100000, 100001, "set requests per second per client, e.g. 20"],
            ["storage.postgresSize", (r, v) => (r.storage.postgresSize = v), "1Gi", "1023Mi", 'use a size of 1Gi or more, e.g. "20Gi"'],
            ["workloads.api.maxReplicas", (r, v) => (r.workloads = { api: { maxReplicas: v } }), 100, 101, "set 1 to 100 replicas"],
            [
                "workloads.consumer.replicas",
                (r, v) => (r.workloads = { consumer: { replicas: v } }),
                2,
                1,
                "prod runs at least 2 consumer replicas (checklist 2.3.1)",
            ],
            [
                "workloads.api.requests.memory",
                (r, v) => (r.workloads = { api: { requests: { cpu: "1m", memory: v } } }),
                "1Mi",
                "1023Ki",
                'use a memory quantity, e.g. "256Mi"',
            ],
            [
                "workloads.api.requests.cpu",
                (r, v) => (r.workloads = { api: { requests: { cpu: v, memory: "1Mi" } } }),
                "1m",
                "0",
                'use a CPU quantity, e.g. "200m"',
            ],
            [
                "kubernetesVersion",
                (r, v) => (r.kubernetesVersion = v),
                "1.28",
                "1.27",
                'set the cluster\'s minor version, 1.28 or later, e.g. "1.30"',
            ],
        ];
        for (const [k, set, ok, bad, fix] of cases) {
            assert.deepStrictEqual(
                problemsFor((r) => set(r, ok)),
                [],
                `${k} = ${JSON.stringify(ok)}`,
            );
            assert.deepStrictEqual(
                problemsFor((r) => set(r, bad)),
                [key(k, bad, fix)],
                `${k} = ${JSON.stringify(bad)}`,
            );
        }
    });

    it("reads a whole number written as a string, and refuses a fraction", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.backup.retentionDays = "14")),
            [],
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.backup.retentionDays = 7.5)),
            ["config `voting-platform:backup.retentionDays` is 7.5; keep backups 7 days or more, e.g. 7"],
        );
    });

    it("accepts each pattern at its edges, and refuses the value just outside, naming the key and the value", () => {
        const label = (n: number) => "a".repeat(n);
        const hex = (n: number) => "0".repeat(n);
        const cases: [string, (r: Record<string, any>, v: unknown) => void, unknown[], unknown[]][] = [
            [
                "ingress.host",
                (r, v) => (r.ingress.host = v),
                ["a.b", `${label(63)}.example.com`, "a-1.example.com"],
                ["voting", "Voting.example.com", "-a.example.com", "a..example.com", `${label(64)}.example.com`],
            ],
            ["images.api.tag", (r, v) => (r.images.api.tag = v), ["1", "v1.2_3-x", `a${label(127)}`], ["", ".1", `a${label(128)}`, "1 2"]],
            [
                "images.api.digest",
                (r, v) => (r.images.api.digest = v),
                [`sha256:${hex(64)}`],
                [`sha256:${hex(63)}`, `sha256:${"A".repeat(64)}`, `sha512:${hex(64)}`],
            ],
            ["images.api.repository", (r, v) => (r.images.api.repository = v), ["voting/api", "a.b_c-d/e"], ["Voting/api", "voting api"]],
            [
                "backup.schedule",
                (r, v) => (r.backup.schedule = v),
                ["*/15 * * * *", "0,30 * * * *", "*/30 0-23/1 * * 0-6"],
                ["0 2 * *", "0 2 * * * *", "@daily", "0 2 * * MON"],
            ],
            ["secrets.refreshInterval", (r, v) => (r.secrets.refreshInterval = v), ["1h", "1h30m", "45s"], ["1d", "h", "1 h"]],
            ["app.requestSizeLimit", (r, v) => (r.app.requestSizeLimit = v), ["1m", "10K", "100", "2g"], ["1mb", "1.5m", "m"]],
            ["release", (r, v) => (r.release = v), ["a", "3f1c2a9", label(64), "v1.2_3-x"], [label(65), "a b", ""]],
            ["cloud.region", (r, v) => (r.cloud.region = v), ["eu-west-1"], ["EU-WEST-1", "eu west 1"]],
            ["cloud.accountId", (r, v) => (r.cloud.accountId = v), ["123456789012"], ["1234567890123", "x123456789012", "12345678901"]],
            [
                "tracing.endpoint",
                (r, v) => (r.tracing.endpoint = v),
                ["tempo.monitoring.svc.cluster.local:4317", "otel:1"],
                ["http://tempo:4317", "tempo:4317/v1", "tempo:123456", "tempo"],
            ],
            [
                "images.registry",
                (r, v) => (r.images.registry = v),
                ["ghcr.io", "registry.example.com:5000/team/sub_1", "a.b/c"],
                ["https://ghcr.io", "ghcr.io/team/", "ghcr.io:x/team", "ghcr.io:/team", "ghcr.io/Team"],
            ],
            [
                "cluster.subnetIds",
                (r, v) => (r.cluster.subnetIds = v),
                [["subnet-0a1b2c3d", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"]],
                [
                    ["subnet-0a1b2c3d", "subnet-0a1b2c3d", "subnet-0a1b2c3d4e5f60003"],
                    ["subnet-0a1b2c3d", "xsubnet-0a1b2c3d", "subnet-0a1b2c3d4e5f60003"],
                    ["subnet-0a1b2c3d", "subnet-0a1b2c3dx", "subnet-0a1b2c3d4e5f60003"],
                    ["subnet-0a1b2c3", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"],
                ],
            ],
            ["cluster.authorizedCidrs", (r, v) => (r.cluster.authorizedCidrs = v), [["10.0.0.1/32", "255.255.255.0/24", "203.0.113.0/24"]], [[]]],
            [
                "cluster.authorizedCidrs[0]",
                (r, v) => (r.cluster.authorizedCidrs = [v]),
                [],
                ["10.0.0.0/33", "256.0.0.0/8", "10.300.0.0/16", "10.0.0.0", 10],
            ],
        ];
        for (const [key, set, good, bad] of cases) {
            for (const v of good)
                assert.deepStrictEqual(
                    problemsFor((r) => set(r, v)),
                    [],
                    `${key} = ${JSON.stringify(v)}`,
                );
            for (const v of bad) {
                const problems = problemsFor((r) => set(r, v));
                assert.strictEqual(problems.length, 1, `${key} = ${JSON.stringify(v)}: ${problems.join(" | ")}`);
                assert.ok(problems[0].startsWith(`config \`voting-platform:${key}\` is ${JSON.stringify(v)}; `), problems[0]);
            }
        }
    });
});

describe("config validation of the API canary", () => {
    const DIGEST = "sha256:" + "c".repeat(64);
    const canaryOf = (raw: Record<string, unknown>) => validateConfig(raw, "voting-platform", "prod").canary;

    it("reads no canary when the key is unset, as in both committed stacks", () => {
        for (const stack of ["prod", "staging"]) {
            const cfg = loadStackConfig(stack);
            assert.strictEqual(cfg.values["voting-platform:canary"], undefined, stack);
        }
        assert.strictEqual(canaryOf(prodRaw()), undefined);
    });

    it("reads the canary as the API's repository at its tag and digest, at weight 10, its autoscaler from prod's API minimum of three", () => {
        assert.deepStrictEqual(canaryOf({ ...prodRaw(), canary: { tag: "0.6.0", digest: DIGEST } }), {
            image: { repository: "voting/api", tag: "0.6.0", digest: DIGEST },
            replicas: 3,
            weight: 10,
        });
    });

    it("starts the canary's autoscaler from the API's minimum at every step of a release, 0, 10, 50 and 100", () => {
        assert.deepStrictEqual(
            [0, ...CANARY_WEIGHT_STEPS].map((weight) => canaryOf({ ...prodRaw(), canary: { tag: "0.6.0", digest: DIGEST, weight } })!.replicas),
            [3, 3, 3, 3],
        );
    });

    it("accepts a weight between the steps, and reads one written as a string as pulumi config set does", () => {
        assert.strictEqual(canaryOf({ ...prodRaw(), canary: { tag: "0.6.0", digest: DIGEST, weight: "25" } })!.weight, 25);
    });

    for (const weight of [101, -1, 12.5, "half", true]) {
        it(`refuses canary weight ${JSON.stringify(weight)}, naming the whole percents and the steps`, () => {
            assert.deepStrictEqual(
                problemsFor((r) => (r.canary = { tag: "0.6.0", digest: DIGEST, weight })),
                [
                    `config \`voting-platform:canary.weight\` is ${JSON.stringify(weight)}; use a whole percent from 0 to 100 of the API's requests; a release steps through 10, 50, 100, and 0 stops sending it any`,
                ],
            );
        });
    }

    it("refuses canary replicas below the API's minimum of three", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.canary = { tag: "0.6.0", digest: DIGEST, weight: 10, replicas: 2 })),
            [
                "config `voting-platform:canary.replicas` is 2; use 3 to 9: the canary's autoscaler keeps at least the API's minimum of 3 replicas (workloads.api.replicas) and grows up to the API's maximum of 10 (workloads.api.maxReplicas)",
            ],
        );
    });

    it("refuses canary replicas at the API's maximum of ten, where its autoscaler could not grow", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.canary = { tag: "0.6.0", digest: DIGEST, weight: 100, replicas: 10 })),
            [
                "config `voting-platform:canary.replicas` is 10; use 3 to 9: the canary's autoscaler keeps at least the API's minimum of 3 replicas (workloads.api.replicas) and grows up to the API's maximum of 10 (workloads.api.maxReplicas)",
            ],
        );
    });

    it("bounds the canary by the API's replicas as the stack overrides them", () => {
        const raw = { ...prodRaw(), workloads: { api: { replicas: 5 } }, canary: { tag: "0.6.0", digest: DIGEST, weight: 50 } };
        assert.strictEqual(canaryOf(raw)!.replicas, 5);
        assert.deepStrictEqual(
            problemsFor((r) => {
                r.workloads = { api: { replicas: 5 } };
                r.canary = { tag: "0.6.0", digest: DIGEST, weight: 50, replicas: 3 };
            }),
            [
                "config `voting-platform:canary.replicas` is 3; use 5 to 9: the canary's autoscaler keeps at least the API's minimum of 5 replicas (workloads.api.replicas) and grows up to the API's maximum of 10 (workloads.api.maxReplicas)",
            ],
        );
    });

    it("refuses a canary beside an API whose maximum leaves its autoscaler no room, naming the maximum to raise", () => {
        assert.deepStrictEqual(
            problemsFor((r) => {
                r.workloads = { api: { replicas: 3, maxReplicas: 3 } };
                r.canary = { tag: "0.6.0", digest: DIGEST };
            }),
            [
                "config `voting-platform:workloads.api.maxReplicas` is 3; raise it above workloads.api.replicas (3) while a canary is set: its autoscaler grows from the API's minimum up to this maximum",
            ],
        );
    });

    it("gives staging's canary an autoscaler from two, staging's API minimum, up to its maximum of four", () => {
        const staging = { ...prodRaw(), environment: "staging", secrets: { backend: "pulumi" } };
        assert.deepStrictEqual(
            CANARY_WEIGHT_STEPS.map(
                (weight) =>
                    validateConfig({ ...staging, canary: { tag: "0.6.0", digest: DIGEST, weight } }, "voting-platform", "staging").canary!.replicas,
            ),
            [2, 2, 2],
        );
        assert.throws(
            () => validateConfig({ ...staging, canary: { tag: "0.6.0", digest: DIGEST, replicas: 4 } }, "voting-platform", "staging"),
            (e: unknown) =>
                e instanceof ConfigError &&
                e.problems[0] ===
                    "config `voting-platform:canary.replicas` is 4; use 2 to 3: the canary's autoscaler keeps at least the API's minimum of 2 replicas (workloads.api.replicas) and grows up to the API's maximum of 4 (workloads.api.maxReplicas)",
        );
    });

    it("refuses a canary tagged latest", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.canary = { tag: "latest", digest: DIGEST })),
            ['config `voting-platform:canary.tag` is "latest"; pin the version under test, e.g. "1.5.0"; "latest" changes under you'],
        );
    });

    it("refuses a canary without a tag", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.canary = { digest: DIGEST })),
            ['config `voting-platform:canary.tag` is not set; pin the version under test, e.g. "1.5.0"'],
        );
    });

    it("refuses a canary digest that is not sha256 and 64 hex digits", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.canary = { tag: "0.6.0", digest: "sha256:abc" })),
            ['config `voting-platform:canary.digest` is "sha256:abc"; use "sha256:" and 64 hex digits'],
        );
    });

    it("refuses a canary without a digest when the API's image is pinned by one", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.canary = { tag: "0.6.0" })),
            [
                "config `voting-platform:canary.digest` is not set; the API's image is pinned by digest (images.api.digest); pin the canary's the same way",
            ],
        );
    });

    it("refuses a canary key it does not read, such as a repository of its own", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.canary = { tag: "0.6.0", digest: DIGEST, repository: "voting/other" })),
            ['config `voting-platform:canary.repository` is "voting/other"; remove it; `canary` takes tag, digest, replicas, weight'],
        );
    });
});

/** The network of a cluster the program creates. */
function networkOf(cluster: ClusterConfig) {
    assert.ok(cluster.create, "a created cluster");
    return cluster.network;
}

describe("config validation, field by field", () => {
    it("reads true and false written as strings, and refuses any other word", () => {
        assert.deepStrictEqual(
            parsedWith((r) => {
                r.cluster.privateEndpoint = "false";
            }).cluster,
            {
                create: true,
                name: "voting-prod",
                endpoint: { private: false, authorizedCidrs: ["203.0.113.0/24"] },
                nodeType: "m6i.xlarge",
                network: { provider: "aws", subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"] },
            },
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.cluster.privateEndpoint = "no")),
            ['config `voting-platform:cluster.privateEndpoint` is "no"; use true or false'],
        );
    });

    it("refuses a key that must be an object and is a string", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.ingress.acme = "sre@example.com")),
            [
                'config `voting-platform:ingress.acme` is "sre@example.com"; set an object, e.g. {"email": "sre@example.com"}',
                'config `voting-platform:ingress.acme.email` is not set; give the ACME account\'s contact address, e.g. "sre@example.com"',
            ],
        );
    });

    it("reads an ACME account with Let's Encrypt as its default server", () => {
        assert.deepStrictEqual(parsedWith((r) => (r.ingress.acme = { email: "sre@example.com" })).ingress.acme, {
            email: "sre@example.com",
            server: "https://acme-v02.api.letsencrypt.org/directory",
        });
    });

    it("keeps a value that only starts like JSON as the string it is", () => {
        assert.strictEqual(decodeConfigValue("{not json"), "{not json");
        assert.deepStrictEqual(decodeConfigValue(' ["a"] '), ["a"]);
    });

    it("refuses plain-text logs in production", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.app.logFormat = "text")),
            ['config `voting-platform:app.logFormat` is "text"; production logs are structured: use "json"'],
        );
    });

    it("reads a trace sample ratio written as a string", () => {
        assert.strictEqual(parsedWith((r) => (r.tracing.sampleRatio = "0.05")).tracing.sampleRatio, 0.05);
        assert.strictEqual(parsedWith((r) => (r.tracing.sampleRatio = ".05")).tracing.sampleRatio, 0.05);
        assert.strictEqual(
            parsedWith((r) => Object.assign(r, { environment: "staging", tracing: { ...r.tracing, sampleRatio: "1" } }), "staging").tracing
                .sampleRatio,
            1,
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.tracing.sampleRatio = "0.5")),
            ['config `voting-platform:tracing.sampleRatio` is "0.5"; production samples at most 10% of traces (checklist 3.3.1); use 0.1'],
        );
    });

    it("refuses a backup schedule whose worst case reaches the recovery point objective, and accepts one a minute under it", () => {
        // */30 runs 30 minutes apart; a run may start 5 minutes late and take 15: 50 minutes at worst.
        assert.deepStrictEqual(
            problemsFor((r) => (r.backup.rpoMinutes = 50)),
            [
                'config `voting-platform:backup.schedule` is "*/30 * * * *"; it runs up to 30 minutes apart, and a run may start 5 minutes late and take 15, so a restore could lose up to 50 minutes, not under `backup.rpoMinutes` (50); schedule it more often, e.g. "*/30 * * * *"',
            ],
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.backup.rpoMinutes = 51)),
            [],
        );
    });

    it("refuses an allow-list beside a private API endpoint", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.cluster.privateEndpoint = true)),
            [
                'config `voting-platform:cluster.authorizedCidrs` is ["203.0.113.0/24"]; a private endpoint has no public allow-list; remove it or set `cluster.privateEndpoint: false`',
            ],
        );
        assert.deepStrictEqual(
            parsedWith((r) => {
                r.cluster.privateEndpoint = true;
                delete r.cluster.authorizedCidrs;
            }).cluster,
            {
                create: true,
                name: "voting-prod",
                endpoint: { private: true },
                nodeType: "m6i.xlarge",
                network: { provider: "aws", subnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003"] },
            },
        );
    });

    it("reads a created GKE cluster on the default network, and refuses a network name that is not a Kubernetes name", () => {
        const gke = (r: Record<string, any>) => {
            r.cloud = { provider: "gcp", region: "europe-west1", project: "voting-prod-1234" };
            r.secrets.backend = "gcp-secret-manager";
            r.cni = "gke-dataplane-v2";
            r.cluster = { create: true, authorizedCidrs: ["203.0.113.0/24"] };
        };
        assert.deepStrictEqual(parsedWith(gke).cluster, {
            create: true,
            name: "voting-prod",
            endpoint: { private: false, authorizedCidrs: ["203.0.113.0/24"] },
            nodeType: "e2-standard-4",
            network: { provider: "gcp", network: "default", subnetwork: "default" },
        });
        assert.deepStrictEqual(
            networkOf(
                parsedWith((r) => {
                    gke(r);
                    Object.assign(r.cluster, { network: "vpc-1", subnetwork: "europe-1" });
                }).cluster,
            ),
            { provider: "gcp", network: "vpc-1", subnetwork: "europe-1" },
        );
        assert.deepStrictEqual(
            problemsFor((r) => {
                gke(r);
                Object.assign(r.cluster, { network: "VPC", subnetwork: "sub_1" });
            }),
            [
                'config `voting-platform:cluster.network` is "VPC"; name the VPC network, e.g. "default"',
                'config `voting-platform:cluster.subnetwork` is "sub_1"; name the subnetwork in cloud.region, e.g. "default"',
            ],
        );
    });

    it("reads a created AKS cluster with or without a subnet, and refuses a subnet id that is not one", () => {
        const aks = (r: Record<string, any>) => {
            r.cloud = {
                provider: "azure",
                region: "westeurope",
                resourceGroup: "voting-prod",
                subscriptionId: "0b1f6471-1bf0-4dda-aec3-cb9272f09590",
            };
            r.secrets = { backend: "azure-key-vault", keyVaultUrl: "https://voting-prod.vault.azure.net" };
            r.cni = "cilium";
            r.cluster = { create: true, authorizedCidrs: ["203.0.113.0/24"] };
        };
        const subnet = "/subscriptions/0b1f6471/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aks";
        assert.deepStrictEqual(networkOf(parsedWith(aks).cluster), { provider: "azure", subnetId: undefined });
        assert.deepStrictEqual(
            networkOf(
                parsedWith((r) => {
                    aks(r);
                    r.cluster.subnetId = subnet;
                }).cluster,
            ),
            { provider: "azure", subnetId: subnet },
        );
        for (const bad of [
            `x${subnet}`,
            `${subnet}/x`,
            subnet.replace("/0b1f6471/", "//"),
            subnet.replace("/net/", "//"),
            subnet.replace("/vnet/", "//"),
        ]) {
            assert.deepStrictEqual(
                problemsFor((r) => {
                    aks(r);
                    r.cluster.subnetId = bad;
                }),
                [
                    `config \`voting-platform:cluster.subnetId\` is ${JSON.stringify(bad)}; use the subnet's resource id, "/subscriptions/…/subnets/<name>"`,
                ],
                bad,
            );
        }
    });

    it("pins the default data and tool images when the stack leaves them out", () => {
        const images = parsedWith((r) => {
            delete r.images.postgres;
            delete r.images.redis;
            delete r.images.rclone;
        }).images;
        assert.deepStrictEqual(
            [images.postgres, images.redis, images.rclone],
            [
                { repository: "docker.io/library/postgres", tag: "16.4-bookworm", digest: undefined },
                { repository: "docker.io/library/redis", tag: "7.4.1-bookworm", digest: undefined },
                { repository: "docker.io/rclone/rclone", tag: "1.68.2", digest: undefined },
            ],
        );
    });

    it("refuses a maximum under the replicas, and a second replica of redis", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.workloads = { api: { replicas: 5, maxReplicas: 4 } })),
            ["config `voting-platform:workloads.api.maxReplicas` is 4; set it at or above replicas (5)"],
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.workloads = { redis: { replicas: 2 } })),
            ["config `voting-platform:workloads.redis.replicas` is 2; the data layer runs one replica"],
        );
    });

    it("accepts limits equal to the requests, and refuses a memory limit under its request", () => {
        const pair = { cpu: "1", memory: "1Gi" };
        assert.deepStrictEqual(
            problemsFor((r) => (r.workloads = { api: { requests: pair, limits: pair } })),
            [],
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.workloads = { api: { requests: pair, limits: { cpu: "2", memory: "512Mi" } } })),
            [
                'config `voting-platform:workloads.api.limits.memory` is "512Mi"; a limit below its request (1Gi) cannot be scheduled; use at least that',
            ],
        );
    });

    it("reads a Vault backend at an https address, and refuses one over plain HTTP", () => {
        const secrets = parsedWith((r) => (r.secrets = { backend: "vault", vaultServer: "https://vault.example.com:8200" })).secrets;
        assert.deepStrictEqual(secrets, { backend: "vault", refreshInterval: "1h", rotationDays: 90, vaultServer: "https://vault.example.com:8200" });
        assert.deepStrictEqual(
            problemsFor((r) => (r.secrets = { backend: "vault", vaultServer: "http://vault.example.com:8200" })),
            [
                'config `voting-platform:secrets.vaultServer` is "http://vault.example.com:8200"; set the Vault address, e.g. "https://vault.example.com:8200"',
            ],
        );
    });

    it("refuses receivers that are not a list, and a receiver with no severities", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.alerting.receivers = { name: "oncall" })),
            [
                'config `voting-platform:alerting.receivers` is {"name":"oncall"}; set a list, e.g. [{"name": "oncall", "kind": "pagerduty", "severities": ["P0"]}]',
            ],
        );
        assert.deepStrictEqual(
            problemsFor((r) => r.alerting.receivers.push({ name: "quiet", kind: "pagerduty", severities: [] })),
            ['config `voting-platform:alerting.receivers[2].severities` is []; list the severities it receives, e.g. ["P0", "P1"]'],
        );
    });

    it("reads an email receiver's address, and refuses one that is not a single address", () => {
        const mail = (to: string) => (r: Record<string, any>) => r.alerting.receivers.push({ name: "mail", kind: "email", severities: ["P2"], to });
        assert.deepStrictEqual(parsedWith(mail("oncall@example.com")).alerting.receivers[2], {
            name: "mail",
            kind: "email",
            severities: ["P2"],
            to: "oncall@example.com",
        });
        for (const bad of ["a b@example.com", "oncall@example.com x", "oncall@example", "@example.com", "oncall@.com", "oncall@example."]) {
            assert.deepStrictEqual(
                problemsFor(mail(bad)),
                [
                    `config \`voting-platform:alerting.receivers[2].to\` is ${JSON.stringify(bad)}; give the address alerts are mailed to, e.g. "oncall@example.com"`,
                ],
                bad,
            );
        }
    });

    it("refuses a key no object of the config reads, naming the keys it does", () => {
        const cases: [string, (r: Record<string, any>) => void, string][] = [
            [
                "alerting",
                (r) => (r.alerting.reciever = "oncall"),
                'config `voting-platform:alerting.reciever` is "oncall"; remove it; `alerting` takes receivers',
            ],
            [
                "rbac",
                (r) => (r.rbac.extra = 1),
                "config `voting-platform:rbac.extra` is 1; remove it; `rbac` takes developerGroup, sreGroup, deployerServiceAccount",
            ],
            [
                "app",
                (r) => (r.app.extra = 1),
                "config `voting-platform:app.extra` is 1; remove it; `app` takes logLevel, logFormat, dbPoolSize, requestSizeLimit",
            ],
            [
                "logging",
                (r) => (r.logging.extra = 1),
                "config `voting-platform:logging.extra` is 1; remove it; `logging` takes appRetentionDays, auditRetentionDays, identity",
            ],
            [
                "tracing",
                (r) => (r.tracing.extra = 1),
                "config `voting-platform:tracing.extra` is 1; remove it; `tracing` takes endpoint, sampleRatio",
            ],
            [
                "cloud",
                (r) => (r.cloud.extra = 1),
                "config `voting-platform:cloud.extra` is 1; remove it; `cloud` takes provider, region, backupReplicaRegion, kmsKeyArn, accountId",
            ],
            [
                "images",
                (r) => (r.images.extra = 1),
                "config `voting-platform:images.extra` is 1; remove it; `images` takes registry, pullSecret, frontend, api, consumer, postgres, redis, rclone, curl, k6, otelCollector",
            ],
            [
                "cluster",
                (r) => (r.cluster.extra = 1),
                "config `voting-platform:cluster.extra` is 1; remove it; `cluster` takes create, name, privateEndpoint, authorizedCidrs, nodeType, subnetIds",
            ],
            [
                "backup",
                (r) => (r.backup.extra = 1),
                "config `voting-platform:backup.extra` is 1; remove it; `backup` takes schedule, retentionDays, rpoMinutes, identity",
            ],
            [
                "secrets",
                (r) => (r.secrets.extra = 1),
                "config `voting-platform:secrets.extra` is 1; remove it; `secrets` takes backend, refreshInterval, rotationDays, keyVaultUrl",
            ],
            [
                "ingress.acme",
                (r) => (r.ingress.acme = { email: "sre@example.com", extra: 1 }),
                "config `voting-platform:ingress.acme.extra` is 1; remove it; `ingress.acme` takes email, server",
            ],
            [
                "workloads.api",
                (r) => (r.workloads = { api: { extra: 1 } }),
                "config `voting-platform:workloads.api.extra` is 1; remove it; `workloads.api` takes replicas, maxReplicas, requests, limits",
            ],
        ];
        for (const [what, change, message] of cases) assert.deepStrictEqual(problemsFor(change), [message], what);
    });

    it("refuses an object key set to a string, with an example of the object", () => {
        const cases: [string, (r: Record<string, any>) => void, string][] = [
            [
                "rbac",
                (r) => (r.rbac = "x"),
                'config `voting-platform:rbac` is "x"; set an object, e.g. {"developerGroup":"voting-developers","sreGroup":"voting-sre","deployerServiceAccount":"voting-deployer"}',
            ],
            [
                "app",
                (r) => (r.app = "x"),
                'config `voting-platform:app` is "x"; set an object, e.g. {"logLevel":"INFO","logFormat":"json","dbPoolSize":20,"requestSizeLimit":"1m"}',
            ],
            [
                "logging",
                (r) => (r.logging = "x"),
                'config `voting-platform:logging` is "x"; set an object, e.g. {"appRetentionDays":30,"auditRetentionDays":90}',
            ],
            [
                "kubernetes",
                (r) => (r.kubernetes = "x"),
                'config `voting-platform:kubernetes` is "x"; set an object, e.g. {"context": "voting-prod", "cluster": "voting-prod"}',
            ],
            ["workloads", (r) => (r.workloads = "x"), 'config `voting-platform:workloads` is "x"; set an object, e.g. {"api": {"replicas": 4}}'],
            [
                "workloads.api",
                (r) => (r.workloads = { api: "x" }),
                'config `voting-platform:workloads.api` is "x"; set an object, e.g. {"replicas": 3}',
            ],
        ];
        for (const [what, change, message] of cases) assert.deepStrictEqual(problemsFor(change), [message], what);
        assert.deepStrictEqual(
            problemsFor((r) => (r.workloads = { api: { requests: "x" } }))[0],
            'config `voting-platform:workloads.api.requests` is "x"; set an object, e.g. {"cpu": "200m", "memory": "256Mi"}',
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.images.api = "x"))[0],
            'config `voting-platform:images.api` is "x"; set an object, e.g. {"repository": "voting/api", "tag": "1.4.2"}',
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.cloud = "x"))[0],
            'config `voting-platform:cloud` is "x"; set an object, e.g. {"provider": "aws", "region": "eu-west-1"}',
        );
    });

    it("refuses a rate limit of true, which is not a number", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.ingress.rateLimitRps = true)),
            ["config `voting-platform:ingress.rateLimitRps` is true; set requests per second per client, e.g. 20"],
        );
    });

    it("takes a cloud identity of four characters or more, and refuses three or blanks", () => {
        const existing = (identity: string) => (r: Record<string, any>) => {
            existingCluster(r);
            r.backup.identity = identity;
        };
        assert.deepStrictEqual(problemsFor(existing("abcd")), []);
        for (const bad of ["abc", "    "]) {
            assert.deepStrictEqual(problemsFor(existing(bad)), [
                `config \`voting-platform:backup.identity\` is ${JSON.stringify(bad)}; name the cloud identity, e.g. "arn:aws:iam::123456789012:role/voting-backup"`,
            ]);
        }
        assert.deepStrictEqual(
            problemsFor((r) => {
                existingCluster(r);
                r.logging.identity = "abc";
            }),
            ['config `voting-platform:logging.identity` is "abc"; name the cloud identity, e.g. "arn:aws:iam::123456789012:role/voting-logs"'],
        );
    });

    it("names the secret manager of the stack's own cloud when the backend is another cloud's", () => {
        assert.deepStrictEqual(
            problemsFor((r) => {
                existingCluster(r);
                r.cloud = { provider: "gcp", region: "europe-west1", project: "voting-prod-1234" };
                r.secrets = { backend: "azure-key-vault", keyVaultUrl: "https://voting-prod.vault.azure.net" };
            }),
            [
                'config `voting-platform:secrets.backend` is "azure-key-vault"; the stack runs on gcp, whose secret manager the program creates the credentials in; use "gcp-secret-manager" or "vault"',
            ],
        );
    });

    it("reads an Azure Key Vault URL with or without its trailing slash, and nothing around it", () => {
        const vault = (url: string) => (r: Record<string, any>) => {
            existingCluster(r);
            r.cloud = {
                provider: "azure",
                region: "westeurope",
                resourceGroup: "voting-prod",
                subscriptionId: "0b1f6471-1bf0-4dda-aec3-cb9272f09590",
            };
            r.secrets = { backend: "azure-key-vault", keyVaultUrl: url };
        };
        assert.deepStrictEqual(parsedWith(vault("https://voting-prod.vault.azure.net/")).secrets, {
            backend: "azure-key-vault",
            refreshInterval: "1h",
            rotationDays: 90,
            keyVaultUrl: "https://voting-prod.vault.azure.net/",
        });
        for (const bad of ["xhttps://voting-prod.vault.azure.net", "https://voting-prod.vault.azure.net/x"]) {
            assert.deepStrictEqual(problemsFor(vault(bad)), [
                `config \`voting-platform:secrets.keyVaultUrl\` is ${JSON.stringify(bad)}; set the vault URL, e.g. "https://voting-prod.vault.azure.net"`,
            ]);
        }
    });

    it("refuses a kubeconfig context or cluster name with blanks", () => {
        assert.deepStrictEqual(
            problemsFor((r) => {
                existingCluster(r);
                r.kubernetes = { context: " voting-prod", cluster: "voting-prod " };
            }),
            [
                'config `voting-platform:kubernetes.context` is " voting-prod"; name a context of the kubeconfig, e.g. "voting-prod"',
                'config `voting-platform:kubernetes.cluster` is "voting-prod "; name a cluster of the kubeconfig, e.g. "voting-prod"',
            ],
        );
    });

    it("reads cluster.create written as the string true, and refuses a target beside it", () => {
        assert.deepStrictEqual(
            problemsFor((r) => {
                r.cluster.create = "true";
                r.kubernetes = { context: "voting-prod", cluster: "voting-prod" };
            }),
            [
                'config `voting-platform:kubernetes` is {"context":"voting-prod","cluster":"voting-prod"}; the program creates the cluster (`cluster.create: true`) and deploys through the cluster\'s own kubeconfig; remove it',
            ],
        );
    });

    it("joins several problems into one message, one line each", () => {
        const e = new ConfigError(["first", "second"]);
        assert.strictEqual(e.message, "2 problems in the stack config:\n  - first\n  - second");
        assert.strictEqual(e.name, "ConfigError");
        assert.strictEqual(new ConfigError(["only"]).message, "only");
    });
});
