import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireExternalSecrets } from "../../../../policies/rules/security/requireExternalSecrets";
import { apiClient, asPodKind, containerOf, POD_KINDS, specOf } from "../../../helpers/dataFixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const check = (objects: K8sObject[], cfg: Record<string, unknown> = {}) => violations(requireExternalSecrets, objects, cfg);
const [api, , externalSecret] = apiClient();
const certificate: K8sObject = {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: "api-tls", namespace: "voting-api" },
    spec: { secretName: "api-tls", issuerRef: { name: "data-ca" } },
};
const unwritten = (kind: string, where: string, name = "app-connections") =>
    `${kind} voting-api/api: ${where} reads Secret ${name}, which no ExternalSecret or Certificate of the resource set writes; create it with an ExternalSecret`;

describe(requireExternalSecrets.name, () => {
    it("accepts workloads reading Secrets that an ExternalSecret writes, on every kind that runs pods", () => {
        for (const kind of POD_KINDS) assert.deepStrictEqual(check([asPodKind(kind, api), externalSecret]), [], kind);
    });

    it("refuses a workload reading a Secret nothing writes, on every kind that runs pods", () => {
        for (const kind of POD_KINDS) {
            assert.deepStrictEqual(check([asPodKind(kind, api)]), [
                unwritten(kind, 'container "api" env DATABASE_URL'),
                unwritten(kind, 'container "api" env REDIS_URL'),
            ]);
        }
    });

    it("follows an ExternalSecret's target name, which defaults to its own name, in its namespace only", () => {
        const renamed = withChange(externalSecret, (x) => {
            x.metadata!.name = "app-connections";
            delete x.spec.target.name;
        });
        assert.deepStrictEqual(check([api, renamed]), []);
        const otherTarget = withChange(externalSecret, (x) => (x.spec.target.name = "other"));
        assert.strictEqual(check([api, otherTarget]).length, 2);
        const elsewhere = withChange(externalSecret, (x) => (x.metadata!.namespace = "voting-consumer"));
        assert.strictEqual(check([api, elsewhere]).length, 2);
    });

    it("judges envFrom, Secret volumes and projected volumes, and accepts Certificates' Secrets and optional references", () => {
        const reader = withChange(api, (x) => {
            containerOf(x).env = [{ name: "X", valueFrom: { secretKeyRef: { name: "maybe", key: "x", optional: true } } }];
            containerOf(x).envFrom = [{ secretRef: { name: "env-bundle" } }];
            specOf(x).volumes = [
                { name: "tls", secret: { secretName: "api-tls" } },
                { name: "keys", projected: { sources: [{ secret: { name: "signing-keys" } }] } },
            ];
        });
        assert.deepStrictEqual(check([reader, certificate]), [
            unwritten("Deployment", 'container "api" envFrom', "env-bundle"),
            unwritten("Deployment", "volume keys", "signing-keys"),
        ]);
        assert.deepStrictEqual(check([reader, certificate], { externalSecrets: ["voting-api/env-bundle", "voting-api/signing-keys"] }), []);
    });

    it("skips optional references of every sort and references that name no Secret, and names the volume that reads one nothing writes", () => {
        const reader = withChange(api, (x) => {
            containerOf(x).env = [];
            containerOf(x).envFrom = [{ secretRef: { name: "maybe-env", optional: true } }, { configMapRef: { name: "settings" } }];
            specOf(x).volumes = [
                { name: "tls", secret: { secretName: "api-certs" } },
                { name: "maybe", secret: { secretName: "maybe-volume", optional: true } },
                { name: "settings", configMap: { name: "settings" } },
                {
                    name: "keys",
                    projected: { sources: [{ secret: { name: "maybe-projected", optional: true } }, { configMap: { name: "settings" } }] },
                },
            ];
        });
        assert.deepStrictEqual(check([reader]), [unwritten("Deployment", "volume tls", "api-certs")]);
    });

    it("takes a Certificate to write the Secret its secretName names, and no other kind to write one by spec.secretName", () => {
        const renamed = withChange(certificate, (x) => (x.spec.secretName = "api-tls-v2"));
        const reader = withChange(api, (x) => {
            containerOf(x).env = [];
            specOf(x).volumes = [{ name: "tls", secret: { secretName: "api-tls" } }];
        });
        assert.deepStrictEqual(check([reader, renamed]), [unwritten("Deployment", "volume tls", "api-tls")]);
        const backup: K8sObject = {
            apiVersion: "backup.example.com/v1",
            kind: "BackupSchedule",
            metadata: { name: "nightly", namespace: "voting-api" },
            spec: { secretName: "api-tls" },
        };
        assert.deepStrictEqual(check([reader, backup]), [unwritten("Deployment", "volume tls", "api-tls")]);
    });

    it("refuses a Secret carrying its values in the manifest, and says nothing more of its readers", () => {
        const literal: K8sObject = {
            apiVersion: "v1",
            kind: "Secret",
            metadata: { name: "app-connections", namespace: "voting-api" },
            stringData: { DATABASE_URL: "postgresql://voting:pw@postgres/votes" },
            data: { REDIS_URL: Buffer.from("rediss://redis").toString("base64") },
        };
        assert.deepStrictEqual(check([api, literal]), [
            "Secret voting-api/app-connections: carries its values in the manifest (keys REDIS_URL, DATABASE_URL); create it from an ExternalSecret that reads the secret manager",
        ]);
        // A manifest checked offline may set data to something that is not a map; it names no key, but carries data.
        assert.deepStrictEqual(check([api, { ...literal, stringData: undefined, data: "cG9zdGdyZXNxbDovL3ZvdGluZzpwd0Bwb3N0Z3Jlcy92b3Rlcw==" }]), [
            "Secret voting-api/app-connections: carries its values in the manifest (data); create it from an ExternalSecret that reads the secret manager",
        ]);
        const token: K8sObject = {
            apiVersion: "v1",
            kind: "Secret",
            type: "kubernetes.io/service-account-token",
            metadata: { name: "app-connections", namespace: "voting-api" },
        };
        assert.deepStrictEqual(check([api, token]), []);
        for (const empty of [{ data: {} }, { data: null, stringData: null }]) {
            assert.deepStrictEqual(check([api, { ...token, ...empty }]), [], JSON.stringify(empty));
        }
    });

    it("judges the Secrets a KEDA TriggerAuthentication reads", () => {
        const auth: K8sObject = {
            apiVersion: "keda.sh/v1alpha1",
            kind: "TriggerAuthentication",
            metadata: { name: "redis", namespace: "voting-api" },
            spec: { secretTargetRef: [{ parameter: "password", name: "redis-auth", key: "password" }] },
        };
        assert.deepStrictEqual(check([auth]), [
            "TriggerAuthentication voting-api/redis: secretTargetRef password reads Secret redis-auth, which no ExternalSecret or Certificate of the resource set writes; create it with an ExternalSecret",
        ]);
    });

    it("blocks the registry's mutants of 6.1.2 on the rendered prod stack", async () => {
        assert.deepStrictEqual(
            await registryMutantBlockers("6.1.2", "the API's connection Secret is written with its values instead of by External Secrets"),
            [
                "require-external-secrets: Secret voting-api/app-connections: carries its values in the manifest (keys DATABASE_URL, REDIS_URL); create it from an ExternalSecret that reads the secret manager",
            ],
        );
        assert.deepStrictEqual(await registryMutantBlockers("6.1.2", "the consumer reads a Secret that nothing writes"), [
            'require-external-secrets: Deployment voting-consumer/consumer: container "consumer" env DATABASE_URL reads Secret consumer-db, which no ExternalSecret or Certificate of the resource set writes; create it with an ExternalSecret',
        ]);
    });
});
