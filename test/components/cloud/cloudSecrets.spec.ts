import * as assert from "assert";
import * as vm from "vm";
import { ROTATION_HANDLER_SOURCE } from "../../../components/cloud/aws/rotationHandler";
import { secretName } from "../../../components/cloud/credentials";
import { kubernetesObjects, type RenderedResource } from "../../../tools/lib/render";
import { renderedOn } from "../../helpers/clouds";
import { rendered } from "../../helpers/render";

const all = (resources: readonly RenderedResource[], type: string) => resources.filter((r) => r.type === type);

/** A Secrets Manager stand-in holding versions by id and stage, enough for the four rotation steps. */
class FakeSecretsManager {
    readonly calls: string[] = [];
    versions: Record<string, { stages: string[]; value?: string }> = {
        v1: { stages: ["AWSCURRENT"], value: '{"password":"old-password-0123456789"}' },
    };
    rotationEnabled = true;

    async send(command: string, input: any): Promise<any> {
        this.calls.push(command);
        switch (command) {
            case "DescribeSecretCommand":
                return {
                    RotationEnabled: this.rotationEnabled,
                    VersionIdsToStages: Object.fromEntries(Object.entries(this.versions).map(([k, v]) => [k, v.stages])),
                };
            case "GetSecretValueCommand": {
                const id = input.VersionId ?? Object.keys(this.versions).find((k) => this.versions[k].stages.includes(input.VersionStage));
                const v = id ? this.versions[id] : undefined;
                if (!v?.value || (input.VersionStage && !v.stages.includes(input.VersionStage)))
                    throw Object.assign(new Error("no such version"), { name: "ResourceNotFoundException" });
                return { SecretString: v.value };
            }
            case "GetRandomPasswordCommand":
                assert.deepStrictEqual(JSON.parse(JSON.stringify(input)), { PasswordLength: 32, ExcludePunctuation: true });
                return { RandomPassword: "N3wPasswordN3wPasswordN3wPasswor" };
            case "PutSecretValueCommand":
                this.versions[input.ClientRequestToken] = { stages: input.VersionStages, value: input.SecretString };
                return {};
            case "UpdateSecretVersionStageCommand":
                this.versions[input.RemoveFromVersionId].stages = this.versions[input.RemoveFromVersionId].stages.filter(
                    (s) => s !== input.VersionStage,
                );
                this.versions[input.MoveToVersionId].stages = [
                    ...this.versions[input.MoveToVersionId].stages.filter((s) => s !== "AWSPENDING"),
                    input.VersionStage,
                ];
                return {};
        }
        throw new Error(`unexpected ${command}`);
    }
}

/** Loads the Lambda's source as the nodejs20.x runtime would, with the SDK it requires stubbed. */
function loadHandler(): { rotate: (send: FakeSecretsManager["send"], event: object) => Promise<string> } {
    const module = { exports: {} as any };
    vm.runInNewContext(ROTATION_HANDLER_SOURCE, { module, exports: module.exports, require: () => ({}), console });
    return module.exports;
}

describe("the Secrets Manager rotation Lambda (6.1.3)", () => {
    const event = (Step: string) => ({ SecretId: "voting/prod/postgres", ClientRequestToken: "v2", Step });

    it("creates, tests and promotes a new 32-character password, keeping the secret's other fields", async () => {
        const sm = new FakeSecretsManager();
        sm.versions.v2 = { stages: ["AWSPENDING"] };
        const { rotate } = loadHandler();
        const send = sm.send.bind(sm);
        const results = [];
        for (const step of ["createSecret", "setSecret", "testSecret", "finishSecret"]) results.push(await rotate(send, event(step)));
        assert.deepStrictEqual(results, ["created", "applied by the platform on restart", "tested", "finished"]);
        assert.deepStrictEqual(JSON.parse(JSON.stringify(sm.versions)), {
            v1: { stages: [], value: '{"password":"old-password-0123456789"}' },
            v2: { stages: ["AWSCURRENT"], value: '{"password":"N3wPasswordN3wPasswordN3wPasswor"}' },
        });
    });

    it("does nothing when the version is already current, and creates no second pending value on a retried createSecret", async () => {
        const sm = new FakeSecretsManager();
        const { rotate } = loadHandler();
        assert.strictEqual(await rotate(sm.send.bind(sm), { ...event("createSecret"), ClientRequestToken: "v1" }), "already current");
        sm.versions.v2 = { stages: ["AWSPENDING"], value: '{"password":"pending-pending-pending"}' };
        assert.strictEqual(await rotate(sm.send.bind(sm), event("createSecret")), "pending version exists");
        assert.ok(!sm.calls.includes("PutSecretValueCommand"));
    });

    it("refuses a secret whose rotation is off, a token that is not staged, and a pending password under 16 characters", async () => {
        const { rotate } = loadHandler();
        const off = new FakeSecretsManager();
        off.rotationEnabled = false;
        await assert.rejects(rotate(off.send.bind(off), event("createSecret")), /rotation is not enabled on voting\/prod\/postgres/);
        const unstaged = new FakeSecretsManager();
        await assert.rejects(
            rotate(unstaged.send.bind(unstaged), event("createSecret")),
            /version v2 of voting\/prod\/postgres is not staged for rotation/,
        );
        const weak = new FakeSecretsManager();
        weak.versions.v2 = { stages: ["AWSPENDING"], value: '{"password":"short"}' };
        await assert.rejects(rotate(weak.send.bind(weak), event("testSecret")), /has no password of 16 characters or more/);
    });
});

describe("credentials in the cloud's secret manager (6.1.1, 6.1.3, 6.1.4)", () => {
    it("on AWS: creates voting/prod/postgres and voting/prod/redis with the platform's KMS key, rotated every 90 days by the Lambda", async () => {
        const { resources } = await rendered("prod");
        assert.deepStrictEqual(
            all(resources, "aws:secretsmanager/secret:Secret").map((s) => [s.inputs.name, s.inputs.kmsKeyId, s.inputs.recoveryWindowInDays]),
            [
                ["voting/prod/postgres", "arn:aws:kms:eu-west-1:123456789012:key/voting-cloud-secrets-key", 30],
                ["voting/prod/redis", "arn:aws:kms:eu-west-1:123456789012:key/voting-cloud-secrets-key", 30],
            ],
        );
        assert.deepStrictEqual(
            all(resources, "aws:secretsmanager/secretRotation:SecretRotation").map((r) => [
                r.inputs.secretId,
                r.inputs.rotationLambdaArn,
                r.inputs.rotationRules,
            ]),
            ["postgres", "redis"].map((c) => [
                `arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting/prod/${c}`,
                "arn:aws:lambda:eu-west-1:123456789012:function:voting-prod-rotate-credentials",
                { automaticallyAfterDays: 90 },
            ]),
        );
        const versions = all(resources, "aws:secretsmanager/secretVersion:SecretVersion");
        assert.deepStrictEqual(
            versions.map((v) => [v.redactedInputs.secretString, v.options.ignoreChanges]),
            [
                ["[secret]", ["secretString"]],
                ["[secret]", ["secretString"]],
            ],
        );
        assert.deepStrictEqual(JSON.parse(String(versions[0].inputs.secretString)), { password: "generated-voting-cloud-secrets-postgres-initial" });
        const lambda = all(resources, "aws:lambda/function:Function")[0].inputs;
        assert.deepStrictEqual([lambda.runtime, lambda.handler], ["nodejs20.x", "index.handler"]);
        assert.strictEqual(
            all(resources, "aws:iam/rolePolicy:RolePolicy").find((p) => p.name === "voting-cloud-secrets-reader")!.inputs.role,
            "voting-cluster-external-secrets",
        );
    });

    it("in prod creates no Kubernetes Secret from a literal: every credential comes through an ExternalSecret named by the entries above", async () => {
        const objects = kubernetesObjects(await rendered("prod"));
        assert.deepStrictEqual(objects.filter((o) => o.kind === "Secret" && o.metadata?.namespace?.startsWith("voting-")).length, 0);
        const keys = objects.filter((o) => o.kind === "ExternalSecret").flatMap((o) => (o.spec.data ?? []).map((d: any) => d.remoteRef.key));
        // The alert receivers' entry is filled by operators, not created by the program.
        assert.deepStrictEqual([...new Set(keys)].sort(), ["voting/prod/alerting", "voting/prod/postgres", "voting/prod/redis"]);
    });

    it("on GCP: Secret Manager secrets voting-<stack>-* with a CMEK replica, a 90-day rotation period and the rotation topic", async () => {
        const { resources } = await renderedOn("gcp", "created");
        const secrets = all(resources, "gcp:secretmanager/secret:Secret");
        assert.deepStrictEqual(
            secrets.map((s) => [s.inputs.secretId, s.inputs.rotation, s.inputs.topics, s.options.ignoreChanges]),
            ["postgres", "redis"].map((c) => [
                `voting-prod-gcp-created-${c}`,
                { rotationPeriod: "7776000s", nextRotationTime: "2025-04-01T00:00:00.000Z" },
                [{ name: "voting-cloud-secrets-rotation-id" }],
                ["rotation.nextRotationTime"],
            ]),
        );
        assert.deepStrictEqual((secrets[0].inputs.replication as any).userManaged.replicas, [
            { location: "europe-west1", customerManagedEncryption: { kmsKeyName: "voting-cloud-secrets-key-id" } },
        ]);
        assert.strictEqual(
            all(resources, "gcp:pubsub/topicIAMMember:TopicIAMMember")[0].inputs.member,
            "serviceAccount:service-123456789012@gcp-sa-secretmanager.iam.gserviceaccount.com",
        );
        const keys = kubernetesObjects(await renderedOn("gcp", "created"))
            .filter((o) => o.kind === "ExternalSecret")
            .flatMap((o) => (o.spec.data ?? []).map((d: any) => d.remoteRef.key));
        assert.deepStrictEqual([...new Set(keys)].sort(), [
            "voting-prod-gcp-created-alerting",
            "voting-prod-gcp-created-postgres",
            "voting-prod-gcp-created-redis",
        ]);
    });

    it("on Azure: the Key Vault of secrets.keyVaultUrl, and secrets (the log connection strings too) valid for 90 days from the day they are written", async () => {
        const { resources } = await renderedOn("azure", "created");
        const vault = all(resources, "azure-native:keyvault:Vault").find((v) => v.name === "voting-cloud-secrets-vault")!.inputs as any;
        assert.deepStrictEqual(
            [vault.vaultName, vault.properties.enableRbacAuthorization, vault.properties.enablePurgeProtection],
            ["voting-prod", true, true],
        );
        const secrets = all(resources, "azure-native:keyvault:Secret");
        assert.deepStrictEqual(
            secrets.map((s) => [s.inputs.secretName, (s.inputs.properties as any).attributes]),
            ["postgres", "redis", "logs"].map((c) => [
                `voting-prod-azure-created-${c}`,
                { enabled: true, notBefore: 1735689600, expires: 1735689600 + 90 * 86400 },
            ]),
        );
        assert.strictEqual(
            all(resources, "azure-native:authorization:RoleAssignment").find((r) => r.name === "voting-cloud-secrets-reader")!.inputs.principalId,
            "voting-cluster-external-secrets-principal-id",
        );
    });

    it("names each credential as its secret manager allows", () => {
        assert.deepStrictEqual(
            (["aws-secrets-manager", "gcp-secret-manager", "azure-key-vault", "vault"] as const).map((b) => secretName(b, "prod", "redis")),
            ["voting/prod/redis", "voting-prod-redis", "voting-prod-redis", "voting/prod/redis"],
        );
    });
});
