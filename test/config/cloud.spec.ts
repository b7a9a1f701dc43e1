import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { SecretValue } from "../../config/credentials";
import { existingCluster, parsedWith, problemsFor } from "./fixtures";

const SUBSCRIPTION = "0b1f6471-1bf0-4dda-aec3-cb9272f09590";

/** Prod on an existing GKE cluster, its cloud changed by `change`. */
const gcp =
    (change: (cloud: Record<string, unknown>) => void = () => undefined) =>
    (r: Record<string, any>) => {
        existingCluster(r);
        r.cloud = { provider: "gcp", region: "europe-west1", project: "voting-prod-1234" };
        r.secrets.backend = "gcp-secret-manager";
        change(r.cloud);
    };

/** Prod on an existing AKS cluster, its cloud changed by `change`. */
const azure =
    (change: (cloud: Record<string, unknown>) => void = () => undefined) =>
    (r: Record<string, any>) => {
        existingCluster(r);
        r.cloud = { provider: "azure", region: "westeurope", resourceGroup: "voting-prod", subscriptionId: SUBSCRIPTION };
        r.secrets = { backend: "azure-key-vault", keyVaultUrl: "https://voting-prod.vault.azure.net" };
        change(r.cloud);
    };

/** The same change on the staging stack. */
const staging = (change: (r: Record<string, any>) => void) => (r: Record<string, any>) => {
    change(r);
    r.environment = "staging";
};

describe("config validation of the cloud", () => {
    it("names the region and the KMS key it wants when either is malformed", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.cloud.region = "EU-WEST-1")),
            ['config `voting-platform:cloud.region` is "EU-WEST-1"; name the region, e.g. "eu-west-1"'],
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.cloud.kmsKeyArn = "alias/voting-prod")),
            ['config `voting-platform:cloud.kmsKeyArn` is "alias/voting-prod"; use a KMS key ARN, e.g. "arn:aws:kms:eu-west-1:123456789012:key/…"'],
        );
    });

    it("reads a GCP cloud with a backup replica region, and refuses a key only AWS reads, naming the keys GCP takes", () => {
        assert.strictEqual(parsedWith(gcp((c) => (c.backupReplicaRegion = "europe-west4"))).cloud.backupReplicaRegion, "europe-west4");
        assert.deepStrictEqual(problemsFor(gcp((c) => (c.accountId = "123456789012"))), [
            'config `voting-platform:cloud.accountId` is "123456789012"; remove it; `cloud` takes provider, region, backupReplicaRegion, project',
        ]);
    });

    it("refuses a GCP project id that starts with a digit or ends with a hyphen", () => {
        for (const bad of ["1voting-prod", "voting-prod-"]) {
            assert.deepStrictEqual(
                problemsFor(gcp((c) => (c.project = bad))),
                [`config \`voting-platform:cloud.project\` is ${JSON.stringify(bad)}; name the GCP project id`],
                bad,
            );
        }
    });

    it("refuses an Azure cloud key only GCP reads, naming the keys Azure takes", () => {
        assert.deepStrictEqual(problemsFor(azure((c) => (c.project = "voting-prod-1234"))), [
            'config `voting-platform:cloud.project` is "voting-prod-1234"; remove it; `cloud` takes provider, region, backupReplicaRegion, resourceGroup, subscriptionId',
        ]);
    });

    it("refuses an Azure subscription id with anything before or after it", () => {
        for (const bad of [`x${SUBSCRIPTION}`, `${SUBSCRIPTION}x`]) {
            assert.deepStrictEqual(
                problemsFor(azure((c) => (c.subscriptionId = bad))),
                [
                    `config \`voting-platform:cloud.subscriptionId\` is ${JSON.stringify(bad)}; name the Azure subscription id the stack deploys to, e.g. "${SUBSCRIPTION}"; prod refuses to run in any other`,
                ],
                bad,
            );
        }
    });

    it("lets staging on Azure leave the subscription out, and reads and checks one it names", () => {
        const cloud = { provider: "azure", region: "westeurope", backupReplicaRegion: undefined, resourceGroup: "voting-prod" };
        assert.deepStrictEqual(parsedWith(staging(azure((c) => delete c.subscriptionId)), "staging").cloud, { ...cloud, subscriptionId: undefined });
        assert.deepStrictEqual(parsedWith(staging(azure()), "staging").cloud, { ...cloud, subscriptionId: SUBSCRIPTION });
        assert.deepStrictEqual(problemsFor(staging(azure((c) => (c.subscriptionId = "voting"))), "staging"), [
            `config \`voting-platform:cloud.subscriptionId\` is "voting"; name the Azure subscription id the stack deploys to, e.g. "${SUBSCRIPTION}"; prod refuses to run in any other`,
        ]);
    });

    it("reads an Azure backup replica in the region's pair, and says so when the region has no known pair", () => {
        assert.strictEqual(parsedWith(azure((c) => (c.backupReplicaRegion = "northeurope"))).cloud.backupReplicaRegion, "northeurope");
        assert.deepStrictEqual(
            problemsFor(
                azure((c) => {
                    c.region = "brazilsouth";
                    c.backupReplicaRegion = "southcentralus";
                }),
            ),
            [
                'config `voting-platform:cloud.backupReplicaRegion` is "southcentralus"; brazilsouth has no known region pair (config/azureRegions.ts); use a paired region or add its pair there',
            ],
        );
    });
});

describe("config validation of the cluster target", () => {
    it("refuses a context, or a kubeconfig set as a secret, beside a cluster the program creates", () => {
        const created = "the program creates the cluster (`cluster.create: true`) and deploys through the cluster's own kubeconfig; remove it";
        assert.deepStrictEqual(
            problemsFor((r) => (r.kubernetes = { context: "voting-prod" })),
            [`config \`voting-platform:kubernetes\` is {"context":"voting-prod"}; ${created}`],
        );
        assert.deepStrictEqual(
            problemsFor((r) => (r.kubeconfig = new SecretValue(pulumi.secret("apiVersion: v1")))),
            [`config \`voting-platform:kubeconfig\` is a secret (value not shown); ${created}`],
        );
    });

    it("deploys through a kubeconfig set as a secret, keeping the context and cluster it names", () => {
        const kubeconfig = new SecretValue(pulumi.secret("apiVersion: v1"));
        const target = parsedWith((r) => {
            existingCluster(r);
            r.kubeconfig = kubeconfig;
        }).kubernetes;
        assert.deepStrictEqual(target, { context: "voting-prod", cluster: "voting-prod", kubeconfig: kubeconfig.output });
    });

    it("refuses a prod target that names the cluster but not its context", () => {
        assert.deepStrictEqual(
            problemsFor((r) => {
                existingCluster(r);
                r.kubernetes = { cluster: "voting-prod" };
            }),
            [
                'config `voting-platform:kubernetes` is {"cluster":"voting-prod"}; prod deploys to a named cluster, never the current context of a kubeconfig: set `kubeconfig` (pulumi config set --secret kubeconfig < kubeconfig.yaml) or both `kubernetes.context` and `kubernetes.cluster`, e.g. {"context": "voting-prod", "cluster": "voting-prod"}',
            ],
        );
    });

    it("refuses a plain-text kubeconfig written as JSON once, not again for each token in it", () => {
        assert.deepStrictEqual(
            problemsFor((r) => {
                existingCluster(r);
                r.kubeconfig = { apiVersion: "v1", users: [{ name: "deployer", user: { token: `ghp_${"a".repeat(36)}` } }] };
            }),
            [
                "config `voting-platform:kubeconfig` is a credential (value not shown); it is in plain text: set it with `pulumi config set --secret kubeconfig < kubeconfig.yaml` and remove the plain value",
            ],
        );
    });
});

describe("config validation of the cluster", () => {
    it("refuses a cluster that is not an object, and then asks for the target of an existing one", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.cluster = "voting-prod")),
            [
                'config `voting-platform:kubernetes` is {}; prod deploys to a named cluster, never the current context of a kubeconfig: set `kubeconfig` (pulumi config set --secret kubeconfig < kubeconfig.yaml) or both `kubernetes.context` and `kubernetes.cluster`, e.g. {"context": "voting-prod", "cluster": "voting-prod"}',
                'config `voting-platform:cluster` is "voting-prod"; set an object, e.g. {"create": false}',
            ],
        );
    });

    it("reads a cluster without `create` as an existing one, and refuses a `create` that is not true or false", () => {
        assert.deepStrictEqual(
            parsedWith((r) => {
                existingCluster(r);
                r.cluster = {};
            }).cluster,
            { create: false },
        );
        assert.deepStrictEqual(
            problemsFor((r) => {
                existingCluster(r);
                r.cluster = { create: "yes" };
            }),
            ['config `voting-platform:cluster.create` is "yes"; use true or false'],
        );
    });

    it("refuses the settings of a created cluster on an existing one", () => {
        assert.deepStrictEqual(
            problemsFor((r) => {
                existingCluster(r);
                r.cluster.name = "voting-prod";
            }),
            ['config `voting-platform:cluster.name` is "voting-prod"; remove it; `cluster` takes create'],
        );
    });

    it("names a created cluster with 1 to 40 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen", () => {
        for (const good of ["a", `a${"0".repeat(39)}`]) {
            assert.strictEqual((parsedWith((r) => (r.cluster.name = good)).cluster as { name: string }).name, good);
        }
        for (const bad of ["Voting-prod", "1voting", "voting-", `a${"0".repeat(40)}`]) {
            assert.deepStrictEqual(
                problemsFor((r) => (r.cluster.name = bad)),
                [
                    `config \`voting-platform:cluster.name\` is ${JSON.stringify(bad)}; use 1 to 40 lowercase letters, digits and "-", e.g. "voting-prod"`,
                ],
                bad,
            );
        }
    });

    it("names the CIDR form it wants for an allowed network that is not one", () => {
        assert.deepStrictEqual(
            problemsFor((r) => (r.cluster.authorizedCidrs = ["203.0.113.0/24", "10.0.0.0/33"])),
            ['config `voting-platform:cluster.authorizedCidrs[1]` is "10.0.0.0/33"; use an IPv4 CIDR, e.g. "203.0.113.0/24"'],
        );
    });
});
