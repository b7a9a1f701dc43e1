import * as assert from "assert";
import { GCP_ROTATION_HANDLER_SOURCE, GCP_ROTATION_PACKAGE_JSON } from "../../../components/cloud/gcp/rotationHandler";
import { rotationAccountId, rotationSourceArchive } from "../../../components/cloud/gcp/rotation";
import type { RenderedResource } from "../../../tools/lib/render";
import { renderedOn } from "../../helpers/clouds";

const all = (resources: readonly RenderedResource[], type: string) => resources.filter((r) => r.type === type);
const one = (resources: readonly RenderedResource[], type: string) => {
    const found = all(resources, type);
    assert.strictEqual(found.length, 1, `one ${type}, found ${found.length}`);
    return found[0];
};

describe("the rotation function on GCP prod (6.1.3)", () => {
    const ACCOUNT = "rotate-prod-gcp-created@voting-prod-1234.iam.gserviceaccount.com";

    it("is a Cloud Function (2nd gen) on the rotation topic, retried on failure, one instance at a time, reachable only from inside", async () => {
        const { resources } = await renderedOn("gcp", "created");
        const fn = one(resources, "gcp:cloudfunctionsv2/function:Function").inputs as any;
        const topic = one(resources, "gcp:pubsub/topic:Topic");
        assert.strictEqual(topic.inputs.name, "voting-prod-gcp-created-secret-rotation");
        assert.deepStrictEqual(
            [fn.name, fn.location, fn.buildConfig.runtime, fn.buildConfig.entryPoint, fn.eventTrigger],
            [
                "voting-prod-gcp-created-rotate-credentials",
                "europe-west1",
                "nodejs20",
                "rotate",
                {
                    triggerRegion: "europe-west1",
                    eventType: "google.cloud.pubsub.topic.v1.messagePublished",
                    pubsubTopic: "voting-cloud-secrets-rotation-id",
                    retryPolicy: "RETRY_POLICY_RETRY",
                    serviceAccountEmail: ACCOUNT,
                },
            ],
        );
        assert.deepStrictEqual(fn.serviceConfig, {
            serviceAccountEmail: ACCOUNT,
            availableMemory: "256M",
            timeoutSeconds: 60,
            minInstanceCount: 0,
            maxInstanceCount: 1,
            maxInstanceRequestConcurrency: 1,
            ingressSettings: "ALLOW_INTERNAL_ONLY",
            allTrafficOnLatestRevision: true,
            environmentVariables: { ROTATED_SECRETS: "voting-prod-gcp-created-postgres,voting-prod-gcp-created-redis" },
        });
        // The secrets named in ROTATED_SECRETS are the ones that announce on this topic.
        assert.deepStrictEqual(
            all(resources, "gcp:secretmanager/secret:Secret").map((s) => [s.inputs.secretId, s.inputs.topics]),
            ["postgres", "redis"].map((c) => [`voting-prod-gcp-created-${c}`, [{ name: "voting-cloud-secrets-rotation-id" }]]),
        );
    });

    it("runs as its own service account, which may add versions to and read metadata of the two secrets, and invoke the function, nothing else", async () => {
        const { resources } = await renderedOn("gcp", "created");
        assert.strictEqual(rotationAccountId("prod-gcp-created"), "rotate-prod-gcp-created");
        const account = all(resources, "gcp:serviceaccount/account:Account").filter((a) => a.inputs.accountId === "rotate-prod-gcp-created");
        assert.strictEqual(account.length, 1);
        const grants = resources.filter((r) => JSON.stringify(r.inputs).includes(`serviceAccount:${ACCOUNT}`));
        assert.deepStrictEqual(
            grants.map((g) => [g.type, g.inputs.secretId ?? g.inputs.name, g.inputs.role]),
            [
                ["gcp:secretmanager/secretIamMember:SecretIamMember", "voting-prod-gcp-created-postgres", "roles/secretmanager.secretVersionAdder"],
                ["gcp:secretmanager/secretIamMember:SecretIamMember", "voting-prod-gcp-created-postgres", "roles/secretmanager.viewer"],
                ["gcp:secretmanager/secretIamMember:SecretIamMember", "voting-prod-gcp-created-redis", "roles/secretmanager.secretVersionAdder"],
                ["gcp:secretmanager/secretIamMember:SecretIamMember", "voting-prod-gcp-created-redis", "roles/secretmanager.viewer"],
                ["gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "voting-prod-gcp-created-rotate-credentials", "roles/run.invoker"],
            ],
        );
        assert.ok(!resources.some((r) => r.type.startsWith("gcp:projects/iAM") && JSON.stringify(r.inputs).includes(ACCOUNT)));
    });

    it("builds from the program's archive (the handler and its package.json) in a private, key-encrypted, dual-region, versioned bucket", async () => {
        const { resources } = await renderedOn("gcp", "created");
        const { object, archive } = rotationSourceArchive();
        const assets = (await (archive.assets as any)) as Record<string, { text: Promise<string> }>;
        assert.deepStrictEqual(Object.keys(assets).sort(), ["index.js", "package.json"]);
        assert.strictEqual(await assets["index.js"].text, GCP_ROTATION_HANDLER_SOURCE);
        assert.deepStrictEqual(JSON.parse(await assets["package.json"].text).dependencies, { "@google-cloud/functions-framework": "5.0.5" });
        assert.strictEqual(JSON.parse(GCP_ROTATION_PACKAGE_JSON).main, "index.js");
        assert.match(object, /^rotate-credentials\/[0-9a-f]{16}\.zip$/);

        const source = one(resources, "gcp:storage/bucketObject:BucketObject").inputs;
        const fn = one(resources, "gcp:cloudfunctionsv2/function:Function").inputs as any;
        assert.deepStrictEqual([fn.buildConfig.source.storageSource.bucket, fn.buildConfig.source.storageSource.object], [source.bucket, object]);
        const bucket = all(resources, "gcp:storage/bucket:Bucket").find((b) => b.name === "voting-cloud-secrets-rotation-source")!.inputs as any;
        assert.deepStrictEqual(
            [
                bucket.location,
                bucket.customPlacementConfig,
                bucket.encryption,
                bucket.publicAccessPrevention,
                bucket.versioning,
                bucket.lifecycleRules,
            ],
            [
                "EU",
                { dataLocations: ["EUROPE-WEST1", "EUROPE-WEST4"] },
                { defaultKmsKeyName: "voting-cloud-secrets-rotation-source-key-id" },
                "enforced",
                { enabled: true },
                [
                    { action: { type: "Delete" }, condition: { age: 365 } },
                    { action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: 1, withState: "ARCHIVED" } },
                ],
            ],
        );
        assert.strictEqual(
            all(resources, "gcp:kms/keyRing:KeyRing").find((k) => k.name === "voting-cloud-secrets-rotation-source-key")!.inputs.location,
            "europe",
        );
    });
});
