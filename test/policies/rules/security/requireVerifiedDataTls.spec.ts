import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireVerifiedDataTls } from "../../../../policies/rules/security/requireVerifiedDataTls";
import { asKind, compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const PG =
    'postgresql://voting:{{ .pw | urlquery | replace "+" "%20" }}@postgres.voting-data.svc.cluster.local:5432/votes?sslmode=verify-full&sslrootcert=/tls/ca.crt';
const REDIS =
    "rediss://default:{{ .rpw }}@redis.voting-data.svc.cluster.local:6379/0?ssl_cert_reqs=required&ssl_ca_certs=/tls/ca.crt&ssl_check_hostname=true";

const externalSecret = (): K8sObject => ({
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name: "app-connections", namespace: "voting-api" },
    spec: { target: { name: "app-connections", template: { engineVersion: "v2", data: { DATABASE_URL: PG, REDIS_URL: REDIS } } } },
});
const backup = (): K8sObject =>
    withChange(asKind("CronJob"), (x) => {
        x.metadata!.name = "postgres-backup";
        x.spec.jobTemplate.spec.template.spec.containers[0].env = [
            { name: "PGSSLMODE", value: "verify-full" },
            { name: "PGSSLROOTCERT", value: "/tls/ca.crt" },
        ];
    });
const scaledObject = (): K8sObject => ({
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: "consumer", namespace: "voting-consumer" },
    spec: {
        scaleTargetRef: { name: "consumer" },
        triggers: [
            {
                type: "redis-streams",
                metadata: { address: "redis:6379", stream: "votes", enableTLS: "true" },
                authenticationRef: { name: "consumer-redis" },
            },
        ],
    },
});
const triggerAuth = (): K8sObject => ({
    apiVersion: "keda.sh/v1alpha1",
    kind: "TriggerAuthentication",
    metadata: { name: "consumer-redis", namespace: "voting-consumer" },
    spec: {
        secretTargetRef: [
            { parameter: "password", name: "redis-auth", key: "password" },
            { parameter: "ca", name: "data-ca-bundle", key: "ca.crt" },
        ],
    },
});
const compliant = () => [compliantDeployment(), externalSecret(), backup(), scaledObject(), triggerAuth()];
const FIX_PG = "use sslmode=verify-full with sslrootcert naming the CA, which checks the server's certificate and name";

describe("require-verified-data-tls", () => {
    it("accepts verify-full PostgreSQL URLs and PGSSLMODE, rediss:// with checks on, and a KEDA trigger over TLS", () => {
        assert.deepStrictEqual(violations(requireVerifiedDataTls, compliant()), []);
    });

    it("refuses sslmode=require and verify-ca in a template, which encrypt without checking the server's name", () => {
        for (const mode of ["require", "verify-ca"]) {
            const es = withChange(externalSecret(), (x) => (x.spec.target.template.data.DATABASE_URL = PG.replace("verify-full", mode)));
            assert.deepStrictEqual(violations(requireVerifiedDataTls, [es]), [
                `ExternalSecret voting-api/app-connections: template key DATABASE_URL connects to PostgreSQL with sslmode=${mode}; ${FIX_PG}`,
            ]);
        }
    });

    it("judges a ClusterExternalSecret's template as an ExternalSecret's: it writes the same Secret into every namespace it selects", () => {
        const cluster = (data: Record<string, string>): K8sObject => ({
            apiVersion: "external-secrets.io/v1",
            kind: "ClusterExternalSecret",
            metadata: { name: "app-connections" },
            spec: {
                namespaceSelectors: [{ matchLabels: { "app.kubernetes.io/part-of": "voting-app" } }],
                externalSecretSpec: { target: { name: "app-connections", template: { data } } },
            },
        });
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [cluster({ DATABASE_URL: PG, REDIS_URL: REDIS })]), []);
        assert.deepStrictEqual(
            violations(requireVerifiedDataTls, [cluster({ DATABASE_URL: PG.replace("verify-full", "require"), REDIS_URL: REDIS })]),
            [`ClusterExternalSecret app-connections: template key DATABASE_URL connects to PostgreSQL with sslmode=require; ${FIX_PG}`],
        );
        // The ExternalSecret's own path is not a ClusterExternalSecret's.
        const misplaced = withChange(
            cluster({}),
            (x) => (x.spec.target = { template: { data: { DATABASE_URL: PG.replace("verify-full", "require") } } }),
        );
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [misplaced]), []);
    });

    it("reads env entries set by valueFrom as unknown, PGSSLMODE included, and judges the Secret they come from instead", () => {
        const fromSecrets = withChange(backup(), (x) => {
            x.spec.jobTemplate.spec.template.spec.containers[0].env = [
                { name: "PGSSLMODE", valueFrom: { secretKeyRef: { name: "pg-settings", key: "mode" } } },
                { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "app-connections", key: "DATABASE_URL" } } },
            ];
        });
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [fromSecrets]), []);
    });

    it("refuses a PostgreSQL URL without sslmode, which libpq treats as prefer", () => {
        const es = withChange(externalSecret(), (x) => (x.spec.target.template.data.DATABASE_URL = "postgres://u:p@db:5432/votes"));
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [es]), [
            `ExternalSecret voting-api/app-connections: template key DATABASE_URL connects to PostgreSQL with sslmode=unset (prefer); ${FIX_PG}`,
        ]);
    });

    it("refuses a plain redis:// URL in a Secret's stringData and in its base64 data", () => {
        const secret: K8sObject = {
            apiVersion: "v1",
            kind: "Secret",
            metadata: { name: "app-connections", namespace: "voting-api" },
            stringData: { REDIS_URL: "redis://default:pw@redis:6379/0" },
            data: { CACHE_URL: Buffer.from("redis://cache:6379").toString("base64") },
        };
        const plain = "connects to Redis over plain TCP (redis://); use rediss:// and verify the server against its CA";
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [secret]), [
            `Secret voting-api/app-connections: key REDIS_URL ${plain}`,
            `Secret voting-api/app-connections: key CACHE_URL ${plain}`,
        ]);
    });

    it("refuses rediss:// URLs that turn the certificate or host name check off", () => {
        const es = withChange(externalSecret(), (x) => {
            x.spec.target.template.data.REDIS_URL = REDIS.replace("ssl_cert_reqs=required", "ssl_cert_reqs=none");
            x.spec.target.template.data.CACHE_URL = REDIS.replace("ssl_check_hostname=true", "ssl_check_hostname=false");
        });
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [es]), [
            "ExternalSecret voting-api/app-connections: template key REDIS_URL turns Redis certificate checks off (ssl_cert_reqs=none); require them",
            "ExternalSecret voting-api/app-connections: template key CACHE_URL turns the Redis host name check off (ssl_check_hostname=false); set it to true",
        ]);
    });

    it("refuses PGSSLMODE=require in a CronJob's container, and a URL in a container's literal env or a ConfigMap", () => {
        const cron = withChange(backup(), (x) => (x.spec.jobTemplate.spec.template.spec.containers[0].env[0].value = "require"));
        const name = cron.spec.jobTemplate.spec.template.spec.containers[0].name;
        const cm: K8sObject = {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "app", namespace: "voting-api" },
            data: { "app.ini": "db = postgresql://db/votes?sslmode=disable\n" },
        };
        const deployment = withChange(
            compliantDeployment(),
            (x) => (x.spec.template.spec.containers[0].env = [{ name: "DB", value: "postgres://db/votes?sslmode=allow" }]),
        );
        const container = deployment.spec.template.spec.containers[0].name;
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [cron, cm, deployment]), [
            `CronJob voting-api/postgres-backup: container "${name}" sets PGSSLMODE=require; use verify-full with PGSSLROOTCERT naming the CA`,
            `ConfigMap voting-api/app: key app.ini connects to PostgreSQL with sslmode=disable; ${FIX_PG}`,
            `Deployment voting-api/api: container "${container}" env DB connects to PostgreSQL with sslmode=allow; ${FIX_PG}`,
        ]);
    });

    it("lets a stack on plain TCP by design (plaintextAllowed) connect without TLS", () => {
        const plain = withChange(externalSecret(), (x) => {
            x.spec.target.template.data.DATABASE_URL = PG.replace("verify-full", "prefer");
            x.spec.target.template.data.REDIS_URL = "redis://default:pw@redis:6379/0";
            x.spec.target.template.data.REPORTS_URL = "postgres://reports@db:5432/reports";
        });
        const noTls = withChange(scaledObject(), (x) => delete x.spec.triggers[0].metadata.enableTLS);
        const cron = withChange(backup(), (x) => (x.spec.jobTemplate.spec.template.spec.containers[0].env[0].value = "disable"));
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [plain, noTls, triggerAuth(), cron], { plaintextAllowed: true }), []);
    });

    it("still refuses TLS that does not verify the server when plaintextAllowed is set", () => {
        const es = withChange(externalSecret(), (x) => {
            x.spec.target.template.data.DATABASE_URL = PG.replace("verify-full", "require");
            x.spec.target.template.data.REDIS_URL = REDIS.replace("ssl_cert_reqs=required", "ssl_cert_reqs=none");
        });
        const cron = withChange(backup(), (x) => (x.spec.jobTemplate.spec.template.spec.containers[0].env[0].value = "verify-ca"));
        const name = cron.spec.jobTemplate.spec.template.spec.containers[0].name;
        const unsafe = withChange(scaledObject(), (x) => (x.spec.triggers[0].metadata.unsafeSsl = "true"));
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [es, cron, unsafe, triggerAuth()], { plaintextAllowed: true }), [
            `ExternalSecret voting-api/app-connections: template key DATABASE_URL connects to PostgreSQL with sslmode=require; ${FIX_PG}`,
            "ExternalSecret voting-api/app-connections: template key REDIS_URL turns Redis certificate checks off (ssl_cert_reqs=none); require them",
            `CronJob voting-api/postgres-backup: container "${name}" sets PGSSLMODE=verify-ca; use verify-full with PGSSLROOTCERT naming the CA`,
            "ScaledObject voting-consumer/consumer: redis-streams trigger sets unsafeSsl, which skips verifying Redis's certificate",
        ]);
    });

    it("refuses a KEDA Redis trigger over plain TCP or with unsafeSsl, and accepts TLS enabled through the TriggerAuthentication", () => {
        const plain = withChange(scaledObject(), (x) => delete x.spec.triggers[0].metadata.enableTLS);
        const unsafe = withChange(scaledObject(), (x) => (x.spec.triggers[0].metadata.unsafeSsl = "true"));
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [plain, triggerAuth()]), [
            'ScaledObject voting-consumer/consumer: redis-streams trigger speaks plain TCP to Redis; set enableTLS "true" and give its TriggerAuthentication the CA (parameter ca)',
        ]);
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [unsafe, triggerAuth()]), [
            "ScaledObject voting-consumer/consumer: redis-streams trigger sets unsafeSsl, which skips verifying Redis's certificate",
        ]);
        const viaAuth = withChange(triggerAuth(), (x) => x.spec.secretTargetRef.push({ parameter: "tls", name: "redis-tls-flag", key: "tls" }));
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [plain, viaAuth]), []);
    });

    it("refuses a ScaledJob's Redis trigger over plain TCP as it does a ScaledObject's, and reads enableTLS and unsafeSsl in any case", () => {
        const job = (metadata: Record<string, string>): K8sObject => ({
            apiVersion: "keda.sh/v1alpha1",
            kind: "ScaledJob",
            metadata: { name: "tally", namespace: "voting-consumer" },
            spec: {
                jobTargetRef: { template: { spec: { containers: [{ name: "tally", image: "tally:1.0" }] } } },
                triggers: [
                    { type: "prometheus", metadata: { serverAddress: "http://prometheus:9090", query: "sum(votes_pending)", threshold: "100" } },
                    {
                        type: "redis",
                        metadata: { address: "redis:6379", listName: "votes", ...metadata },
                        authenticationRef: { name: "consumer-redis" },
                    },
                ],
            },
        });
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [job({}), triggerAuth()]), [
            'ScaledJob voting-consumer/tally: redis trigger speaks plain TCP to Redis; set enableTLS "true" and give its TriggerAuthentication the CA (parameter ca)',
        ]);
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [job({ enableTLS: "True", unsafeSsl: "TRUE" }), triggerAuth()]), [
            "ScaledJob voting-consumer/tally: redis trigger sets unsafeSsl, which skips verifying Redis's certificate",
        ]);
    });

    it("finds the trigger's TriggerAuthentication in its own namespace, or the ClusterTriggerAuthentication it names", () => {
        const plain = withChange(scaledObject(), (x) => delete x.spec.triggers[0].metadata.enableTLS);
        const tlsParams = [
            { parameter: "tls", name: "redis-tls-flag", key: "tls" },
            { parameter: "ca", name: "data-ca-bundle", key: "ca.crt" },
        ];
        const elsewhere = withChange(triggerAuth(), (x) => ((x.metadata!.namespace = "voting-api"), (x.spec.secretTargetRef = tlsParams)));
        const message =
            'ScaledObject voting-consumer/consumer: redis-streams trigger speaks plain TCP to Redis; set enableTLS "true" and give its TriggerAuthentication the CA (parameter ca)';
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [plain, elsewhere]), [message]);

        const cluster = (params: unknown[]): K8sObject => ({
            apiVersion: "keda.sh/v1alpha1",
            kind: "ClusterTriggerAuthentication",
            metadata: { name: "data-redis" },
            spec: { secretTargetRef: params },
        });
        const viaCluster = withChange(
            plain,
            (x) => (x.spec.triggers[0].authenticationRef = { name: "data-redis", kind: "ClusterTriggerAuthentication" }),
        );
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [viaCluster, cluster(tlsParams)]), []);
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [viaCluster, cluster(tlsParams.slice(1))]), [message]);
        const noRef = withChange(plain, (x) => delete x.spec.triggers[0].authenticationRef);
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [noRef, triggerAuth()]), [message]);
    });

    it("reads a URL's query with escapes decoded, names and values in any case, empty pairs skipped, a malformed escape as written, no query without ?", () => {
        const pg = (url: string) => withChange(externalSecret(), (x) => (x.spec.target.template.data.DATABASE_URL = url));
        const refused = (mode: string) =>
            `ExternalSecret voting-api/app-connections: template key DATABASE_URL connects to PostgreSQL with sslmode=${mode}; ${FIX_PG}`;
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [pg("postgres://db/votes?&sslmode=verify%2Dfull&&sslrootcert=/tls/ca.crt")]), []);
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [pg("postgres://db/votes?SSLMode=Verify-Full&sslrootcert=/tls/ca.crt")]), []);
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [pg("postgres://db/votes?sslmode=%E0%A4%A")]), [refused("%e0%a4%a")]);
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [pg("postgres://db/votes?sslmode")]), [refused("")]);
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [pg("postgres://db/votes&sslmode=verify-full")]), [refused("unset (prefer)")]);
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [pg("postgres://{{ .hostAndDatabase }}")]), [refused("unset (prefer)")]);
        const redis = withChange(
            externalSecret(),
            (x) => (x.spec.target.template.data.REDIS_URL = REDIS.replace("ssl_cert_reqs=required", "ssl_cert_reqs=optional")),
        );
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [redis]), [
            "ExternalSecret voting-api/app-connections: template key REDIS_URL turns Redis certificate checks off (ssl_cert_reqs=optional); require them",
        ]);
    });

    it("reads a ConfigMap's data as written, not as base64 as it does a Secret's", () => {
        const encoded = Buffer.from("redis://cache:6379").toString("base64");
        const cm: K8sObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app", namespace: "voting-api" }, data: { CACHE: encoded } };
        assert.deepStrictEqual(violations(requireVerifiedDataTls, [cm]), []);
    });
});
