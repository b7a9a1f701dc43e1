import * as assert from "assert";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";

async function find(stack: string, kind: string, namespace: string | undefined, name: string) {
    const obj = kubernetesObjects(await rendered(stack)).find(
        (o) => o.kind === kind && o.metadata?.namespace === namespace && o.metadata?.name === name,
    );
    assert.ok(obj, `${kind} ${namespace}/${name} is not rendered in ${stack}`);
    return obj;
}

describe("platform pieces around the workloads (rendered)", () => {
    it("scales the prod consumer on pending entries of group vote-processors, 2 to 6, over TLS", async () => {
        const so = await find("prod", "ScaledObject", "voting-consumer", "consumer");
        assert.deepStrictEqual(so.spec, {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "consumer" },
            minReplicaCount: 2,
            maxReplicaCount: 6,
            pollingInterval: 15,
            cooldownPeriod: 300,
            advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } } },
            triggers: [
                {
                    type: "redis-streams",
                    metadata: {
                        address: "redis.voting-data.svc.cluster.local:6379",
                        stream: "votes",
                        consumerGroup: "vote-processors",
                        pendingEntriesCount: "100",
                        enableTLS: "true",
                    },
                    authenticationRef: { name: "consumer-redis" },
                },
            ],
        });
        const auth = await find("prod", "TriggerAuthentication", "voting-consumer", "consumer-redis");
        assert.deepStrictEqual(auth.spec, {
            secretTargetRef: [
                { parameter: "password", name: "redis-auth", key: "password" },
                { parameter: "ca", name: "data-ca-bundle", key: "ca.crt" },
            ],
        });
        const d = await find("prod", "Deployment", "voting-consumer", "consumer");
        assert.strictEqual(d.spec.replicas, undefined, "KEDA owns the replica count");
    });

    it("routes the public host only to the frontend, with TLS, redirect, HSTS, a 1m body limit and rate limits", async () => {
        const ing = await find("prod", "Ingress", "voting-frontend", "voting");
        assert.deepStrictEqual(ing.metadata?.annotations, {
            "nginx.ingress.kubernetes.io/ssl-redirect": "true",
            "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
            "nginx.ingress.kubernetes.io/proxy-body-size": "1m",
            "nginx.ingress.kubernetes.io/limit-rps": "20",
            "nginx.ingress.kubernetes.io/limit-burst-multiplier": "5",
            "nginx.ingress.kubernetes.io/limit-connections": "20",
            "nginx.ingress.kubernetes.io/custom-headers": "voting-frontend/security-headers",
        });
        assert.deepStrictEqual(ing.spec, {
            ingressClassName: "nginx",
            tls: [{ hosts: ["voting.example.com"], secretName: "voting-tls" }],
            rules: [
                {
                    host: "voting.example.com",
                    http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "frontend", port: { name: "http" } } } }] },
                },
            ],
        });
        const headers = await find("prod", "ConfigMap", "voting-frontend", "security-headers");
        assert.strictEqual(headers.data["Strict-Transport-Security"], "max-age=31536000; includeSubDomains");
        const cert = await find("prod", "Certificate", "voting-frontend", "voting-tls");
        assert.deepStrictEqual(cert.spec.issuerRef, { kind: "ClusterIssuer", name: "letsencrypt-prod", group: "cert-manager.io" });
        const issuer = await find("staging", "ClusterIssuer", undefined, "letsencrypt-staging");
        assert.strictEqual(issuer.spec.acme.server, "https://acme-staging-v02.api.letsencrypt.org/directory");
    });

    it("has the frontend proxy /api to the API Service, which the Ingress cannot reach across namespaces", async () => {
        const cm = await find("prod", "ConfigMap", "voting-frontend", "frontend-config");
        assert.match(cm.data["default.conf"], /location \/api\/ \{\n {8}proxy_pass http:\/\/api\.voting-api\.svc\.cluster\.local:8000;/);
        assert.match(cm.data["default.conf"], /client_max_body_size 1m;/);
    });

    it("fetches prod credentials through External Secrets, never from Pulumi", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        assert.deepStrictEqual(
            objs.filter((o) => o.kind === "Secret"),
            [],
        );
        const store = await find("prod", "ClusterSecretStore", undefined, "voting-secrets");
        assert.deepStrictEqual(store.spec.provider, {
            aws: {
                service: "SecretsManager",
                region: "eu-west-1",
                auth: { jwt: { serviceAccountRef: { name: "external-secrets", namespace: "external-secrets" } } },
            },
        });
        const es = await find("prod", "ExternalSecret", "voting-api", "app-connections");
        assert.deepStrictEqual(es.spec.target.template.data, {
            DATABASE_URL:
                'postgresql://voting:{{ .postgres_password | urlquery | replace "+" "%20" }}@postgres.voting-data.svc.cluster.local:5432/votes?sslmode=verify-full&sslrootcert=/tls/ca.crt',
            REDIS_URL:
                'rediss://default:{{ .redis_password | urlquery | replace "+" "%20" }}@redis.voting-data.svc.cluster.local:6379/0?ssl_cert_reqs=required&ssl_ca_certs=/tls/ca.crt&ssl_check_hostname=true',
        });
        assert.deepStrictEqual(es.spec.data, [
            { secretKey: "postgres_password", remoteRef: { key: "voting/prod/postgres", property: "password" } },
            { secretKey: "redis_password", remoteRef: { key: "voting/prod/redis", property: "password" } },
        ]);
        assert.strictEqual(es.spec.refreshInterval, "1h");
    });

    it("has Reloader roll the API and consumer when app-connections changes: rewritten by External Secrets in prod, by an update in staging", async () => {
        const reload = async (stack: string, namespace: string, name: string) =>
            (await find(stack, "Deployment", namespace, name)).metadata?.annotations?.["secret.reloader.stakater.com/reload"];
        assert.deepStrictEqual(
            [await reload("prod", "voting-api", "api"), await reload("prod", "voting-consumer", "consumer")],
            ["app-connections", "app-connections"],
        );
        assert.deepStrictEqual(
            [await reload("staging", "voting-api", "api"), await reload("staging", "voting-consumer", "consumer")],
            ["app-connections", "app-connections"],
        );
        assert.strictEqual(await reload("prod", "voting-frontend", "frontend"), undefined, "the frontend reads no Secret");
    });

    it("generates staging passwords and keeps them secret in what render writes", async () => {
        const result = await rendered("staging");
        const secret = result.resources.find((r) => r.key === "kubernetes:core/v1:Secret::voting-secrets-voting-api-app-connections");
        assert.ok(secret);
        assert.strictEqual(secret.redactedInputs.stringData, "[secret]");
        assert.match(
            (secret.inputs.stringData as Record<string, string>).REDIS_URL,
            /^redis:\/\/default:generated-voting-secrets-redis-password@redis\.voting-data/,
        );
        assert.ok(
            result.resources.some((r) => r.type === "random:index/randomPassword:RandomPassword" && r.name === "voting-secrets-postgres-password"),
        );
    });

    it("ranks the platform's pods with its PriorityClass", async () => {
        const pc = await find("prod", "PriorityClass", undefined, "voting-platform");
        assert.deepStrictEqual([pc.value, pc.globalDefault, pc.preemptionPolicy], [100000, false, "PreemptLowerPriority"]);
    });
});
