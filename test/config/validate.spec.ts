import * as assert from "assert";
import { ConfigError, validateConfig } from "../../config/validate";
import { decodeConfigValue } from "../../config/validate";
import { loadStackConfig } from "../../tools/lib/stackConfig";

/** The prod stack file's values, decoded as the program reads them. */
function prodRaw(): Record<string, unknown> {
    const cfg = loadStackConfig("prod");
    return Object.fromEntries(Object.entries(cfg.values).map(([k, v]) => [k.replace(/^voting-platform:/, ""), decodeConfigValue(v)]));
}

/** The one problem a bad value causes, starting from the valid prod config. */
function problemsFor(change: (raw: Record<string, any>) => void): readonly string[] {
    const raw = JSON.parse(JSON.stringify(prodRaw()));
    change(raw);
    try {
        validateConfig(raw, "voting-platform", "prod");
    } catch (e) {
        assert.ok(e instanceof ConfigError, String(e));
        return e.problems;
    }
    return [];
}

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
        (r) => (r.cloud = { provider: "gcp", region: "europe-west1" }),
        "config `voting-platform:cloud.project` is not set; name the GCP project id",
    ],
    [
        "an Azure cloud without a resource group",
        (r) => (r.cloud = { provider: "azure", region: "westeurope" }),
        "config `voting-platform:cloud.resourceGroup` is not set; name the Azure resource group",
    ],
    [
        "a backup replica in the same region",
        (r) => (r.cloud.backupReplicaRegion = "eu-west-1"),
        'config `voting-platform:cloud.backupReplicaRegion` is "eu-west-1"; name a region other than cloud.region',
    ],
    [
        "a Kubernetes version below 1.28",
        (r) => (r.kubernetesVersion = "1.27"),
        'config `voting-platform:kubernetesVersion` is "1.27"; set the cluster\'s minor version, 1.28 or later, e.g. "1.30"',
    ],
    [
        "a prod CNI that does not enforce NetworkPolicy",
        (r) => (r.cni = "flannel"),
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
        "config `voting-platform:features.verificationJob` is true; remove it; `features` takes verificationJobs, ciliumL7Policies, monitoring",
    ],
    [
        "an unknown top-level key",
        (r) => (r.replicaCount = 3),
        "config `voting-platform:replicaCount` is 3; remove it or use one of the keys in Pulumi.yaml (environment, cloud, kubernetesVersion, cni, images, workloads, corsOrigins, ingress, storage, backup, secrets, rbac, alerting, features, release, app)",
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

    it("lets staging use Pulumi-held secrets, a wildcard CORS origin and a smaller pool", () => {
        const raw = prodRaw();
        Object.assign(raw, { environment: "staging", secrets: { backend: "pulumi" }, corsOrigins: ["*"], app: { dbPoolSize: 5 } });
        const cfg = validateConfig(raw, "voting-platform", "staging");
        assert.deepStrictEqual([cfg.secrets.backend, cfg.corsOrigins, cfg.app.dbPoolSize], ["pulumi", ["*"], 5]);
    });

    it("types each cloud as its own shape", () => {
        const raw = { ...prodRaw(), cloud: { provider: "gcp", region: "europe-west1", project: "voting-prod-1234" } };
        assert.deepStrictEqual(validateConfig(raw, "voting-platform", "prod").cloud, {
            provider: "gcp",
            region: "europe-west1",
            backupReplicaRegion: undefined,
            project: "voting-prod-1234",
        });
    });
});
