import * as assert from "assert";
import { nearExpirySubscriptionArgs } from "../../../../components/cloud/azure/rotation";
import { gcpRotationFunctionArgs } from "../../../../components/cloud/gcp/rotation";
import { lambdaName, requireSecretRotationHandler } from "../../../../policies/rules/cloud/requireSecretRotationHandler";
import type { CloudResource } from "../../../../policies/lib/rule";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources, without } from "./fixtures";

const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;
const res = (type: string, name: string, props: unknown): CloudResource => ({ type, name, props: plain(props) });

const FUNCTION = "aws:lambda/function:Function";
const PERMISSION = "aws:lambda/permission:Permission";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const GCF2 = "gcp:cloudfunctionsv2/function:Function";
const GCF1 = "gcp:cloudfunctions/function:Function";
const GCP_SECRET = "gcp:secretmanager/secret:Secret";
const TOPIC = "azure-native:eventgrid:SystemTopic";
const SUBSCRIPTION = "azure-native:eventgrid:SystemTopicEventSubscription";
const KV_SECRET = "azure-native:keyvault:Secret";

const secretArn = (c: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:voting/prod/${c}-AbCdEf`;
const LAMBDA = "voting-prod-rotate-credentials";

/** The fixtures' AWS secrets with the rotation Lambda and one invoke permission per secret, as components/cloud/aws/secrets.ts builds them. */
const aws = (): CloudResource[] => [
    ...awsResources(),
    res(FUNCTION, "voting-cloud-secrets-rotation", { name: LAMBDA, runtime: "nodejs20.x" }),
    ...["postgres", "redis"].map((c) =>
        res(PERMISSION, `voting-cloud-secrets-${c}-rotation`, {
            action: "lambda:InvokeFunction",
            function: LAMBDA,
            principal: "secretsmanager.amazonaws.com",
            sourceArn: secretArn(c),
        }),
    ),
];

const GCP_TOPIC = "projects/voting-prod-1234/topics/rotation";
const gcpCloud = { provider: "gcp" as const, region: "europe-west1", backupReplicaRegion: "europe-west4", project: "voting-prod-1234" };
/** The fixtures' GCP secret with the rotation function on its topic, built by the component's own builder. */
const gcp = (): CloudResource[] => [
    ...gcpResources(),
    res(
        GCF2,
        "voting-cloud-secrets-rotation",
        gcpRotationFunctionArgs(
            { cloud: gcpCloud, secrets: { backend: "gcp-secret-manager", refreshInterval: "1h", rotationDays: 90 }, stack: "prod" },
            {
                bucket: "voting-rotation-source",
                object: "rotate.zip",
                generation: 1,
                account: "rotate@voting-prod-1234.iam.gserviceaccount.com",
                topic: GCP_TOPIC,
                secretIds: ["voting-prod-postgres"],
            },
        ),
    ),
];

const VAULT_ID = "/subscriptions/sub/resourceGroups/voting-prod/providers/Microsoft.KeyVault/vaults/voting-prod";
const azureCloud = { provider: "azure" as const, region: "westeurope", backupReplicaRegion: "northeurope", resourceGroup: "voting-prod" };
/** The fixtures' Key Vault secret with the vault's system topic and the SecretNearExpiry subscription the component builds. */
const azure = (): CloudResource[] => [
    ...azureResources(),
    res(TOPIC, "voting-cloud-secrets-vault-events", {
        name: "voting-cloud-secrets-vault-events",
        source: VAULT_ID,
        topicType: "Microsoft.KeyVault.vaults",
        resourceGroupName: "voting-prod",
    }),
    res(SUBSCRIPTION, "voting-cloud-secrets-near-expiry", {
        ...nearExpirySubscriptionArgs(
            {
                cloud: azureCloud,
                secrets: {
                    backend: "azure-key-vault",
                    refreshInterval: "1h",
                    rotationDays: 90,
                    keyVaultUrl: "https://voting-prod.vault.azure.net",
                },
                stack: "prod",
            },
            { topic: "voting-cloud-secrets-vault-events", appId: "/subscriptions/sub/sites/rotate", secretNames: ["voting-prod-postgres"] },
        ),
        // The provider's value of the function's id, which the builder interpolates.
        destination: { endpointType: "AzureFunction", resourceId: "/subscriptions/sub/sites/rotate/functions/rotate", maxEventsPerBatch: 1 },
    }),
];

const check = (resources: readonly CloudResource[]) => cloudViolations(requireSecretRotationHandler, resources);
const AZURE_MISSING =
    "Secret voting-cloud-secrets-postgres expires, and no Event Grid subscription on vault voting-prod's events delivers its SecretNearExpiry; subscribe a handler that writes the next version";
const GCP_MISSING = `Secret voting-cloud-secrets-postgres announces its rotation on ${GCP_TOPIC}, which triggers no Cloud Function; deploy one on that topic that writes the next version`;
const awsMissing = (c: string) =>
    `SecretRotation voting-cloud-secrets-${c} names Lambda ${LAMBDA}, which Secrets Manager may not invoke for this secret; add a lambda Permission for secretsmanager.amazonaws.com`;

describe("require-secret-rotation-handler", () => {
    it("passes each cloud's rotation with its handler, as the components build them", () => {
        assert.deepStrictEqual(check([...aws(), ...gcp(), ...azure()]), []);
    });

    it("refuses each cloud's rotation without its handler", () => {
        assert.deepStrictEqual(
            check(without(without(aws(), PERMISSION, "voting-cloud-secrets-postgres-rotation"), PERMISSION, "voting-cloud-secrets-redis-rotation")),
            [awsMissing("postgres"), awsMissing("redis")],
        );
        assert.deepStrictEqual(check(gcpResources()), [GCP_MISSING]);
        assert.deepStrictEqual(check(azureResources()), [AZURE_MISSING]);
        assert.deepStrictEqual(check(allClouds().filter((r) => !r.type.startsWith("aws:"))), [GCP_MISSING, AZURE_MISSING]);
    });

    describe("AWS", () => {
        it("refuses a permission for another principal, another action, or another secret's ARN", () => {
            const edit = (change: (p: any) => void) => check(changed(aws(), PERMISSION, "voting-cloud-secrets-postgres-rotation", change));
            assert.deepStrictEqual(
                edit((p) => (p.principal = "events.amazonaws.com")),
                [awsMissing("postgres")],
            );
            assert.deepStrictEqual(
                edit((p) => (p.action = "lambda:GetFunction")),
                [awsMissing("postgres")],
            );
            assert.deepStrictEqual(
                edit((p) => (p.sourceArn = secretArn("redis"))),
                [awsMissing("postgres")],
            );
            assert.deepStrictEqual(
                edit((p) => (p.function = "another-function")),
                [awsMissing("postgres")],
            );
        });

        it("accepts lambda:*, a permission for any source, and a function named by its ARN", () => {
            const edit = (change: (p: any) => void) => check(changed(aws(), PERMISSION, "voting-cloud-secrets-postgres-rotation", change));
            assert.deepStrictEqual(
                edit((p) => (p.action = "lambda:*")),
                [],
            );
            assert.deepStrictEqual(
                edit((p) => delete p.sourceArn),
                [],
            );
            assert.deepStrictEqual(
                edit((p) => (p.function = `arn:aws:lambda:eu-west-1:123456789012:function:${LAMBDA}`)),
                [],
            );
        });

        it("finds the function by its ARN or by the name in the rotation's ARN, a qualifier included", () => {
            const byArn = changed(aws(), FUNCTION, "voting-cloud-secrets-rotation", (p) => {
                p.name = "renamed";
                p.arn = `arn:aws:lambda:eu-west-1:123456789012:function:${LAMBDA}`;
            });
            // The permissions name the function as it is now called; one naming the old name grants nothing.
            assert.deepStrictEqual(
                check(byArn),
                [awsMissing("postgres"), awsMissing("redis")].map((m) => m.replace(`Lambda ${LAMBDA}`, "Lambda renamed")),
            );
            const renamed = changed(byArn, PERMISSION, "voting-cloud-secrets-postgres-rotation", (p) => (p.function = "renamed"));
            assert.deepStrictEqual(check(without(renamed, PERMISSION, "voting-cloud-secrets-redis-rotation")), [
                awsMissing("redis").replace(`Lambda ${LAMBDA}`, "Lambda renamed"),
            ]);
            const qualified = changed(aws(), ROTATION, "voting-cloud-secrets-redis", (p) => (p.rotationLambdaArn += ":live"));
            assert.deepStrictEqual(check(without(qualified, PERMISSION, "voting-cloud-secrets-redis-rotation")), [awsMissing("redis")]);
            assert.strictEqual(lambdaName(`arn:aws:lambda:eu-west-1:123456789012:function:${LAMBDA}:live`), LAMBDA);
            assert.strictEqual(lambdaName(`arn:aws:lambda:eu-west-1:123456789012:function:${LAMBDA}`), LAMBDA);
            assert.strictEqual(lambdaName(`arn:aws:lambda:eu-west-1:123456789012:layer:${LAMBDA}`), undefined);
            assert.strictEqual(lambdaName(`xarn:aws:lambda:eu-west-1:123456789012:function:${LAMBDA}`), undefined);
        });

        it("leaves a Lambda of another stack, and a rotation naming none, to limit-secret-rotation-period", () => {
            assert.deepStrictEqual(check(awsResources()), []);
            assert.deepStrictEqual(check(changed(awsResources(), ROTATION, "voting-cloud-secrets-redis", (p) => delete p.rotationLambdaArn)), []);
        });

        it("matches a permission's source to the secret named by its ARN, id or name", () => {
            const byName = changed(aws(), ROTATION, "voting-cloud-secrets-postgres", (p) => (p.secretId = "voting/prod/postgres"));
            assert.deepStrictEqual(check(byName), []);
            const unknown = changed(aws(), ROTATION, "voting-cloud-secrets-postgres", (p) => (p.secretId = "voting/prod/other"));
            assert.deepStrictEqual(check(unknown), [awsMissing("postgres")]);
        });

        it("refuses a permission that names no function, or that is scoped to the other secret", () => {
            assert.deepStrictEqual(check(changed(aws(), PERMISSION, "voting-cloud-secrets-postgres-rotation", (p) => delete p.function)), [
                awsMissing("postgres"),
            ]);
            const redis = changed(aws(), PERMISSION, "voting-cloud-secrets-redis-rotation", (p) => (p.sourceArn = secretArn("postgres")));
            assert.deepStrictEqual(check(redis), [awsMissing("redis")]);
        });

        it("judges a rotation naming no Lambda not at all, and the function the rotation names, not another Lambda of the stack", () => {
            const unnamed = changed(aws(), ROTATION, "voting-cloud-secrets-redis", (p) => delete p.rotationLambdaArn);
            assert.deepStrictEqual(check(without(unnamed, PERMISSION, "voting-cloud-secrets-redis-rotation")), []);
            const other = res(FUNCTION, "voting-other", { name: "voting-prod-other", runtime: "nodejs20.x" });
            assert.deepStrictEqual(check([other, ...aws()]), []);
            assert.deepStrictEqual(check([other, ...without(aws(), PERMISSION, "voting-cloud-secrets-redis-rotation")]), [awsMissing("redis")]);
        });

        it("accepts a permission naming the function by its own ARN when the rotation names a qualified one", () => {
            const fnArn = `arn:aws:lambda:eu-west-1:123456789012:function:${LAMBDA}`;
            let set = changed(aws(), FUNCTION, "voting-cloud-secrets-rotation", (p) => (p.arn = fnArn));
            set = changed(set, ROTATION, "voting-cloud-secrets-redis", (p) => (p.rotationLambdaArn = `${fnArn}:live`));
            set = changed(set, PERMISSION, "voting-cloud-secrets-redis-rotation", (p) => (p.function = fnArn));
            assert.deepStrictEqual(check(set), []);
            assert.strictEqual(lambdaName(`${fnArn}:live:extra`), undefined);
        });

        it("finds the rotation's secret by its id or name, and accepts a permission for any source on it", () => {
            let byId = changed(aws(), "aws:secretsmanager/secret:Secret", "voting-cloud-secrets-redis", (p) => (p.id = "redis-secret-id"));
            byId = changed(byId, ROTATION, "voting-cloud-secrets-redis", (p) => (p.secretId = "redis-secret-id"));
            assert.deepStrictEqual(check(byId), []);
            const byName = changed(aws(), ROTATION, "voting-cloud-secrets-redis", (p) => (p.secretId = "voting/prod/redis"));
            assert.deepStrictEqual(check(changed(byName, PERMISSION, "voting-cloud-secrets-redis-rotation", (p) => delete p.sourceArn)), []);
        });
    });

    describe("GCP", () => {
        const fn = (change: (p: any) => void) => check(changed(gcp(), GCF2, "voting-cloud-secrets-rotation", change));

        it("refuses a function on another topic, or triggered by another event", () => {
            assert.deepStrictEqual(
                fn((p) => (p.eventTrigger.pubsubTopic = "projects/voting-prod-1234/topics/other")),
                [GCP_MISSING],
            );
            assert.deepStrictEqual(
                fn((p) => (p.eventTrigger.eventType = "google.cloud.storage.object.v1.finalized")),
                [GCP_MISSING],
            );
            assert.deepStrictEqual(
                fn((p) => delete p.eventTrigger),
                [GCP_MISSING],
            );
        });

        it("accepts a 1st-gen function on the topic, in either event type's spelling", () => {
            for (const eventType of ["google.pubsub.topic.publish", "providers/cloud.pubsub/eventTypes/topic.publish"]) {
                const gen1 = [...gcpResources(), res(GCF1, "rotate", { eventTrigger: { resource: GCP_TOPIC, eventType } })];
                assert.deepStrictEqual(check(gen1), [], eventType);
            }
            assert.deepStrictEqual(check([...gcpResources(), res(GCF1, "rotate", { eventTrigger: { resource: GCP_TOPIC, eventType: "x" } })]), [
                GCP_MISSING,
            ]);
        });

        it("names every topic of a secret, and finds the function on any of them", () => {
            const two = changed(
                gcp(),
                GCP_SECRET,
                "voting-cloud-secrets-postgres",
                (p) => (p.topics = [{ name: "projects/p/topics/a" }, { name: GCP_TOPIC }]),
            );
            assert.deepStrictEqual(check(two), []);
            assert.deepStrictEqual(check(without(two, GCF2, "voting-cloud-secrets-rotation")), [
                GCP_MISSING.replace(GCP_TOPIC, `projects/p/topics/a, ${GCP_TOPIC}`),
            ]);
        });

        it("leaves a secret without a rotation period or without a topic to limit-secret-rotation-period", () => {
            assert.deepStrictEqual(check(changed(gcpResources(), GCP_SECRET, "voting-cloud-secrets-postgres", (p) => delete p.rotation)), []);
            assert.deepStrictEqual(check(changed(gcpResources(), GCP_SECRET, "voting-cloud-secrets-postgres", (p) => (p.topics = []))), []);
            assert.deepStrictEqual(check(changed(gcpResources(), GCP_SECRET, "voting-cloud-secrets-postgres", (p) => (p.topics = [{}]))), []);
        });
    });

    describe("Azure", () => {
        const sub = (change: (p: any) => void) => check(changed(azure(), SUBSCRIPTION, "voting-cloud-secrets-near-expiry", change));

        it("refuses a subscription on another vault's topic, a topic of another kind, or no destination", () => {
            assert.deepStrictEqual(
                check(
                    changed(
                        azure(),
                        TOPIC,
                        "voting-cloud-secrets-vault-events",
                        (p) => (p.source = VAULT_ID.replace("vaults/voting-prod", "vaults/voting-other")),
                    ),
                ),
                [AZURE_MISSING],
            );
            assert.deepStrictEqual(
                check(changed(azure(), TOPIC, "voting-cloud-secrets-vault-events", (p) => (p.topicType = "Microsoft.Storage.StorageAccounts"))),
                [AZURE_MISSING],
            );
            assert.deepStrictEqual(
                sub((p) => (p.systemTopicName = "other-topic")),
                [AZURE_MISSING],
            );
            assert.deepStrictEqual(
                sub((p) => delete p.destination),
                [AZURE_MISSING],
            );
            assert.deepStrictEqual(
                sub((p) => (p.destination = {})),
                [AZURE_MISSING],
            );
        });

        it("matches the vault and topic type without regard to case, and the topic by its systemTopicName", () => {
            const upper = changed(azure(), TOPIC, "voting-cloud-secrets-vault-events", (p) => {
                p.source = VAULT_ID.toUpperCase();
                p.topicType = "microsoft.keyvault.VAULTS";
                p.systemTopicName = "vault-events";
            });
            assert.deepStrictEqual(
                check(changed(upper, SUBSCRIPTION, "voting-cloud-secrets-near-expiry", (p) => (p.systemTopicName = "vault-events"))),
                [],
            );
        });

        it("refuses a subscription whose event types leave out SecretNearExpiry, and accepts one with none listed", () => {
            assert.deepStrictEqual(
                sub((p) => (p.filter.includedEventTypes = ["Microsoft.KeyVault.SecretNewVersionCreated"])),
                [AZURE_MISSING],
            );
            assert.deepStrictEqual(
                sub((p) => (p.filter.includedEventTypes = ["microsoft.keyvault.secretnearexpiry"])),
                [],
            );
            assert.deepStrictEqual(
                sub((p) => (p.filter.includedEventTypes = [])),
                [],
            );
            assert.deepStrictEqual(
                sub((p) => delete p.filter),
                [],
            );
        });

        it("follows the subject filters: StringIn, StringNotIn, begins, ends and contains, case-insensitive", () => {
            const advanced = (operatorType: string, values: string[]) =>
                sub((p) => (p.filter.advancedFilters = [{ key: "subject", operatorType, values }]));
            assert.deepStrictEqual(advanced("StringIn", ["voting-prod-redis"]), [AZURE_MISSING]);
            assert.deepStrictEqual(advanced("StringIn", ["VOTING-PROD-POSTGRES"]), []);
            assert.deepStrictEqual(advanced("StringNotIn", ["voting-prod-postgres"]), [AZURE_MISSING]);
            assert.deepStrictEqual(advanced("StringNotIn", ["voting-prod-redis"]), []);
            assert.deepStrictEqual(advanced("StringBeginsWith", ["voting-staging"]), [AZURE_MISSING]);
            assert.deepStrictEqual(advanced("StringBeginsWith", ["Voting-Prod"]), []);
            assert.deepStrictEqual(advanced("StringEndsWith", ["-redis"]), [AZURE_MISSING]);
            assert.deepStrictEqual(advanced("StringEndsWith", ["-POSTGRES"]), []);
            assert.deepStrictEqual(advanced("StringContains", ["redis"]), [AZURE_MISSING]);
            assert.deepStrictEqual(advanced("StringContains", ["prod-post"]), []);
            // Filters on other keys, and operators that do not compare strings, are not the subject's.
            assert.deepStrictEqual(
                sub((p) => (p.filter.advancedFilters = [{ key: "data.VaultName", operatorType: "StringIn", values: ["x"] }])),
                [],
            );
            assert.deepStrictEqual(
                sub((p) => (p.filter.advancedFilters = [{ key: "Subject", operatorType: "StringIn", values: ["x"] }])),
                [AZURE_MISSING],
            );
            assert.deepStrictEqual(
                sub((p) => (p.filter.advancedFilters = [{ key: "subject", operatorType: "IsNotNull" }])),
                [],
            );
        });

        it("follows subjectBeginsWith and subjectEndsWith, case-sensitive only when the subscription says so", () => {
            const simple = (f: Record<string, unknown>) => sub((p) => (p.filter = { ...f }));
            assert.deepStrictEqual(simple({ subjectBeginsWith: "voting-prod-" }), []);
            assert.deepStrictEqual(simple({ subjectBeginsWith: "VOTING-PROD-" }), []);
            assert.deepStrictEqual(simple({ subjectBeginsWith: "VOTING-PROD-", isSubjectCaseSensitive: true }), [AZURE_MISSING]);
            assert.deepStrictEqual(simple({ subjectBeginsWith: "voting-staging-" }), [AZURE_MISSING]);
            assert.deepStrictEqual(simple({ subjectEndsWith: "-postgres" }), []);
            assert.deepStrictEqual(simple({ subjectEndsWith: "-POSTGRES", isSubjectCaseSensitive: true }), [AZURE_MISSING]);
            assert.deepStrictEqual(simple({ subjectEndsWith: "-redis" }), [AZURE_MISSING]);
        });

        it("judges only secrets that expire, named by secretName, else by their resource name", () => {
            assert.deepStrictEqual(
                check(changed(azureResources(), KV_SECRET, "voting-cloud-secrets-postgres", (p) => delete p.properties.attributes.expires)),
                [],
            );
            const unnamed = changed(azure(), KV_SECRET, "voting-cloud-secrets-postgres", (p) => delete p.secretName);
            assert.deepStrictEqual(check(unnamed), [AZURE_MISSING]);
            assert.deepStrictEqual(
                check(
                    changed(
                        unnamed,
                        SUBSCRIPTION,
                        "voting-cloud-secrets-near-expiry",
                        (p) => (p.filter.advancedFilters[0].values = ["voting-cloud-secrets-postgres"]),
                    ),
                ),
                [],
            );
            const noVault = changed(azure(), KV_SECRET, "voting-cloud-secrets-postgres", (p) => delete p.vaultName);
            assert.deepStrictEqual(check(noVault), [AZURE_MISSING.replace("vault voting-prod's", "vault (unnamed)'s")]);
        });

        it("refuses a null destination, a subscription naming no topic, and topics without a source or a type", () => {
            assert.deepStrictEqual(
                sub((p) => (p.destination = null)),
                [AZURE_MISSING],
            );
            assert.deepStrictEqual(
                sub((p) => delete p.systemTopicName),
                [AZURE_MISSING],
            );
            assert.deepStrictEqual(check(changed(azure(), TOPIC, "voting-cloud-secrets-vault-events", (p) => delete p.source)), [AZURE_MISSING]);
            assert.deepStrictEqual(check(changed(azure(), TOPIC, "voting-cloud-secrets-vault-events", (p) => delete p.topicType)), [AZURE_MISSING]);
        });

        it("lets any one value of a subject filter's list match, and no value that is not a string", () => {
            const advanced = (operatorType: string, values: unknown[]) =>
                sub((p) => (p.filter.advancedFilters = [{ key: "subject", operatorType, values }]));
            assert.deepStrictEqual(advanced("StringBeginsWith", ["voting-staging", "voting-prod"]), []);
            assert.deepStrictEqual(advanced("StringEndsWith", ["-redis", "-postgres"]), []);
            assert.deepStrictEqual(advanced("StringContains", ["redis", "postgres"]), []);
            assert.deepStrictEqual(advanced("StringIn", [5, "voting-prod-postgres"]), []);
            assert.deepStrictEqual(advanced("StringIn", [5]), [AZURE_MISSING]);
        });
    });
});
