import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { IClusterSecretStore as ClusterSecretStoreV1beta1 } from "@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ClusterSecretStore";
import type { IExternalSecret as ExternalSecretV1beta1 } from "@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret";
import type { CloudConfig, SecretsConfig } from "../../config/types";
import { NAMESPACES } from "../../config/workloads";
import { DATA_CA_BUNDLE } from "../data/dataTls";
import { secretName, type Credential } from "../cloud/credentials";
import { platformLabels } from "../labels";

/**
 * External Secrets promoted v1beta1 to v1 with the same fields; the model package that supports Node 20
 * types v1beta1, so the v1 objects are that type under the served apiVersion.
 */
type ServedAsV1<T> = Omit<T, "apiVersion"> & { apiVersion: "external-secrets.io/v1" };
export type IClusterSecretStore = ServedAsV1<ClusterSecretStoreV1beta1>;
export type IExternalSecret = ServedAsV1<ExternalSecretV1beta1>;

/** Where the data layer answers, and whether prod connections use TLS (checklist 1.4.3). */
export interface DataEndpoints {
    readonly postgresHost: string;
    readonly redisHost: string;
    readonly database: string;
    readonly user: string;
    readonly tls: boolean;
    /** The data CA certificate as client pods mount it; set exactly when `tls` is. */
    readonly caFile?: string;
}

export const DATA_ENDPOINTS = (tls: boolean): DataEndpoints => ({
    postgresHost: `postgres.${NAMESPACES.data}.svc.cluster.local:5432`,
    redisHost: `redis.${NAMESPACES.data}.svc.cluster.local:6379`,
    database: "votes",
    user: "voting",
    tls,
    ...(tls ? { caFile: DATA_CA_BUNDLE.file } : {}),
});

/**
 * The connection strings. The passwords come already percent-encoded for a URL's userinfo (External
 * Secrets templates encode them, see `urlEncodedTemplate`). With TLS both clients verify the server
 * against the data CA and check its name: libpq's `sslmode=verify-full` with `sslrootcert`, redis-py's
 * `ssl_ca_certs` with `ssl_check_hostname`. Redis names its `default` user: redis-cli ignores a password
 * given with an empty user name.
 */
export function connectionUrls(e: DataEndpoints, postgresPassword: string, redisPassword: string) {
    if (e.tls && !e.caFile) throw new Error("TLS connections need the CA file clients verify the servers with");
    const pgTls = e.tls ? `sslmode=verify-full&sslrootcert=${e.caFile}` : "sslmode=prefer";
    const redisTls = e.tls ? `?ssl_cert_reqs=required&ssl_ca_certs=${e.caFile}&ssl_check_hostname=true` : "";
    return {
        DATABASE_URL: `postgresql://${e.user}:${postgresPassword}@${e.postgresHost}/${e.database}?${pgTls}`,
        REDIS_URL: `${e.tls ? "rediss" : "redis"}://default:${redisPassword}@${e.redisHost}/0${redisTls}`,
    };
}

/**
 * An External Secrets v2 template of a fetched password, percent-encoded for a URL's userinfo: Go's
 * `urlquery` escapes every reserved character, and a space it turns into `+` becomes `%20` (a literal
 * `+` is already `%2B`), so any password the secret manager generates stays one URL.
 */
export const urlEncodedTemplate = (key: string) => `{{ .${key} | urlquery | replace "+" "%20" }}`;

export const APP_CONNECTIONS = "app-connections";
export const REDIS_AUTH = "redis-auth";
export const STORE = "voting-secrets";

/** Which Secrets each namespace gets: the apps their URLs, KEDA the Redis password, the data layer its own passwords. */
const PLACEMENT: { namespace: string; name: string; keys: ("urls" | "redis" | "postgres")[] }[] = [
    { namespace: NAMESPACES.api, name: APP_CONNECTIONS, keys: ["urls"] },
    { namespace: NAMESPACES.consumer, name: APP_CONNECTIONS, keys: ["urls"] },
    { namespace: NAMESPACES.consumer, name: REDIS_AUTH, keys: ["redis"] },
    { namespace: NAMESPACES.data, name: "postgres-auth", keys: ["postgres"] },
    { namespace: NAMESPACES.data, name: REDIS_AUTH, keys: ["redis"] },
];

function secretData(keys: ("urls" | "redis" | "postgres")[], urls: Record<string, string>, pg: string, redis: string, user: string) {
    const data: Record<string, string> = {};
    if (keys.includes("urls")) Object.assign(data, urls);
    if (keys.includes("redis")) data.password = redis;
    if (keys.includes("postgres")) Object.assign(data, { POSTGRES_USER: user, POSTGRES_PASSWORD: pg });
    return data;
}

const labels = (stack: string) => platformLabels("secrets", stack);

/** The ClusterSecretStore for the configured backend (External Secrets authenticates with its own workload identity). */
export function buildSecretStore(secrets: Exclude<SecretsConfig, { backend: "pulumi" }>, cloud: CloudConfig, stack: string): IClusterSecretStore {
    const sa = { name: "external-secrets", namespace: "external-secrets" };
    let provider: IClusterSecretStore["spec"] extends infer S ? (S extends { provider: infer P } ? P : never) : never;
    switch (secrets.backend) {
        case "aws-secrets-manager":
            provider = { aws: { service: "SecretsManager", region: cloud.region, auth: { jwt: { serviceAccountRef: sa } } } };
            break;
        case "gcp-secret-manager":
            provider = { gcpsm: { projectID: cloud.provider === "gcp" ? cloud.project : "" } };
            break;
        case "azure-key-vault":
            provider = { azurekv: { vaultUrl: secrets.keyVaultUrl, authType: "WorkloadIdentity", serviceAccountRef: sa } };
            break;
        case "vault":
            provider = {
                vault: {
                    server: secrets.vaultServer,
                    path: "secret",
                    version: "v2",
                    auth: { kubernetes: { mountPath: "kubernetes", role: "voting-platform", serviceAccountRef: sa } },
                },
            };
            break;
    }
    return { apiVersion: "external-secrets.io/v1", kind: "ClusterSecretStore", metadata: { name: STORE, labels: labels(stack) }, spec: { provider } };
}

/**
 * One ExternalSecret: fetches the passwords from the entries CloudSecrets creates (`voting/<stack>/{postgres,redis}`,
 * dashes on GCP and Azure) and renders the Secret from a template.
 */
export function buildExternalSecret(
    p: (typeof PLACEMENT)[number],
    secrets: Exclude<SecretsConfig, { backend: "pulumi" }>,
    stack: string,
    endpoints: DataEndpoints,
): IExternalSecret {
    const template = secretData(
        p.keys,
        connectionUrls(endpoints, urlEncodedTemplate("postgres_password"), urlEncodedTemplate("redis_password")),
        "{{ .postgres_password }}",
        "{{ .redis_password }}",
        endpoints.user,
    );
    const needs = [
        ...new Set(
            Object.values(template)
                .join(" ")
                .match(/\.(postgres|redis)_password/g) ?? [],
        ),
    ].map((m) => m.slice(1));
    return {
        apiVersion: "external-secrets.io/v1",
        kind: "ExternalSecret",
        metadata: { name: p.name, namespace: p.namespace, labels: labels(stack) },
        spec: {
            refreshInterval: secrets.refreshInterval,
            secretStoreRef: { kind: "ClusterSecretStore", name: STORE },
            target: { name: p.name, creationPolicy: "Owner", deletionPolicy: "Retain", template: { engineVersion: "v2", data: template } },
            data: needs.sort().map((k) => ({
                secretKey: k,
                remoteRef: { key: secretName(secrets.backend, stack, k.split("_")[0] as Credential), property: "password" },
            })),
        },
    };
}

export interface AppSecretsArgs {
    readonly secrets: SecretsConfig;
    readonly cloud: CloudConfig;
    readonly stack: string;
    readonly endpoints: DataEndpoints;
}

/**
 * The credentials every namespace needs (checklist 6.1.1, 6.1.2). Prod: External Secrets from the cloud's
 * secret manager, nothing in Pulumi state. Staging (backend "pulumi"): generated passwords, kept as
 * Pulumi secrets.
 */
export class AppSecrets extends pulumi.ComponentResource {
    /** The resources that must exist before pods read the Secrets. */
    public readonly ready: pulumi.Resource[] = [];

    constructor(name: string, args: AppSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:secrets:AppSecrets", name, {}, opts);
        const s = args.secrets;
        if (s.backend === "pulumi") {
            const password = (n: string) =>
                new random.RandomPassword(
                    `${name}-${n}-password`,
                    { length: 32, special: true, overrideSpecial: "-_", minSpecial: 2, minNumeric: 2 },
                    { parent: this },
                );
            const pg = password("postgres");
            const redis = password("redis");
            for (const p of PLACEMENT) {
                const stringData = pulumi
                    .all([pg.result, redis.result])
                    .apply(([pgp, rp]) =>
                        secretData(
                            p.keys,
                            connectionUrls(args.endpoints, encodeURIComponent(pgp), encodeURIComponent(rp)),
                            pgp,
                            rp,
                            args.endpoints.user,
                        ),
                    );
                this.ready.push(
                    new k8s.core.v1.Secret(
                        `${name}-${p.namespace}-${p.name}`,
                        {
                            metadata: { name: p.name, namespace: p.namespace, labels: labels(args.stack) },
                            type: "Opaque",
                            stringData: pulumi.secret(stringData),
                        },
                        { parent: this },
                    ),
                );
            }
        } else {
            const store = new k8s.apiextensions.CustomResource(`${name}-store`, buildSecretStore(s, args.cloud, args.stack), { parent: this });
            for (const p of PLACEMENT) {
                this.ready.push(
                    new k8s.apiextensions.CustomResource(`${name}-${p.namespace}-${p.name}`, buildExternalSecret(p, s, args.stack, args.endpoints), {
                        parent: this,
                        dependsOn: [store],
                    }),
                );
            }
        }
        this.registerOutputs({});
    }
}
