import { maxGapMinutes, parseCron } from "../policies/lib/cron";
import { cpuMillis, memoryBytes } from "../policies/lib/quantity";
import { holdsCredential, isCredentialKey, redactCredentials, SecretValue, SET_AS_SECRET } from "./credentials";
import { BACKUP_RUN_LIMITS } from "../components/jobs/postgresBackup";
import { CONFIG_DEFAULTS, CONFIG_SCHEMA } from "./schema";
import {
    CANARY_WEIGHT_STEPS,
    CNIS,
    ENVIRONMENTS,
    LOG_LEVELS,
    RECEIVER_KINDS,
    SECRET_BACKENDS,
    SEVERITIES,
    WORKLOAD_NAMES,
    type AlertReceiver,
    type CanaryConfig,
    type CloudConfig,
    type ClusterConfig,
    type CreatedCluster,
    type Cni,
    type ImageRef,
    type KubernetesTarget,
    type PlatformConfig,
    type ResourcePair,
    type SecretsConfig,
    type WorkloadName,
    type WorkloadOverride,
} from "./types";
import { AZURE_REGION_PAIRS } from "./azureRegions";
import { DEFAULT_NODE_TYPE, NODE_TYPES } from "./nodeTypes";
import { PROD_MIN_DB_POOL_SIZE, resolveWorkload } from "./workloads";

/** Every problem found in a stack's config, one line each; thrown before any resource exists. */
export class ConfigError extends Error {
    constructor(public readonly problems: readonly string[]) {
        super(
            problems.length === 1 ? problems[0] : `${problems.length} problems in the stack config:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        );
        this.name = "ConfigError";
    }
}

type Raw = Record<string, unknown>;

/** How a message shows a value: never a secret or anything that looks like a credential. */
function show(key: string, v: unknown): string {
    if (v === undefined) return "not set";
    if (v instanceof SecretValue) return "a secret (value not shown)";
    if (isCredentialKey(key)) return "a credential (value not shown)";
    if (typeof v === "string" && holdsCredential(v)) return "what looks like a credential (value not shown)";
    return JSON.stringify(redactCredentials(v));
}
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);
const MIN_K8S_MINOR = 28;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
const K8S_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const NGINX_SIZE = /^\d+[kKmMgG]?$/;
const DURATION = /^(\d+(s|m|h))+$/;

/** Reads raw config values and records one problem per bad value. */
class Reader {
    readonly problems: string[] = [];
    constructor(private readonly project: string) {}

    /** Keys reported so far; a top-level key in `silenced` gets no further message. */
    readonly reported = new Set<string>();
    readonly silenced = new Set<string>();

    fail(key: string, value: unknown, fix: string): void {
        if (this.silenced.has(key.split(/[.[]/)[0])) return;
        this.reported.add(key);
        // A value set with --secret is no plain-text credential: the advice to set it so would mislead.
        const credential = value !== undefined && !(value instanceof SecretValue) && (isCredentialKey(key) || holdsCredential(value));
        const advice = credential && !fix.includes("--secret") ? `; ${SET_AS_SECRET}` : "";
        this.problems.push(`config \`${this.project}:${key}\` is ${show(key, value)}; ${fix}${advice}`);
    }

    string(key: string, value: unknown, fix: string, test?: (s: string) => boolean): string {
        if (typeof value !== "string" || value.trim() === "" || (test && !test(value))) {
            this.fail(key, value, fix);
            return "";
        }
        return value;
    }

    oneOf<T extends string>(key: string, value: unknown, allowed: readonly T[]): T {
        if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
            this.fail(key, value, `use one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
            return allowed[0];
        }
        return value as T;
    }

    integer(key: string, value: unknown, min: number, max: number, fix: string): number {
        const n = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
        if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
            this.fail(key, value, fix);
            return min;
        }
        return n;
    }

    boolean(key: string, value: unknown): boolean {
        if (value === true || value === "true") return true;
        if (value === false || value === "false") return false;
        this.fail(key, value, "use true or false");
        return false;
    }

    object(key: string, value: unknown, example: string): Raw {
        if (!isObject(value)) {
            this.fail(key, value, `set an object, e.g. ${example}`);
            return {};
        }
        return value;
    }

    /** Flags keys the program does not read, which are almost always typos. */
    onlyKeys(key: string, obj: Raw, allowed: readonly string[]): void {
        for (const k of Object.keys(obj)) {
            if (!allowed.includes(k)) {
                this.fail(`${key}.${k}`, obj[k], `remove it; \`${key}\` takes ${allowed.join(", ")}`);
            }
        }
    }
}

/** Parses a JSON-encoded config value as the Pulumi CLI stores objects and arrays. */
export function decodeConfigValue(value: string): unknown {
    const t = value.trim();
    if (t.startsWith("{") || t.startsWith("[")) {
        try {
            return JSON.parse(t);
        } catch {
            return value;
        }
    }
    return value;
}

/**
 * Checks every key of a stack's config (already decoded) and returns the typed config.
 * Throws one ConfigError listing every bad value, each naming the key, the value and the fix.
 */
export function validateConfig(raw: Raw, project: string, stack: string): PlatformConfig {
    const r = new Reader(project);
    const known = CONFIG_SCHEMA.map((s) => s.key);
    for (const key of Object.keys(raw)) {
        if (!known.includes(key)) r.fail(key, raw[key], `remove it or use one of the keys in Pulumi.yaml (${known.join(", ")})`);
    }

    for (const spec of CONFIG_SCHEMA) {
        const value = raw[spec.key];
        if (value instanceof SecretValue && !spec.secret) {
            r.fail(spec.key, value, "it holds no credential and is read as plain configuration: set it without --secret");
            r.silenced.add(spec.key);
        }
    }

    const environment = r.oneOf("environment", raw.environment, ENVIRONMENTS);
    const prod = environment === "prod";
    const cloud = readCloud(r, raw.cloud, prod);
    // A cluster the program creates is reached through its own kubeconfig, not a configured target.
    const clusterRaw = raw.cluster ?? CONFIG_DEFAULTS.cluster;
    const creates = isObject(clusterRaw) && (clusterRaw.create === true || clusterRaw.create === "true");
    const kubernetes = readKubernetes(r, raw.kubernetes, raw.kubeconfig, prod && !creates);
    if (creates && (kubernetes.context !== undefined || kubernetes.cluster !== undefined || raw.kubeconfig !== undefined)) {
        const [key, value]: [string, unknown] = raw.kubeconfig !== undefined ? ["kubeconfig", raw.kubeconfig] : ["kubernetes", raw.kubernetes];
        r.fail(key, value, "the program creates the cluster (`cluster.create: true`) and deploys through the cluster's own kubeconfig; remove it");
    }

    const kubernetesVersion = r.string(
        "kubernetesVersion",
        raw.kubernetesVersion ?? CONFIG_DEFAULTS.kubernetesVersion,
        `set the cluster's minor version, 1.${MIN_K8S_MINOR} or later, e.g. "1.30"`,
        (v) => /^1\.(\d+)$/.test(v) && Number(v.split(".")[1]) >= MIN_K8S_MINOR,
    );

    const cniRaw = raw.cni ?? CONFIG_DEFAULTS.cni;
    const cni = r.oneOf("cni", cniRaw, Object.keys(CNIS) as Cni[]);
    if (prod && typeof cniRaw === "string" && CNIS[cniRaw as Cni] === false) {
        r.fail("cni", cniRaw, "prod needs a CNI that enforces NetworkPolicy (calico, cilium, aws-vpc-cni, azure-npm, gke-dataplane-v2, antrea)");
    }

    const cluster = readCluster(r, clusterRaw, cloud, cni, stack);

    const images = readImages(r, raw.images);
    const workloads = readWorkloads(r, raw.workloads ?? CONFIG_DEFAULTS.workloads, environment);

    const corsOrigins: string[] = [];
    if (!Array.isArray(raw.corsOrigins) || raw.corsOrigins.length === 0) {
        r.fail("corsOrigins", raw.corsOrigins, 'set the list of allowed origins, e.g. ["https://voting.example.com"]');
    } else {
        raw.corsOrigins.forEach((o, i) => {
            if (o === "*") {
                if (prod) r.fail(`corsOrigins[${i}]`, o, 'production needs an explicit list, e.g. ["https://voting.example.com"]');
                else corsOrigins.push(o);
            } else {
                corsOrigins.push(
                    r.string(`corsOrigins[${i}]`, o, 'use an origin with scheme and host, e.g. "https://voting.example.com"', (s) =>
                        /^https?:\/\/[a-z0-9.-]+(:\d+)?$/.test(s),
                    ),
                );
                if (prod && typeof o === "string" && o.startsWith("http://")) {
                    r.fail(`corsOrigins[${i}]`, o, "production origins use https://");
                }
            }
        });
    }

    const ing = r.object("ingress", raw.ingress, '{"host": "voting.example.com", "tlsIssuer": "letsencrypt-prod"}');
    r.onlyKeys("ingress", ing, ["host", "tlsIssuer", "className", "rateLimitRps", "acme"]);
    const ingress = {
        host: r.string("ingress.host", ing.host, 'set a DNS name, e.g. "voting.example.com"', (s) => DNS_NAME.test(s)),
        tlsIssuer: r.string("ingress.tlsIssuer", ing.tlsIssuer, 'name the cert-manager ClusterIssuer, e.g. "letsencrypt-prod"', (s) =>
            K8S_NAME.test(s),
        ),
        className: r.string("ingress.className", ing.className ?? "nginx", 'name the IngressClass, e.g. "nginx"', (s) => K8S_NAME.test(s)),
        rateLimitRps: r.integer("ingress.rateLimitRps", ing.rateLimitRps ?? 20, 1, 100000, "set requests per second per client, e.g. 20"),
        acme: ing.acme === undefined ? undefined : readAcme(r, ing.acme),
    };

    const st = r.object("storage", raw.storage ?? CONFIG_DEFAULTS.storage, JSON.stringify(CONFIG_DEFAULTS.storage));
    r.onlyKeys("storage", st, ["className", "create", "postgresSize", "redisSize"]);
    const sizeOk = (s: string) => (memoryBytes(s) ?? 0) >= 2 ** 30;
    const storage = {
        className: r.string("storage.className", st.className ?? CONFIG_DEFAULTS.storage.className, 'name a StorageClass, e.g. "gp3"', (s) =>
            K8S_NAME.test(s),
        ),
        create: r.boolean("storage.create", st.create ?? CONFIG_DEFAULTS.storage.create),
        postgresSize: r.string(
            "storage.postgresSize",
            st.postgresSize ?? CONFIG_DEFAULTS.storage.postgresSize,
            'use a size of 1Gi or more, e.g. "20Gi"',
            sizeOk,
        ),
        redisSize: r.string("storage.redisSize", st.redisSize ?? CONFIG_DEFAULTS.storage.redisSize, 'use a size of 1Gi or more, e.g. "5Gi"', sizeOk),
    };

    const bk = r.object("backup", raw.backup ?? CONFIG_DEFAULTS.backup, JSON.stringify(CONFIG_DEFAULTS.backup));
    r.onlyKeys("backup", bk, ["schedule", "retentionDays", "rpoMinutes", "identity"]);
    const backup = {
        schedule: r.string(
            "backup.schedule",
            bk.schedule ?? CONFIG_DEFAULTS.backup.schedule,
            'use a five-field cron expression, e.g. "0 2 * * *"',
            isCron,
        ),
        retentionDays: r.integer(
            "backup.retentionDays",
            bk.retentionDays ?? CONFIG_DEFAULTS.backup.retentionDays,
            7,
            3650,
            "keep backups 7 days or more, e.g. 7",
        ),
        rpoMinutes:
            bk.rpoMinutes === undefined
                ? undefined
                : r.integer("backup.rpoMinutes", bk.rpoMinutes, 1, 10080, "give the recovery point objective in minutes, e.g. 60"),
        identity:
            bk.identity === undefined
                ? undefined
                : r.string(
                      "backup.identity",
                      bk.identity,
                      'name the cloud identity, e.g. "arn:aws:iam::123456789012:role/voting-backup"',
                      (v) => v.length > 3,
                  ),
    };

    checkRecoveryPoint(r, backup, prod);

    const secrets = readSecrets(r, raw.secrets, prod);
    if (cluster.create && backup.identity !== undefined) {
        r.fail(
            "backup.identity",
            backup.identity,
            "a created cluster comes with the backup Jobs' identity; remove `backup.identity` or set `cluster.create: false`",
        );
    }
    const backendCloud = { "aws-secrets-manager": "aws", "gcp-secret-manager": "gcp", "azure-key-vault": "azure" } as const;
    if (secrets.backend in backendCloud && backendCloud[secrets.backend as keyof typeof backendCloud] !== cloud.provider) {
        r.fail(
            "secrets.backend",
            secrets.backend,
            `the stack runs on ${cloud.provider}, whose secret manager the program creates the credentials in; use "${
                Object.entries(backendCloud).find(([, c]) => c === cloud.provider)![0]
            }" or "vault"`,
        );
    }

    const rb = r.object("rbac", raw.rbac ?? CONFIG_DEFAULTS.rbac, JSON.stringify(CONFIG_DEFAULTS.rbac));
    r.onlyKeys("rbac", rb, ["developerGroup", "sreGroup", "deployerServiceAccount"]);
    const group = (k: "developerGroup" | "sreGroup") =>
        r.string(
            `rbac.${k}`,
            rb[k] ?? CONFIG_DEFAULTS.rbac[k],
            "name the identity-provider group bound to the role",
            (s) => !s.startsWith("system:"),
        );
    const rbac = {
        developerGroup: group("developerGroup"),
        sreGroup: group("sreGroup"),
        deployerServiceAccount: r.string(
            "rbac.deployerServiceAccount",
            rb.deployerServiceAccount ?? CONFIG_DEFAULTS.rbac.deployerServiceAccount,
            'use a Kubernetes name, e.g. "voting-deployer"',
            (s) => K8S_NAME.test(s),
        ),
    };

    const al = r.object(
        "alerting",
        raw.alerting ?? CONFIG_DEFAULTS.alerting,
        '{"receivers": [{"name": "oncall", "kind": "pagerduty", "severities": ["P0"]}]}',
    );
    r.onlyKeys("alerting", al, ["receivers"]);
    const receivers = readReceivers(r, al.receivers ?? [], prod);

    const ft = r.object("features", raw.features ?? CONFIG_DEFAULTS.features, JSON.stringify(CONFIG_DEFAULTS.features));
    r.onlyKeys("features", ft, Object.keys(CONFIG_DEFAULTS.features));
    const features = {
        verificationJobs: r.boolean("features.verificationJobs", ft.verificationJobs ?? CONFIG_DEFAULTS.features.verificationJobs),
        ciliumL7Policies: r.boolean("features.ciliumL7Policies", ft.ciliumL7Policies ?? CONFIG_DEFAULTS.features.ciliumL7Policies),
        monitoring: r.boolean("features.monitoring", ft.monitoring ?? CONFIG_DEFAULTS.features.monitoring),
        logShipping: r.boolean("features.logShipping", ft.logShipping ?? CONFIG_DEFAULTS.features.logShipping),
        tracing: r.boolean("features.tracing", ft.tracing ?? CONFIG_DEFAULTS.features.tracing),
        loadTests: r.boolean("features.loadTests", ft.loadTests ?? CONFIG_DEFAULTS.features.loadTests),
    };
    const logging = readLogging(r, raw.logging ?? CONFIG_DEFAULTS.logging);
    const tracing = readTracing(r, raw.tracing ?? CONFIG_DEFAULTS.tracing, features.tracing, prod);
    if (features.ciliumL7Policies && cni !== "cilium") {
        r.fail(
            "features.ciliumL7Policies",
            true,
            `L7 policies need \`cni: cilium\` (the stack declares ${JSON.stringify(cni)}); turn it off or change the CNI`,
        );
    }

    const ap = r.object("app", raw.app ?? CONFIG_DEFAULTS.app, JSON.stringify(CONFIG_DEFAULTS.app));
    r.onlyKeys("app", ap, Object.keys(CONFIG_DEFAULTS.app));
    const logLevelRaw = ap.logLevel ?? CONFIG_DEFAULTS.app.logLevel;
    const logLevel = r.oneOf("app.logLevel", logLevelRaw, LOG_LEVELS);
    if (prod && logLevelRaw === "DEBUG")
        r.fail("app.logLevel", logLevelRaw, 'production logs at "INFO" or "WARN"; debug logs may carry request data');
    const logFormat = r.oneOf("app.logFormat", ap.logFormat ?? CONFIG_DEFAULTS.app.logFormat, ["json", "text"] as const);
    if (prod && logFormat === "text") r.fail("app.logFormat", "text", 'production logs are structured: use "json"');
    const poolProblems = r.problems.length;
    const dbPoolSize = r.integer(
        "app.dbPoolSize",
        ap.dbPoolSize ?? CONFIG_DEFAULTS.app.dbPoolSize,
        1,
        200,
        "set the API's connection pool size, e.g. 20",
    );
    // Only a size that was read: an unreadable or out-of-range one has its problem already.
    if (prod && r.problems.length === poolProblems && dbPoolSize < PROD_MIN_DB_POOL_SIZE)
        r.fail("app.dbPoolSize", ap.dbPoolSize, `production pools at least ${PROD_MIN_DB_POOL_SIZE} connections (checklist 5.2.1)`);
    const app = {
        logLevel,
        logFormat,
        dbPoolSize,
        requestSizeLimit: r.string(
            "app.requestSizeLimit",
            ap.requestSizeLimit ?? CONFIG_DEFAULTS.app.requestSizeLimit,
            'use an nginx size, e.g. "1m"',
            (s) => NGINX_SIZE.test(s),
        ),
    };

    const release =
        raw.release === undefined
            ? undefined
            : r.string("release", raw.release, 'use up to 64 letters, digits, ".", "_" or "-", e.g. the commit SHA', (s) =>
                  /^[A-Za-z0-9._-]{1,64}$/.test(s),
              );

    const apiWorkload = resolveWorkload("api", environment, workloads);
    const canary = raw.canary === undefined ? undefined : readCanary(r, raw.canary, images.api, apiWorkload.replicas, apiWorkload.maxReplicas);

    refusePlainCredentials(r, raw);
    if (r.problems.length > 0) throw new ConfigError(r.problems);
    return {
        project,
        stack,
        environment,
        cloud,
        kubernetes,
        cluster,
        kubernetesVersion,
        cni,
        images,
        workloads,
        corsOrigins,
        ingress,
        storage,
        backup,
        secrets,
        rbac,
        alerting: { receivers },
        features,
        logging,
        tracing,
        app,
        release,
        ...(canary ? { canary } : {}),
    };
}

function readLogging(r: Reader, value: unknown): PlatformConfig["logging"] {
    const l = r.object("logging", value, JSON.stringify(CONFIG_DEFAULTS.logging));
    r.onlyKeys("logging", l, ["appRetentionDays", "auditRetentionDays", "identity"]);
    return {
        appRetentionDays: r.integer(
            "logging.appRetentionDays",
            l.appRetentionDays ?? CONFIG_DEFAULTS.logging.appRetentionDays,
            30,
            3653,
            "keep application logs 30 days or more (checklist 3.1.2)",
        ),
        auditRetentionDays: r.integer(
            "logging.auditRetentionDays",
            l.auditRetentionDays ?? CONFIG_DEFAULTS.logging.auditRetentionDays,
            90,
            3653,
            "keep audit events 90 days or more (checklist 6.4.2)",
        ),
        identity:
            l.identity === undefined
                ? undefined
                : r.string(
                      "logging.identity",
                      l.identity,
                      'name the cloud identity, e.g. "arn:aws:iam::123456789012:role/voting-logs"',
                      (v) => v.length > 3,
                  ),
    };
}

function readTracing(r: Reader, value: unknown, on: boolean, prod: boolean): PlatformConfig["tracing"] {
    const t = r.object("tracing", value, '{"endpoint": "tempo.monitoring.svc.cluster.local:4317", "sampleRatio": 0.1}');
    r.onlyKeys("tracing", t, ["endpoint", "sampleRatio"]);
    const ratioRaw = t.sampleRatio ?? CONFIG_DEFAULTS.tracing.sampleRatio;
    const ratio = typeof ratioRaw === "string" && /^\d*\.?\d+$/.test(ratioRaw) ? Number(ratioRaw) : ratioRaw;
    let sampleRatio: number = CONFIG_DEFAULTS.tracing.sampleRatio;
    if (typeof ratio !== "number" || !(ratio > 0 && ratio <= 1))
        r.fail("tracing.sampleRatio", ratioRaw, "use a ratio above 0 and at most 1, e.g. 0.1");
    else if (prod && ratio > 0.1) r.fail("tracing.sampleRatio", ratioRaw, "production samples at most 10% of traces (checklist 3.3.1); use 0.1");
    else sampleRatio = ratio;
    const endpoint =
        t.endpoint === undefined && !on
            ? undefined
            : r.string(
                  "tracing.endpoint",
                  t.endpoint,
                  'give the OTLP gRPC address of the tracing backend, e.g. "tempo.monitoring.svc.cluster.local:4317"',
                  (s) => /^[a-z0-9.-]+:\d{1,5}$/.test(s),
              );
    return { endpoint, sampleRatio };
}

const LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory";

function readAcme(r: Reader, value: unknown): { email: string; server: string } {
    const a = r.object("ingress.acme", value, '{"email": "sre@example.com"}');
    r.onlyKeys("ingress.acme", a, ["email", "server"]);
    return {
        email: r.string("ingress.acme.email", a.email, 'give the ACME account\'s contact address, e.g. "sre@example.com"', (s) =>
            /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s),
        ),
        server: r.string("ingress.acme.server", a.server ?? LETS_ENCRYPT, `use the ACME directory URL, e.g. "${LETS_ENCRYPT}"`, (s) =>
            s.startsWith("https://"),
        ),
    };
}

/** A schedule Kubernetes accepts for a CronJob (policies/lib/cron reads it as the API server does). */
function isCron(s: string): boolean {
    try {
        parseCron(s);
        return true;
    } catch {
        return false;
    }
}

/**
 * Checklist 4.2.4: the worst case of a schedule (a failure just before a run finishes loses its whole gap,
 * plus how late the run may start and how long it may take) stays under the recovery point objective.
 */
function checkRecoveryPoint(r: Reader, backup: { schedule: string; rpoMinutes?: number }, prod: boolean): void {
    if (prod && (backup.rpoMinutes === undefined || backup.rpoMinutes > 60)) {
        r.fail("backup.rpoMinutes", backup.rpoMinutes, "production restores lose less than an hour of data (checklist 4.2.4): set 60 or less");
    }
    if (backup.rpoMinutes === undefined || !backup.schedule || !isCron(backup.schedule)) return;
    const gap = maxGapMinutes(backup.schedule);
    const late = BACKUP_RUN_LIMITS.startingDeadlineSeconds / 60;
    const run = BACKUP_RUN_LIMITS.activeDeadlineSeconds / 60;
    if (gap + late + run >= backup.rpoMinutes) {
        r.fail(
            "backup.schedule",
            backup.schedule,
            `it runs up to ${gap} minutes apart, and a run may start ${late} minutes late and take ${run}, so a restore could lose up to ${gap + late + run} minutes, not under \`backup.rpoMinutes\` (${backup.rpoMinutes}); schedule it more often, e.g. "*/30 * * * *"`,
        );
    }
}

function readCloud(r: Reader, value: unknown, prod: boolean): CloudConfig {
    const c = r.object("cloud", value, '{"provider": "aws", "region": "eu-west-1"}');
    const provider = r.oneOf("cloud.provider", c.provider, ["aws", "gcp", "azure"] as const);
    // The account is asked for only once the provider is known, so a typo in it gives one message.
    const pin = prod && c.provider === provider;
    const region = r.string("cloud.region", c.region, 'name the region, e.g. "eu-west-1"', (s) => /^[a-z0-9-]+$/.test(s));
    const backupReplicaRegion =
        c.backupReplicaRegion === undefined
            ? undefined
            : r.string("cloud.backupReplicaRegion", c.backupReplicaRegion, "name a region other than cloud.region", (s) => s !== region);
    switch (provider) {
        case "aws": {
            r.onlyKeys("cloud", c, ["provider", "region", "backupReplicaRegion", "kmsKeyArn", "accountId"]);
            const kmsKeyArn =
                c.kmsKeyArn === undefined
                    ? undefined
                    : r.string("cloud.kmsKeyArn", c.kmsKeyArn, 'use a KMS key ARN, e.g. "arn:aws:kms:eu-west-1:123456789012:key/…"', (s) =>
                          s.startsWith("arn:aws:kms:"),
                      );
            const accountId =
                c.accountId === undefined && !pin
                    ? undefined
                    : r.string(
                          "cloud.accountId",
                          c.accountId,
                          'name the 12-digit AWS account the stack deploys to, e.g. "123456789012"; prod refuses to run in any other',
                          (s) => /^\d{12}$/.test(s),
                      );
            const keyAccount = kmsKeyArn?.split(":")[4];
            if (accountId && keyAccount && keyAccount !== accountId) {
                r.fail("cloud.kmsKeyArn", kmsKeyArn, `use a key of account ${accountId} (cloud.accountId)`);
            }
            return { provider, region, backupReplicaRegion, kmsKeyArn, accountId };
        }
        case "gcp":
            r.onlyKeys("cloud", c, ["provider", "region", "backupReplicaRegion", "project"]);
            return {
                provider,
                region,
                backupReplicaRegion,
                project: r.string("cloud.project", c.project, "name the GCP project id", (s) => /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(s)),
            };
        case "azure":
            r.onlyKeys("cloud", c, ["provider", "region", "backupReplicaRegion", "resourceGroup", "subscriptionId"]);
            if (backupReplicaRegion && AZURE_REGION_PAIRS[region] !== backupReplicaRegion) {
                r.fail(
                    "cloud.backupReplicaRegion",
                    backupReplicaRegion,
                    AZURE_REGION_PAIRS[region]
                        ? `geo-redundant storage replicates ${region} to its pair; use "${AZURE_REGION_PAIRS[region]}"`
                        : `${region} has no known region pair (config/azureRegions.ts); use a paired region or add its pair there`,
                );
            }
            return {
                provider,
                region,
                backupReplicaRegion,
                resourceGroup: r.string("cloud.resourceGroup", c.resourceGroup, "name the Azure resource group"),
                subscriptionId:
                    c.subscriptionId === undefined && !pin
                        ? undefined
                        : r.string(
                              "cloud.subscriptionId",
                              c.subscriptionId,
                              'name the Azure subscription id the stack deploys to, e.g. "0b1f6471-1bf0-4dda-aec3-cb9272f09590"; prod refuses to run in any other',
                              (s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s),
                          ),
            };
    }
}

/**
 * The cluster target: a kubeconfig held as a secret, or a named context and cluster. Prod never falls
 * back on the current context of whatever kubeconfig the machine has.
 */
function readKubernetes(r: Reader, value: unknown, kubeconfig: unknown, prod: boolean): KubernetesTarget {
    const k = r.object("kubernetes", value ?? CONFIG_DEFAULTS.kubernetes, '{"context": "voting-prod", "cluster": "voting-prod"}');
    r.onlyKeys("kubernetes", k, ["context", "cluster"]);
    const name = (key: "context" | "cluster") =>
        k[key] === undefined
            ? undefined
            : r.string(`kubernetes.${key}`, k[key], `name a ${key} of the kubeconfig, e.g. "voting-prod"`, (s) => /^\S+$/.test(s));
    const target = { context: name("context"), cluster: name("cluster") };
    if (kubeconfig !== undefined && !(kubeconfig instanceof SecretValue)) {
        r.fail(
            "kubeconfig",
            kubeconfig,
            "it is in plain text: set it with `pulumi config set --secret kubeconfig < kubeconfig.yaml` and remove the plain value",
        );
        return target;
    }
    if (kubeconfig instanceof SecretValue) return { ...target, kubeconfig: kubeconfig.output as KubernetesTarget["kubeconfig"] };
    if (prod && (target.context === undefined || target.cluster === undefined)) {
        r.fail(
            "kubernetes",
            value,
            'prod deploys to a named cluster, never the current context of a kubeconfig: set `kubeconfig` (pulumi config set --secret kubeconfig < kubeconfig.yaml) or both `kubernetes.context` and `kubernetes.cluster`, e.g. {"context": "voting-prod", "cluster": "voting-prod"}',
        );
    }
    return target;
}

/** A credential written in plain text anywhere in the stack's values: refused without printing it. */
function refusePlainCredentials(r: Reader, raw: Raw): void {
    const walk = (key: string, v: unknown, known: boolean): void => {
        if (v instanceof SecretValue) return;
        if (typeof v === "string") {
            if (known && holdsCredential(v) && !r.reported.has(key)) r.fail(key, v, "keep credentials out of the stack file");
            return;
        }
        if (Array.isArray(v)) v.forEach((x, i) => walk(`${key}[${i}]`, x, known));
        else if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(`${key}.${k}`, x, known);
    };
    // Unknown keys, and values already reported, have their message (which hides the value) already.
    for (const spec of CONFIG_SCHEMA) if (!spec.secret) walk(spec.key, raw[spec.key], true);
}

/** CNIs that enforce NetworkPolicy and that the program can switch on in a cluster it creates on each cloud. */
export const CLUSTER_CNIS = {
    aws: ["calico", "aws-vpc-cni"],
    gcp: ["gke-dataplane-v2", "calico"],
    azure: ["cilium", "azure-npm", "calico"],
} as const satisfies Record<CloudConfig["provider"], readonly Cni[]>;

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const isCidr = (s: string) => {
    const m = CIDR.exec(s);
    return !!m && m.slice(1, 5).every((o) => Number(o) <= 255) && Number(m[5]) <= 32;
};

function readCluster(r: Reader, value: unknown, cloud: CloudConfig, cni: Cni, stack: string): ClusterConfig {
    const c = r.object("cluster", value, '{"create": false}');
    const create = r.boolean("cluster.create", c.create ?? false);
    if (!create) {
        r.onlyKeys("cluster", c, ["create"]);
        return { create };
    }
    const p = cloud.provider;
    const networkKeys = { aws: ["subnetIds"], gcp: ["network", "subnetwork"], azure: ["subnetId"] }[p];
    r.onlyKeys("cluster", c, ["create", "name", "privateEndpoint", "authorizedCidrs", "nodeType", ...networkKeys]);

    const name = r.string("cluster.name", c.name ?? `voting-${stack}`, 'use 1 to 40 lowercase letters, digits and "-", e.g. "voting-prod"', (s) =>
        /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/.test(s),
    );
    const isPrivate = r.boolean("cluster.privateEndpoint", c.privateEndpoint ?? false);
    let endpoint: CreatedCluster["endpoint"] = { private: true };
    if (!isPrivate) {
        const cidrs = c.authorizedCidrs;
        if (!Array.isArray(cidrs) || cidrs.length === 0) {
            r.fail(
                "cluster.authorizedCidrs",
                cidrs,
                'list the networks allowed to reach the API server, e.g. ["203.0.113.0/24"], or set `cluster.privateEndpoint: true`',
            );
        } else {
            cidrs.forEach((x, i) => {
                if (typeof x !== "string" || !isCidr(x)) r.fail(`cluster.authorizedCidrs[${i}]`, x, 'use an IPv4 CIDR, e.g. "203.0.113.0/24"');
                else if (x.endsWith("/0"))
                    r.fail(`cluster.authorizedCidrs[${i}]`, x, "the API server is never open to the whole internet; list your own networks");
            });
        }
        endpoint = { private: false, authorizedCidrs: Array.isArray(cidrs) ? cidrs.filter((x): x is string => typeof x === "string") : [] };
    } else if (c.authorizedCidrs !== undefined) {
        r.fail(
            "cluster.authorizedCidrs",
            c.authorizedCidrs,
            "a private endpoint has no public allow-list; remove it or set `cluster.privateEndpoint: false`",
        );
    }

    const types = Object.keys(NODE_TYPES[p]);
    const nodeType = r.string("cluster.nodeType", c.nodeType ?? DEFAULT_NODE_TYPE[p], `use one of ${types.join(", ")} (config/nodeTypes.ts)`, (s) =>
        types.includes(s),
    );

    const allowed: readonly Cni[] = CLUSTER_CNIS[p];
    if (!allowed.includes(cni)) {
        r.fail("cni", cni, `a cluster the program creates on ${p} enforces NetworkPolicy with ${allowed.join(" or ")}; set \`cni\` to one of them`);
    }

    let network: CreatedCluster["network"];
    switch (p) {
        case "aws": {
            const ids = c.subnetIds;
            const ok =
                Array.isArray(ids) &&
                ids.length >= 3 &&
                new Set(ids).size === ids.length &&
                ids.every((x) => /^subnet-[0-9a-f]{8,17}$/.test(String(x)));
            if (!ok) r.fail("cluster.subnetIds", ids, 'list three or more private subnets, one per availability zone, e.g. ["subnet-0a1b2c3d", …]');
            network = { provider: p, subnetIds: ok ? (ids as string[]) : [] };
            break;
        }
        case "gcp":
            network = {
                provider: p,
                network: r.string("cluster.network", c.network ?? "default", 'name the VPC network, e.g. "default"', (s) => K8S_NAME.test(s)),
                subnetwork: r.string("cluster.subnetwork", c.subnetwork ?? "default", 'name the subnetwork in cloud.region, e.g. "default"', (s) =>
                    K8S_NAME.test(s),
                ),
            };
            break;
        case "azure":
            network = {
                provider: p,
                subnetId:
                    c.subnetId === undefined
                        ? undefined
                        : r.string("cluster.subnetId", c.subnetId, 'use the subnet\'s resource id, "/subscriptions/…/subnets/<name>"', (s) =>
                              /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i.test(
                                  s,
                              ),
                          ),
            };
            break;
    }
    return { create, name, endpoint, nodeType, network };
}

function readImage(r: Reader, key: string, value: unknown): ImageRef {
    const i = r.object(key, value, '{"repository": "voting/api", "tag": "1.4.2"}');
    r.onlyKeys(key, i, ["repository", "tag", "digest"]);
    const tag = r.string(`${key}.tag`, i.tag, 'pin a version tag, e.g. "1.4.2"', (s) => TAG.test(s));
    if (tag === "latest") r.fail(`${key}.tag`, tag, 'pin a version tag, e.g. "1.4.2"; "latest" changes under you');
    const digest = i.digest === undefined ? undefined : r.string(`${key}.digest`, i.digest, 'use "sha256:" and 64 hex digits', (s) => DIGEST.test(s));
    return {
        repository: r.string(`${key}.repository`, i.repository, 'name the repository, e.g. "voting/api"', (s) => /^[a-z0-9._/-]+$/.test(s)),
        tag,
        digest,
    };
}

/** Pinned tool images the stack may leave out. */
export const DEFAULT_IMAGES = {
    curl: { repository: "docker.io/curlimages/curl", tag: "8.11.1" },
    k6: { repository: "docker.io/grafana/k6", tag: "0.55.0" },
    otelCollector: { repository: "docker.io/otel/opentelemetry-collector-contrib", tag: "0.114.0" },
} as const;

/**
 * The API's canary: its tag (and digest) in the API's repository, the percent of the API's requests the
 * frontend sends it, and the least pods of its autoscaler.
 */
function readCanary(r: Reader, value: unknown, api: ImageRef, apiReplicas: number, apiMaxReplicas: number): CanaryConfig {
    const c = r.object("canary", value, '{"tag": "1.5.0", "weight": 10}');
    r.onlyKeys("canary", c, ["tag", "digest", "replicas", "weight"]);
    const tag = r.string("canary.tag", c.tag, 'pin the version under test, e.g. "1.5.0"', (s) => TAG.test(s));
    if (tag === "latest") r.fail("canary.tag", tag, 'pin the version under test, e.g. "1.5.0"; "latest" changes under you');
    const digest = c.digest === undefined ? undefined : r.string("canary.digest", c.digest, 'use "sha256:" and 64 hex digits', (s) => DIGEST.test(s));
    if (c.digest === undefined && api.digest !== undefined) {
        r.fail("canary.digest", c.digest, "the API's image is pinned by digest (images.api.digest); pin the canary's the same way");
    }
    const weight = r.integer(
        "canary.weight",
        c.weight ?? CANARY_WEIGHT_STEPS[0],
        0,
        100,
        `use a whole percent from 0 to 100 of the API's requests; a release steps through ${CANARY_WEIGHT_STEPS.join(", ")}, and 0 stops sending it any`,
    );
    // The canary's HPA runs from its replicas to the API's maximum: at least the API's minimum, so the canary
    // is spread and budgeted as the API is, and below the maximum, so it can grow at all.
    const grows = `the canary's autoscaler keeps at least the API's minimum of ${apiReplicas} replicas (workloads.api.replicas) and grows up to the API's maximum of ${apiMaxReplicas} (workloads.api.maxReplicas)`;
    if (apiMaxReplicas <= apiReplicas) {
        r.fail(
            "workloads.api.maxReplicas",
            apiMaxReplicas,
            `raise it above workloads.api.replicas (${apiReplicas}) while a canary is set: its autoscaler grows from the API's minimum up to this maximum`,
        );
    }
    const most = Math.max(apiReplicas, apiMaxReplicas - 1);
    const replicas = r.integer("canary.replicas", c.replicas ?? apiReplicas, apiReplicas, most, `use ${apiReplicas} to ${most}: ${grows}`);
    return { image: { repository: api.repository, tag, ...(digest ? { digest } : {}) }, replicas, weight };
}

function readImages(r: Reader, value: unknown): PlatformConfig["images"] {
    const im = r.object("images", value, '{"registry": "ghcr.io/acme", "api": {"repository": "voting/api", "tag": "1.4.2"}, …}');
    r.onlyKeys("images", im, ["registry", "pullSecret", "frontend", "api", "consumer", "postgres", "redis", "rclone", "curl", "k6", "otelCollector"]);
    return {
        registry: r.string("images.registry", im.registry, 'name the registry host, e.g. "123456789012.dkr.ecr.eu-west-1.amazonaws.com"', (s) =>
            /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/.test(s),
        ),
        pullSecret:
            im.pullSecret === undefined
                ? undefined
                : r.string("images.pullSecret", im.pullSecret, "name the dockerconfigjson Secret", (s) => K8S_NAME.test(s)),
        frontend: readImage(r, "images.frontend", im.frontend),
        api: readImage(r, "images.api", im.api),
        consumer: readImage(r, "images.consumer", im.consumer),
        postgres: readImage(r, "images.postgres", im.postgres ?? { repository: "docker.io/library/postgres", tag: "16.4-bookworm" }),
        redis: readImage(r, "images.redis", im.redis ?? { repository: "docker.io/library/redis", tag: "7.4.1-bookworm" }),
        rclone: readImage(r, "images.rclone", im.rclone ?? { repository: "docker.io/rclone/rclone", tag: "1.68.2" }),
        curl: readImage(r, "images.curl", im.curl ?? DEFAULT_IMAGES.curl),
        k6: readImage(r, "images.k6", im.k6 ?? DEFAULT_IMAGES.k6),
        otelCollector: readImage(r, "images.otelCollector", im.otelCollector ?? DEFAULT_IMAGES.otelCollector),
    };
}

function readPair(r: Reader, key: string, value: unknown): ResourcePair | undefined {
    if (value === undefined) return undefined;
    const p = r.object(key, value, '{"cpu": "200m", "memory": "256Mi"}');
    r.onlyKeys(key, p, ["cpu", "memory"]);
    const cpu = r.string(`${key}.cpu`, p.cpu, 'use a CPU quantity, e.g. "200m"', (s) => (cpuMillis(s) ?? 0) > 0);
    const memory = r.string(`${key}.memory`, p.memory, 'use a memory quantity, e.g. "256Mi"', (s) => (memoryBytes(s) ?? 0) >= 2 ** 20);
    return { cpu, memory };
}

function readWorkloads(r: Reader, value: unknown, environment: PlatformConfig["environment"]): PlatformConfig["workloads"] {
    const w = r.object("workloads", value, '{"api": {"replicas": 4}}');
    const out: Partial<Record<WorkloadName, WorkloadOverride>> = {};
    for (const [name, v] of Object.entries(w)) {
        const key = `workloads.${name}`;
        if (!(WORKLOAD_NAMES as readonly string[]).includes(name)) {
            r.fail(key, v, `name one of ${WORKLOAD_NAMES.join(", ")}`);
            continue;
        }
        const o = r.object(key, v, '{"replicas": 3}');
        r.onlyKeys(key, o, ["replicas", "maxReplicas", "requests", "limits"]);
        const singleton = name === "postgres" || name === "redis";
        const replicasProblems = r.problems.length;
        const replicas =
            o.replicas === undefined
                ? undefined
                : r.integer(
                      `${key}.replicas`,
                      o.replicas,
                      1,
                      singleton ? 1 : 100,
                      singleton ? "the data layer runs one replica" : "set 1 to 100 replicas",
                  );
        // Only a count that was read is held to prod's least: an unreadable or out-of-range one has its problem already.
        const replicasRead = r.problems.length === replicasProblems;
        const maxProblems = r.problems.length;
        const maxReplicas = o.maxReplicas === undefined ? undefined : r.integer(`${key}.maxReplicas`, o.maxReplicas, 1, 100, "set 1 to 100 replicas");
        // A maxReplicas that could not be read has its problem already; only one that was read is compared with the replicas.
        const maxRead = r.problems.length === maxProblems;
        const override: WorkloadOverride = {
            replicas,
            maxReplicas,
            requests: readPair(r, `${key}.requests`, o.requests),
            limits: readPair(r, `${key}.limits`, o.limits),
        };
        out[name as WorkloadName] = override;
        const resolved = resolveWorkload(name as WorkloadName, environment, { [name]: override });
        if (environment === "prod" && !singleton && replicasRead) {
            const min = name === "consumer" ? 2 : 3;
            if (resolved.replicas < min) r.fail(`${key}.replicas`, o.replicas, `prod runs at least ${min} ${name} replicas (checklist 2.3.1)`);
        }
        if (maxReplicas !== undefined && maxRead && resolved.maxReplicas !== maxReplicas) {
            r.fail(`${key}.maxReplicas`, o.maxReplicas, `set it at or above replicas (${resolved.replicas})`);
        }
        for (const res of ["cpu", "memory"] as const) {
            const req = res === "cpu" ? cpuMillis(resolved.requests.cpu) : memoryBytes(resolved.requests.memory);
            const lim = res === "cpu" ? cpuMillis(resolved.limits.cpu) : memoryBytes(resolved.limits.memory);
            if (req !== undefined && lim !== undefined && req > 0 && lim > 0 && lim < req) {
                r.fail(
                    `${key}.limits.${res}`,
                    resolved.limits[res],
                    `a limit below its request (${resolved.requests[res]}) cannot be scheduled; use at least that`,
                );
            }
        }
    }
    return out;
}

function readSecrets(r: Reader, value: unknown, prod: boolean): SecretsConfig {
    const s = r.object("secrets", value, '{"backend": "aws-secrets-manager"}');
    const backend = r.oneOf("secrets.backend", s.backend, SECRET_BACKENDS);
    // An unknown backend has its problem already; which other keys the object takes depends on the backend.
    if (backend !== s.backend) return { backend: "pulumi" };
    if (backend === "pulumi") {
        r.onlyKeys("secrets", s, ["backend"]);
        if (prod) {
            r.fail(
                "secrets.backend",
                "pulumi",
                'production never creates Secrets from Pulumi values (checklist 6.1.1); use an External Secrets backend such as "aws-secrets-manager"',
            );
        }
        return { backend };
    }
    r.onlyKeys("secrets", s, ["backend", "refreshInterval", "rotationDays", backend === "vault" ? "vaultServer" : "keyVaultUrl"]);
    const refreshInterval = r.string("secrets.refreshInterval", s.refreshInterval ?? "1h", 'use a duration, e.g. "1h"', (v) => DURATION.test(v));
    const rotationDays = r.integer(
        "secrets.rotationDays",
        s.rotationDays ?? 90,
        1,
        90,
        "rotate credentials at least every 90 days (checklist 6.1.3)",
    );
    if (backend === "vault") {
        const vaultServer = r.string("secrets.vaultServer", s.vaultServer, 'set the Vault address, e.g. "https://vault.example.com:8200"', (v) =>
            v.startsWith("https://"),
        );
        return { backend, refreshInterval, rotationDays, vaultServer };
    }
    if (backend === "azure-key-vault") {
        const keyVaultUrl = r.string("secrets.keyVaultUrl", s.keyVaultUrl, 'set the vault URL, e.g. "https://voting-prod.vault.azure.net"', (v) =>
            /^https:\/\/[a-z0-9-]+\.vault\.azure\.net\/?$/.test(v),
        );
        return { backend, refreshInterval, rotationDays, keyVaultUrl };
    }
    return { backend, refreshInterval, rotationDays };
}

function readReceivers(r: Reader, value: unknown, prod: boolean): AlertReceiver[] {
    if (!Array.isArray(value)) {
        r.fail("alerting.receivers", value, 'set a list, e.g. [{"name": "oncall", "kind": "pagerduty", "severities": ["P0"]}]');
        return [];
    }
    const out = value.map((v, i): AlertReceiver => {
        const key = `alerting.receivers[${i}]`;
        const o = r.object(key, v, '{"name": "oncall", "kind": "pagerduty", "severities": ["P0"]}');
        r.onlyKeys(key, o, ["name", "kind", "severities", "to"]);
        const severities =
            Array.isArray(o.severities) && o.severities.length > 0
                ? o.severities.map((x, j) => r.oneOf(`${key}.severities[${j}]`, x, SEVERITIES))
                : [];
        if (severities.length === 0) r.fail(`${key}.severities`, o.severities, 'list the severities it receives, e.g. ["P0", "P1"]');
        const kind = r.oneOf(`${key}.kind`, o.kind, RECEIVER_KINDS);
        const to =
            kind === "email"
                ? r.string(`${key}.to`, o.to, 'give the address alerts are mailed to, e.g. "oncall@example.com"', (s) =>
                      /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s),
                  )
                : undefined;
        if (kind !== "email" && o.to !== undefined) r.fail(`${key}.to`, o.to, "remove it; only email receivers take an address");
        return {
            name: r.string(`${key}.name`, o.name, 'use a Kubernetes name, e.g. "oncall"', (s) => K8S_NAME.test(s) && s.length <= 63),
            kind,
            severities,
            ...(to !== undefined ? { to } : {}),
        };
    });
    if (prod && !out.some((x) => x.severities.includes("P0"))) {
        r.fail("alerting.receivers", value, "production routes P0 alerts to an on-call receiver (checklist 3.4.2)");
    }
    return out;
}
