import * as assert from "assert";
import { existingCluster, parsedWith, problemsFor } from "./fixtures";

const DIGEST = "sha256:" + "c".repeat(64);

/** The same change on the staging stack. */
const staging = (change: (r: Record<string, any>) => void) => (r: Record<string, any>) => {
    change(r);
    r.environment = "staging";
    r.secrets = { backend: "pulumi" };
};

describe("config validation of numbers", () => {
    it("reads a whole number only from digits, refusing an exponent, blanks or a list", () => {
        for (const bad of ["1e2", " 14", "14 ", [14]]) {
            assert.deepStrictEqual(
                problemsFor((r) => (r.backup.retentionDays = bad)),
                [`config \`voting-platform:backup.retentionDays\` is ${JSON.stringify(bad)}; keep backups 7 days or more, e.g. 7`],
                JSON.stringify(bad),
            );
        }
    });

    it("reads a trace sample ratio only from a decimal, refusing an exponent, a list, true or more than 1", () => {
        for (const bad of ["1e-2", " 0.05", "0.05 ", [0.05], true, 1.5]) {
            assert.deepStrictEqual(
                problemsFor((r) => (r.tracing.sampleRatio = bad)),
                [`config \`voting-platform:tracing.sampleRatio\` is ${JSON.stringify(bad)}; use a ratio above 0 and at most 1, e.g. 0.1`],
                JSON.stringify(bad),
            );
        }
    });

    it("refuses a Kubernetes version with a patch number or a v prefix", () => {
        for (const bad of ["1.30.1", "v1.30", "11.30"]) {
            assert.deepStrictEqual(
                problemsFor((r) => (r.kubernetesVersion = bad)),
                [
                    `config \`voting-platform:kubernetesVersion\` is ${JSON.stringify(bad)}; set the cluster's minor version, 1.28 or later, e.g. "1.30"`,
                ],
                bad,
            );
        }
    });

    it("names the replica range of a stateless workload, once, when a count is out of it", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.workloads = { api: { replicas: 101 } })),
            ["config `voting-platform:workloads.api.replicas` is 101; set 1 to 100 replicas"],
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.workloads = { consumer: { replicas: "two" } })),
            ['config `voting-platform:workloads.consumer.replicas` is "two"; set 1 to 100 replicas'],
        );
    });

    it("lets staging run fewer replicas than prod's least", () => {
        assert.strictEqual(
            parsedWith(
                staging((r) => (r.workloads = { api: { replicas: 2 }, consumer: { replicas: 1 } })),
                "staging",
            ).workloads.consumer?.replicas,
            1,
        );
    });
});

describe("config validation of objects", () => {
    it("refuses an object key set to null, with an example of the object", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.workloads = { api: null })),
            ['config `voting-platform:workloads.api` is null; set an object, e.g. {"replicas": 3}'],
        );
    });

    it("refuses alerting, tracing, canary and secrets set to a string, with an example of each and what it then misses", () => {
        const cases: [string, (r: Record<string, any>) => void, string[]][] = [
            [
                "alerting",
                (r) => (r.alerting = "oncall"),
                [
                    'config `voting-platform:alerting` is "oncall"; set an object, e.g. {"receivers": [{"name": "oncall", "kind": "pagerduty", "severities": ["P0"]}]}',
                    "config `voting-platform:alerting.receivers` is []; production routes P0 alerts to an on-call receiver (checklist 3.4.2)",
                ],
            ],
            [
                "tracing",
                (r) => (r.tracing = "tempo:4317"),
                [
                    'config `voting-platform:tracing` is "tempo:4317"; set an object, e.g. {"endpoint": "tempo.monitoring.svc.cluster.local:4317", "sampleRatio": 0.1}',
                    'config `voting-platform:tracing.endpoint` is not set; give the OTLP gRPC address of the tracing backend, e.g. "tempo.monitoring.svc.cluster.local:4317"',
                ],
            ],
            [
                "canary",
                (r) => (r.canary = "1.5.0"),
                [
                    'config `voting-platform:canary` is "1.5.0"; set an object, e.g. {"tag": "1.5.0", "weight": 10}',
                    'config `voting-platform:canary.tag` is not set; pin the version under test, e.g. "1.5.0"',
                    "config `voting-platform:canary.digest` is not set; the API's image is pinned by digest (images.api.digest); pin the canary's the same way",
                ],
            ],
            [
                "secrets",
                (r) => (r.secrets = "aws-secrets-manager"),
                [
                    'config `voting-platform:secrets` is "aws-secrets-manager"; set an object, e.g. {"backend": "aws-secrets-manager"}',
                    'config `voting-platform:secrets.backend` is not set; use one of "pulumi", "aws-secrets-manager", "gcp-secret-manager", "azure-key-vault", "vault"',
                ],
            ],
        ];
        for (const [what, change, messages] of cases) assert.deepStrictEqual(problemsFor(change), messages, what);
    });

    it("refuses an unknown secrets backend once, without reading it as Pulumi-held secrets", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.secrets.backend = "aws")),
            [
                'config `voting-platform:secrets.backend` is "aws"; use one of "pulumi", "aws-secrets-manager", "gcp-secret-manager", "azure-key-vault", "vault"',
            ],
        );
    });

    it("routes P0 alerts in prod even when alerting lists no receivers", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.alerting = {})),
            ["config `voting-platform:alerting.receivers` is []; production routes P0 alerts to an on-call receiver (checklist 3.4.2)"],
        );
    });

    it("shows an object that holds a credential with the credential hidden and the rest as written", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.workloads = { worker: { replicas: 2, token: "t0k3n" } })),
            [
                'config `voting-platform:workloads.worker` is {"replicas":2,"token":"(not shown)"}; name one of frontend, api, consumer, postgres, redis; a credential is set with `pulumi config set --secret <key>`, never in plain text',
            ],
        );
    });
});

describe("config validation of single values", () => {
    it("lets staging use a CNI that does not enforce NetworkPolicy, and refuses a CNI written as a list once", () => {
        assert.strictEqual(
            parsedWith(
                staging((r) => {
                    existingCluster(r);
                    r.cni = "flannel";
                }),
                "staging",
            ).cni,
            "flannel",
        );
        assert.deepStrictEqual(
            problemsFor((r) => {
                existingCluster(r);
                r.cni = ["flannel"];
            }),
            [
                'config `voting-platform:cni` is ["flannel"]; use one of "calico", "cilium", "aws-vpc-cni", "azure-npm", "gke-dataplane-v2", "antrea", "flannel", "kubenet"',
            ],
        );
    });

    it("reads Cilium L7 policies on Cilium", () => {
        assert.strictEqual(
            parsedWith((r) => {
                existingCluster(r);
                r.cni = "cilium";
                r.features.ciliumL7Policies = true;
            }).features.ciliumL7Policies,
            true,
        );
    });

    it("names the origin form it wants for an origin with a path, text before the scheme, or a number", () => {
        for (const bad of ["https://voting.example.com/", "xhttps://voting.example.com", 443]) {
            assert.deepStrictEqual(
                problemsFor((r) => (r.corsOrigins = ["https://voting.example.com", bad])),
                [
                    `config \`voting-platform:corsOrigins[1]\` is ${JSON.stringify(bad)}; use an origin with scheme and host, e.g. "https://voting.example.com"`,
                ],
                JSON.stringify(bad),
            );
        }
    });

    it("reads an ingress without an ACME account, and names the directory URL it wants for a server over plain HTTP", () => {
        assert.strictEqual(parsedWith((r) => delete r.ingress.acme).ingress.acme, undefined);
        assert.deepStrictEqual(
            problemsFor((r) => (r.ingress.acme.server = "http://acme.example.com/directory")),
            [
                'config `voting-platform:ingress.acme.server` is "http://acme.example.com/directory"; use the ACME directory URL, e.g. "https://acme-v02.api.letsencrypt.org/directory"',
            ],
        );
    });

    it("names what a release, a refresh interval and a receiver name may hold", () => {
        const cases: [(r: Record<string, any>) => void, string][] = [
            [
                (r) => (r.release = "a b"),
                'config `voting-platform:release` is "a b"; use up to 64 letters, digits, ".", "_" or "-", e.g. the commit SHA',
            ],
            [(r) => (r.secrets.refreshInterval = "1d"), 'config `voting-platform:secrets.refreshInterval` is "1d"; use a duration, e.g. "1h"'],
            [
                (r) => (r.alerting.receivers[0].name = "On Call"),
                'config `voting-platform:alerting.receivers[0].name` is "On Call"; use a Kubernetes name, e.g. "oncall"',
            ],
        ];
        for (const [change, message] of cases) assert.deepStrictEqual(problemsFor(change), [message], message);
    });

    it("reads a canary without a digest when the API's image has none either", () => {
        assert.deepStrictEqual(
            parsedWith((r) => {
                delete r.images.api.digest;
                r.canary = { tag: "0.6.0" };
            }).canary?.image,
            { repository: "voting/api", tag: "0.6.0" },
        );
        assert.strictEqual(parsedWith((r) => (r.canary = { tag: "0.6.0", digest: DIGEST })).canary?.image.digest, DIGEST);
    });
});

describe("config validation of single fields, each named with its fix", () => {
    it("names the ingress key and an example when ingress is not an object, or holds a key it does not read", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.ingress = "voting.example.com")),
            [
                'config `voting-platform:ingress` is "voting.example.com"; set an object, e.g. {"host": "voting.example.com", "tlsIssuer": "letsencrypt-prod"}',
                'config `voting-platform:ingress.host` is not set; set a DNS name, e.g. "voting.example.com"',
                'config `voting-platform:ingress.tlsIssuer` is not set; name the cert-manager ClusterIssuer, e.g. "letsencrypt-prod"',
            ],
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.ingress.extra = 1)),
            ["config `voting-platform:ingress.extra` is 1; remove it; `ingress` takes host, tlsIssuer, className, rateLimitRps, acme"],
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.ingress.className = "Nginx_Class")),
            ['config `voting-platform:ingress.className` is "Nginx_Class"; name the IngressClass, e.g. "nginx"'],
        );
    });

    it("refuses an ACME contact with words before or after the address", () => {
        for (const email of ["mail sre@example.com", "sre@example.com team"]) {
            assert.deepStrictEqual(
                problemsFor((r) => (r.ingress.acme.email = email)),
                [
                    `config \`voting-platform:ingress.acme.email\` is ${JSON.stringify(email)}; give the ACME account's contact address, e.g. "sre@example.com"`,
                ],
            );
        }
    });

    it("names each authorized CIDR that is not an IPv4 CIDR, a number among them", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.cluster.authorizedCidrs = ["203.0.113.0/24", "not-a-cidr", 7])),
            [
                'config `voting-platform:cluster.authorizedCidrs[1]` is "not-a-cidr"; use an IPv4 CIDR, e.g. "203.0.113.0/24"',
                'config `voting-platform:cluster.authorizedCidrs[2]` is 7; use an IPv4 CIDR, e.g. "203.0.113.0/24"',
            ],
        );
    });

    it("reads the tracing endpoint and the AWS account the stack sets", () => {
        const cfg = parsedWith(() => undefined);
        assert.strictEqual(cfg.tracing.endpoint, "tempo.monitoring.svc.cluster.local:4317");
        assert.strictEqual((cfg.cloud as { accountId?: string }).accountId, "123456789012");
    });

    it("checks a tracing endpoint set while tracing is off, and an AWS account set in staging, where none is required", () => {
        assert.deepStrictEqual(
            problemsFor((r) => {
                r.features.tracing = false;
                r.tracing.endpoint = "not an address";
            }),
            [
                'config `voting-platform:tracing.endpoint` is "not an address"; give the OTLP gRPC address of the tracing backend, e.g. "tempo.monitoring.svc.cluster.local:4317"',
            ],
        );
        assert.deepStrictEqual(
            problemsFor(
                staging((r) => (r.cloud.accountId = "12345")),
                "staging",
            ),
            [
                'config `voting-platform:cloud.accountId` is "12345"; name the 12-digit AWS account the stack deploys to, e.g. "123456789012"; prod refuses to run in any other',
            ],
        );
        assert.strictEqual(
            (
                parsedWith(
                    staging(() => undefined),
                    "staging",
                ).cloud as { accountId?: string }
            ).accountId,
            "123456789012",
        );
    });

    it("names the image key in each image's problems, and reads the pull Secret only when set", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.images.api.repository = "Voting/API")),
            ['config `voting-platform:images.api.repository` is "Voting/API"; name the repository, e.g. "voting/api"'],
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.images.pullSecret = "Pull_Secret")),
            ['config `voting-platform:images.pullSecret` is "Pull_Secret"; name the dockerconfigjson Secret'],
        );
        assert.strictEqual(parsedWith((r) => (r.images.pullSecret = "regcred")).images.pullSecret, "regcred");
        assert.strictEqual(parsedWith((r) => delete r.images.pullSecret).images.pullSecret, undefined);
        for (const name of ["postgres", "redis", "rclone", "k6", "otelCollector"]) {
            assert.deepStrictEqual(
                problemsFor((r) => (r.images[name] = { repository: "docker.io/library/x", tag: "bad tag" })),
                [`config \`voting-platform:images.${name}.tag\` is "bad tag"; pin a version tag, e.g. "1.4.2"`],
                name,
            );
        }
    });

    it("runs the data, backup, load-test and collector images the program defaults to when the stack names none", () => {
        const images = parsedWith((r) => {
            for (const name of ["postgres", "redis", "rclone", "k6", "otelCollector"]) delete r.images[name];
        }).images;
        assert.deepStrictEqual(
            [images.postgres, images.redis, images.rclone, images.k6, images.otelCollector].map((i) => ({ repository: i.repository, tag: i.tag })),
            [
                { repository: "docker.io/library/postgres", tag: "16.4-bookworm" },
                { repository: "docker.io/library/redis", tag: "7.4.1-bookworm" },
                { repository: "docker.io/rclone/rclone", tag: "1.68.2" },
                { repository: "docker.io/grafana/k6", tag: "0.55.0" },
                { repository: "docker.io/otel/opentelemetry-collector-contrib", tag: "0.114.0" },
            ],
        );
    });

    it("names an alert receiver that is not an object with an example, takes names of 63 characters and no more, and keeps `to` for email only", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.alerting.receivers = ["oncall"]))[0],
            'config `voting-platform:alerting.receivers[0]` is "oncall"; set an object, e.g. {"name": "oncall", "kind": "pagerduty", "severities": ["P0"]}',
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.alerting.receivers[0].name = "a".repeat(63))),
            [],
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.alerting.receivers[0].name = "a".repeat(64))),
            [`config \`voting-platform:alerting.receivers[0].name\` is "${"a".repeat(64)}"; use a Kubernetes name, e.g. "oncall"`],
        );
        const mail = { name: "ops-mail", kind: "email", severities: ["P2"], to: "ops@example.com" };
        assert.deepStrictEqual(parsedWith((r) => r.alerting.receivers.push(mail)).alerting.receivers, [
            { name: "oncall-pagerduty", kind: "pagerduty", severities: ["P0", "P1"] },
            { name: "team-slack", kind: "slack", severities: ["P2"] },
            mail,
        ]);
    });

    it("finds a credential pasted into a list, as an email receiver's address, without printing it", () => {
        assert.deepStrictEqual(
            problemsFor((r) =>
                r.alerting.receivers.push({ name: "ops-mail", kind: "email", severities: ["P2"], to: "AKIAIOSFODNN7EXAMPLE@example.com" }),
            ),
            [
                "config `voting-platform:alerting.receivers[2].to` is what looks like a credential (value not shown); keep credentials out of the stack file; a credential is set with `pulumi config set --secret <key>`, never in plain text",
            ],
        );
    });
});
