/**
 * Every stack config key the program reads, with its Pulumi type, description and default.
 * `Pulumi.yaml` declares the same keys (a test keeps the two in step).
 */

export type PulumiConfigType = "string" | "integer" | "boolean" | "array" | "object";

export interface ConfigKeySpec {
    readonly key: string;
    readonly type: PulumiConfigType;
    readonly description: string;
    /** @default undefined: the key is required. */
    readonly default?: unknown;
    /** A credential: only ever set with `pulumi config set --secret`, and read as a secret. */
    readonly secret?: boolean;
}

/** Defaults of the optional keys, in one place. */
export const CONFIG_DEFAULTS = {
    cluster: { create: false },
    kubernetesVersion: "1.30",
    cni: "calico",
    kubernetes: {},
    workloads: {},
    storage: { className: "voting-retain", create: true, postgresSize: "20Gi", redisSize: "5Gi" },
    backup: { schedule: "0 2 * * *", retentionDays: 7 },
    rbac: { developerGroup: "voting-developers", sreGroup: "voting-sre", deployerServiceAccount: "voting-deployer" },
    alerting: { receivers: [] },
    features: {
        verificationJobs: true,
        ciliumL7Policies: false,
        monitoring: true,
        logShipping: false,
        tracing: false,
        loadTests: false,
    },
    logging: { appRetentionDays: 30, auditRetentionDays: 90 },
    tracing: { sampleRatio: 0.1 },
    app: { logLevel: "INFO", logFormat: "json", dbPoolSize: 20, requestSizeLimit: "1m" },
} as const;

export const CONFIG_SCHEMA: readonly ConfigKeySpec[] = [
    {
        key: "environment",
        type: "string",
        description: "Environment this stack deploys: staging or prod. Prod turns on the strictest checks.",
    },
    {
        key: "cloud",
        type: "object",
        description:
            "Cloud the cluster runs on: {provider: aws|gcp|azure, region, backupReplicaRegion?} plus accountId and kmsKeyArn? (aws), project (gcp) or resourceGroup and subscriptionId (azure). Prod needs the account or subscription.",
    },
    {
        key: "kubernetes",
        type: "object",
        description:
            "Cluster to deploy to: {context, cluster?}, a context (and cluster) of the kubeconfig, which `kubeconfig` supplies or else the kubeconfig file of the machine. Prod needs `kubeconfig` or both context and cluster; it never uses the file's current context.",
        default: {},
    },
    {
        key: "kubeconfig",
        type: "string",
        description: "Kubeconfig of the cluster, a secret: pulumi config set --secret kubeconfig < kubeconfig.yaml.",
        secret: true,
    },
    {
        key: "cluster",
        type: "object",
        description:
            "The cluster: {create: false} deploys to the existing cluster `kubernetes` or `kubeconfig` names; {create: true, name?, privateEndpoint? | authorizedCidrs, nodeType?, subnetIds (aws) | network?, subnetwork? (gcp) | subnetId? (azure)} creates EKS, GKE or AKS with encrypted Secrets, audit logs and autoscaling nodes in three zones.",
        default: CONFIG_DEFAULTS.cluster,
    },
    {
        key: "kubernetesVersion",
        type: "string",
        description: "Kubernetes minor version of the cluster, e.g. 1.30; 1.28 or later is required.",
        default: CONFIG_DEFAULTS.kubernetesVersion,
    },
    {
        key: "cni",
        type: "string",
        description:
            "CNI of the cluster: calico, cilium, aws-vpc-cni, azure-npm, gke-dataplane-v2, antrea, flannel or kubenet. Prod needs one that enforces NetworkPolicy.",
        default: CONFIG_DEFAULTS.cni,
    },
    {
        key: "images",
        type: "object",
        description:
            "Images: {registry, pullSecret?, frontend, api, consumer, postgres, redis, rclone, curl, k6, otelCollector}, each image {repository, tag, digest?}. Tags are pinned; `latest` is refused.",
    },
    {
        key: "workloads",
        type: "object",
        description:
            "Per-workload overrides of the checklist defaults: {frontend|api|consumer|postgres|redis: {replicas?, maxReplicas?, requests?: {cpu, memory}, limits?: {cpu, memory}}}.",
        default: CONFIG_DEFAULTS.workloads,
    },
    {
        key: "corsOrigins",
        type: "array",
        description: 'Origins the API accepts cross-origin requests from, e.g. ["https://voting.example.com"]. Prod refuses "*".',
    },
    {
        key: "ingress",
        type: "object",
        description:
            "Public entry point: {host, tlsIssuer (cert-manager ClusterIssuer), className? (default nginx), rateLimitRps? (default 20), acme?: {email, server?} (the program then creates the ClusterIssuer)}.",
    },
    {
        key: "storage",
        type: "object",
        description: "Persistent storage: {className, create (make a Retain StorageClass), postgresSize, redisSize}.",
        default: CONFIG_DEFAULTS.storage,
    },
    {
        key: "backup",
        type: "object",
        description:
            "PostgreSQL backups: {schedule (cron, UTC), retentionDays, rpoMinutes? (recovery point objective; prod needs 60 or less), identity? (cloud identity that writes to the bucket)}.",
        default: CONFIG_DEFAULTS.backup,
    },
    {
        key: "secrets",
        type: "object",
        description:
            "Where credentials live: {backend: pulumi|aws-secrets-manager|gcp-secret-manager|azure-key-vault|vault, refreshInterval?, rotationDays?, vaultServer? (vault), keyVaultUrl? (azure-key-vault)}. Prod needs an external backend.",
    },
    {
        key: "rbac",
        type: "object",
        description: "Access groups: {developerGroup (read-only), sreGroup (full in voting namespaces), deployerServiceAccount (CI/CD)}.",
        default: CONFIG_DEFAULTS.rbac,
    },
    {
        key: "alerting",
        type: "object",
        description:
            "Alert routing: {receivers: [{name, kind: pagerduty|opsgenie|slack|email|webhook, severities: [P0|P1|P2], to? (email)}]}. Credentials (routing keys, webhook URLs) live in the Secret alert-receivers, one key per receiver name.",
        default: CONFIG_DEFAULTS.alerting,
    },
    {
        key: "features",
        type: "object",
        description:
            "Switches: {verificationJobs (post-deploy checks), ciliumL7Policies, monitoring (ServiceMonitors, rules, dashboards, routing), logShipping, tracing, loadTests}.",
        default: CONFIG_DEFAULTS.features,
    },
    {
        key: "logging",
        type: "object",
        description:
            "Log shipping (features.logShipping): {appRetentionDays (30 or more), auditRetentionDays (90 or more), identity? (cloud identity the collector writes logs as)}.",
        default: CONFIG_DEFAULTS.logging,
    },
    {
        key: "tracing",
        type: "object",
        description: "Tracing (features.tracing): {endpoint (OTLP gRPC host:port of Jaeger or Tempo), sampleRatio (0.1 in prod)}.",
        default: CONFIG_DEFAULTS.tracing,
    },
    {
        key: "release",
        type: "string",
        description:
            "Release identifier, e.g. the commit SHA that CI deploys. Post-deploy verification Jobs are named after it, so every release re-runs them; unset, each run of the program is its own release.",
    },
    {
        key: "app",
        type: "object",
        description: "Application settings: {logLevel (INFO in prod), logFormat (json), dbPoolSize, requestSizeLimit (nginx size, 1m)}.",
        default: CONFIG_DEFAULTS.app,
    },
    {
        key: "canary",
        type: "object",
        description:
            "A canary of the API: {tag, digest?, weight? (default 10), replicas?}. Runs the API's repository at this tag as the api-canary Deployment behind the api-canary Service; the frontend sends weight percent (0 to 100; release steps 10, 50, 100) of the /api/ requests to it and the rest to the stable API. replicas: the least pods of the canary's own HPA, which grows it to the API's maximum on the API's CPU and memory targets; from the API's minimum replicas (the default) to one below its maximum. Unset: no canary. Promote by setting images.api to it and removing this key; roll back with weight 0 or by removing it.",
    },
];
