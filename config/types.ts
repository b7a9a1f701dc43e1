/** The typed stack configuration of the voting platform, after validation. */
import type * as pulumi from "@pulumi/pulumi";

export const ENVIRONMENTS = ["staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const WORKLOAD_NAMES = ["frontend", "api", "consumer", "postgres", "redis"] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/**
 * Where the cluster runs; each provider carries what only it needs. The account (AWS) or subscription
 * (Azure) pins the stack's cloud provider to it; prod requires it.
 */
export type CloudConfig =
    | {
          readonly provider: "aws";
          readonly region: string;
          readonly backupReplicaRegion?: string;
          readonly kmsKeyArn?: string;
          readonly accountId?: string;
      }
    | { readonly provider: "gcp"; readonly region: string; readonly backupReplicaRegion?: string; readonly project: string }
    | {
          readonly provider: "azure";
          readonly region: string;
          readonly backupReplicaRegion?: string;
          readonly resourceGroup: string;
          readonly subscriptionId?: string;
      };

/**
 * The cluster a stack deploys to: a kubeconfig held as a Pulumi secret, or a named context (and cluster)
 * of the kubeconfig file on the machine that runs Pulumi. Never the file's current context in prod.
 */
export interface KubernetesTarget {
    /** The `kubeconfig` config value, still a secret. */
    readonly kubeconfig?: pulumi.Output<string>;
    readonly context?: string;
    readonly cluster?: string;
}

/** Who may reach the cluster's API server: only the private network, or listed public CIDRs too. */
export type EndpointAccess = { readonly private: true } | { readonly private: false; readonly authorizedCidrs: readonly string[] };

/** The network a created cluster's nodes join; each cloud names it its own way. */
export type ClusterNetwork =
    /** Private subnets, one in each of three availability zones. */
    | { readonly provider: "aws"; readonly subnetIds: readonly string[] }
    /** A VPC network and its regional subnetwork; GKE adds the secondary ranges for pods and Services. */
    | { readonly provider: "gcp"; readonly network: string; readonly subnetwork: string }
    /** A subnet of an existing virtual network; without one, AKS makes its own. */
    | { readonly provider: "azure"; readonly subnetId?: string };

/**
 * The Kubernetes cluster: an existing one reached through the ambient kubeconfig (`create: false`), or
 * one the program creates on the stack's cloud with its control-plane and node settings.
 */
export type ClusterConfig =
    | { readonly create: false }
    | {
          readonly create: true;
          /** The cloud's name for the cluster; also names its log group, keys and identities. */
          readonly name: string;
          readonly endpoint: EndpointAccess;
          /** Instance type (AWS), machine type (GCP) or VM size (Azure) of the nodes. */
          readonly nodeType: string;
          readonly network: ClusterNetwork;
      };

/** CNIs and whether they enforce NetworkPolicy. */
export const CNIS = {
    calico: true,
    cilium: true,
    "aws-vpc-cni": true,
    "azure-npm": true,
    "gke-dataplane-v2": true,
    antrea: true,
    flannel: false,
    kubenet: false,
} as const;
export type Cni = keyof typeof CNIS;

export interface ImageRef {
    /** Repository below the registry, e.g. `voting/api`; data images may name a full repository. */
    readonly repository: string;
    readonly tag: string;
    /** `sha256:<64 hex>`; when set the image is pulled by digest. */
    readonly digest?: string;
}

export interface ImagesConfig {
    /** Registry host (and path) for the app images, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com`. */
    readonly registry: string;
    /** Name of a `kubernetes.io/dockerconfigjson` Secret present in every namespace, for private registries. */
    readonly pullSecret?: string;
    readonly frontend: ImageRef;
    readonly api: ImageRef;
    readonly consumer: ImageRef;
    readonly postgres: ImageRef;
    readonly redis: ImageRef;
    /** rclone, which uploads backups to object storage. */
    readonly rclone: ImageRef;
    /** curl, which the post-deploy checks use to call the public path. */
    readonly curl: ImageRef;
    /** k6, which runs the load tests. */
    readonly k6: ImageRef;
    /** The OpenTelemetry Collector (contrib), which ships logs and traces. */
    readonly otelCollector: ImageRef;
}

export interface ResourcePair {
    readonly cpu: string;
    readonly memory: string;
}

export interface WorkloadOverride {
    readonly replicas?: number;
    readonly maxReplicas?: number;
    readonly requests?: ResourcePair;
    readonly limits?: ResourcePair;
}

export interface IngressConfig {
    readonly host: string;
    /** cert-manager ClusterIssuer that signs the host's certificate. */
    readonly tlsIssuer: string;
    readonly className: string;
    /** Requests per second allowed per client IP. */
    readonly rateLimitRps: number;
    /** When set, the program creates the ACME ClusterIssuer `tlsIssuer` itself; otherwise it must exist. */
    readonly acme?: { readonly email: string; readonly server: string };
}

export interface StorageConfig {
    readonly className: string;
    /** Create the StorageClass (reclaimPolicy Retain) instead of using an existing one. */
    readonly create: boolean;
    readonly postgresSize: string;
    readonly redisSize: string;
}

export interface BackupConfig {
    readonly schedule: string;
    readonly retentionDays: number;
    /**
     * Recovery point objective in minutes: the most data a restore may lose. The schedule's largest gap
     * plus how late a run may start and how long it may take must stay under it. Prod needs 60 or less.
     */
    readonly rpoMinutes?: number;
    /**
     * Cloud identity the backup Job's ServiceAccount assumes to write to the bucket: an IAM role ARN (AWS),
     * a Google service account email (GCP) or a managed identity client id (Azure).
     */
    readonly identity?: string;
}

export const SECRET_BACKENDS = ["pulumi", "aws-secrets-manager", "gcp-secret-manager", "azure-key-vault", "vault"] as const;
export type SecretBackend = (typeof SECRET_BACKENDS)[number];

export type SecretsConfig =
    | { readonly backend: "pulumi" }
    | {
          readonly backend: "aws-secrets-manager" | "gcp-secret-manager";
          readonly refreshInterval: string;
          readonly rotationDays: number;
      }
    | { readonly backend: "azure-key-vault"; readonly refreshInterval: string; readonly rotationDays: number; readonly keyVaultUrl: string }
    | { readonly backend: "vault"; readonly refreshInterval: string; readonly rotationDays: number; readonly vaultServer: string };

export interface RbacConfig {
    readonly developerGroup: string;
    readonly sreGroup: string;
    readonly deployerServiceAccount: string;
}

export const RECEIVER_KINDS = ["pagerduty", "opsgenie", "slack", "email", "webhook"] as const;
export const SEVERITIES = ["P0", "P1", "P2"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface AlertReceiver {
    readonly name: string;
    readonly kind: (typeof RECEIVER_KINDS)[number];
    readonly severities: readonly Severity[];
    /** Address the email receiver writes to (kind email only); every credential stays in the `alert-receivers` Secret. */
    readonly to?: string;
}

export interface FeaturesConfig {
    /** Post-deploy Jobs that check the live cluster (connectivity matrix, smoke tests). */
    readonly verificationJobs: boolean;
    /** Cilium L7 policies (HTTP method filtering); needs `cni: cilium`. */
    readonly ciliumL7Policies: boolean;
    /** Prometheus-operator ServiceMonitors and PrometheusRules, Grafana dashboards and alert routing. */
    readonly monitoring: boolean;
    /** Ship the apps' logs through the OpenTelemetry Collector to the cloud's log service, with retention. */
    readonly logShipping: boolean;
    /** Export traces through the OpenTelemetry Collector to `tracing.endpoint`. */
    readonly tracing: boolean;
    /** Suspended k6 load-test CronJobs (baseline, ramp, spike, soak), run on demand. */
    readonly loadTests: boolean;
}

export interface LoggingConfig {
    /** Days the cloud's log service keeps application logs (at least 30, checklist 3.1.2). */
    readonly appRetentionDays: number;
    /** Days it keeps audit events, vote submissions and processing (at least 90, checklist 6.4.2). */
    readonly auditRetentionDays: number;
    /** Cloud identity the collector's ServiceAccount assumes to write logs (IAM role ARN, GCP service account). */
    readonly identity?: string;
}

export interface TracingConfig {
    /** OTLP gRPC endpoint of the tracing backend (Jaeger, Tempo), `host:port`. */
    readonly endpoint?: string;
    /** Share of traces kept, 0 < ratio <= 1 (checklist 3.3.1: 0.1 in prod). */
    readonly sampleRatio: number;
}

export const LOG_LEVELS = ["DEBUG", "INFO", "WARN", "ERROR"] as const;

export interface AppConfig {
    readonly logLevel: (typeof LOG_LEVELS)[number];
    readonly logFormat: "json" | "text";
    readonly dbPoolSize: number;
    /** Largest request body the API and the ingress accept, as an nginx size (`1m`). */
    readonly requestSizeLimit: string;
}

/**
 * The steps of a canary release, in percent of the API's requests: a first look at a tenth, half, then
 * all of them before promotion. `canary.weight` takes any whole percent; these are the documented path.
 */
export const CANARY_WEIGHT_STEPS = [10, 50, 100] as const;

/**
 * A canary of the API: pods of a new image beside the stable ones, behind a Service of their own, that the
 * frontend's nginx sends `weight` percent of the /api/ requests to. Unset: no canary.
 */
export interface CanaryConfig {
    /** The API's repository at the canary's tag (and digest). */
    readonly image: ImageRef;
    /**
     * The least pods of the canary's autoscaler, which grows it up to the API's maximum on the API's CPU
     * and memory targets. From the API's minimum replicas to one below its maximum. @default the API's minimum
     */
    readonly replicas: number;
    /** Percent of the /api/ requests sent to the canary, 0 to 100 (steps 10, 50, 100). @default 10 */
    readonly weight: number;
}

export interface PlatformConfig {
    readonly project: string;
    readonly stack: string;
    readonly environment: Environment;
    readonly cloud: CloudConfig;
    readonly kubernetes: KubernetesTarget;
    readonly cluster: ClusterConfig;
    readonly kubernetesVersion: string;
    readonly cni: Cni;
    readonly images: ImagesConfig;
    readonly workloads: Readonly<Partial<Record<WorkloadName, WorkloadOverride>>>;
    readonly corsOrigins: readonly string[];
    readonly ingress: IngressConfig;
    readonly storage: StorageConfig;
    readonly backup: BackupConfig;
    readonly secrets: SecretsConfig;
    readonly rbac: RbacConfig;
    readonly alerting: { readonly receivers: readonly AlertReceiver[] };
    readonly features: FeaturesConfig;
    readonly logging: LoggingConfig;
    readonly tracing: TracingConfig;
    readonly app: AppConfig;
    /** Names this run's post-deploy Jobs; undefined: every run of the program is a release of its own. */
    readonly release?: string;
    readonly canary?: CanaryConfig;
}

/** The settings of a cluster the program creates. */
export type CreatedCluster = Extract<ClusterConfig, { readonly create: true }>;
