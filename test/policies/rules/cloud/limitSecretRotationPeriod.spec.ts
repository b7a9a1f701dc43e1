import * as assert from "assert";
import { limitSecretRotationPeriod } from "../../../../policies/rules/cloud/limitSecretRotationPeriod";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources, without } from "./fixtures";

describe("limit-secret-rotation-period", () => {
    const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
    it("passes secrets rotated every 90 days on each cloud", () => {
        assert.deepStrictEqual(cloudViolations(limitSecretRotationPeriod, allClouds()), []);
    });
    it("refuses an AWS rotation every 365 days, and a secret with no rotation at all", () => {
        assert.deepStrictEqual(
            cloudViolations(
                limitSecretRotationPeriod,
                changed(awsResources(), ROTATION, "voting-cloud-secrets-redis", (p) => (p.rotationRules.automaticallyAfterDays = 365)),
            ),
            ["SecretRotation voting-cloud-secrets-redis rotates every 365 days; rotate at least every 90"],
        );
        assert.deepStrictEqual(cloudViolations(limitSecretRotationPeriod, without(awsResources(), ROTATION, "voting-cloud-secrets-postgres")), [
            "Secret voting-cloud-secrets-postgres has no rotation schedule; add a SecretRotation every 90 days or fewer",
        ]);
    });
    it("refuses a GCP rotation period of 365 days and an Azure secret valid for 365 days", () => {
        assert.deepStrictEqual(
            cloudViolations(
                limitSecretRotationPeriod,
                changed(
                    gcpResources(),
                    "gcp:secretmanager/secret:Secret",
                    "voting-cloud-secrets-postgres",
                    (p) => (p.rotation.rotationPeriod = `${365 * 86400}s`),
                ),
            ),
            ["Secret voting-cloud-secrets-postgres rotates every 365 days; rotate at least every 90"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                limitSecretRotationPeriod,
                changed(
                    azureResources(),
                    "azure-native:keyvault:Secret",
                    "voting-cloud-secrets-postgres",
                    (p) => (p.properties.attributes.expires = p.properties.attributes.notBefore + 365 * 86400),
                ),
            ),
            ["Secret voting-cloud-secrets-postgres rotates every 365 days; rotate at least every 90"],
        );
    });
    it("accepts a rotation every maxDays and refuses one a day longer, with the setting moving the line", () => {
        const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
        const days91 = changed(awsResources(), ROTATION, "voting-cloud-secrets-redis", (p) => (p.rotationRules.automaticallyAfterDays = 91));
        assert.deepStrictEqual(cloudViolations(limitSecretRotationPeriod, days91), [
            "SecretRotation voting-cloud-secrets-redis rotates every 91 days; rotate at least every 90",
        ]);
        assert.deepStrictEqual(cloudViolations(limitSecretRotationPeriod, days91, { maxDays: 91 }), []);
        const gcp91 = changed(
            gcpResources(),
            "gcp:secretmanager/secret:Secret",
            "voting-cloud-secrets-postgres",
            (p) => (p.rotation.rotationPeriod = `${91 * 86400}s`),
        );
        assert.deepStrictEqual(cloudViolations(limitSecretRotationPeriod, gcp91), [
            "Secret voting-cloud-secrets-postgres rotates every 91 days; rotate at least every 90",
        ]);
    });
    it("reads an AWS period from a rate expression of days, and asks for one where the schedule is a cron", () => {
        const schedule = (expr: unknown) =>
            cloudViolations(
                limitSecretRotationPeriod,
                changed(awsResources(), ROTATION, "voting-cloud-secrets-redis", (p) => (p.rotationRules = { scheduleExpression: expr })),
            );
        assert.deepStrictEqual(schedule("rate(30 days)"), []);
        assert.deepStrictEqual(schedule("rate(1 day)"), []);
        assert.deepStrictEqual(schedule("rate(120 days)"), [
            "SecretRotation voting-cloud-secrets-redis rotates every 120 days; rotate at least every 90",
        ]);
        const noPeriod = "SecretRotation voting-cloud-secrets-redis gives no rotation period in days; set rotationRules.automaticallyAfterDays";
        assert.deepStrictEqual(schedule("cron(0 4 1 * ? *)"), [noPeriod]);
        assert.deepStrictEqual(schedule("rate(12 hours)"), [noPeriod]);
        assert.deepStrictEqual(schedule("rate(x days)"), [noPeriod]);
        assert.deepStrictEqual(schedule("rate(30 days) and later"), [noPeriod]);
        assert.deepStrictEqual(schedule("every rate(30 days)"), [noPeriod]);
        // Only text is an expression: a list holding one is no schedule the provider takes.
        assert.deepStrictEqual(schedule(["rate(30 days)"]), [noPeriod]);
    });
    it("takes automaticallyAfterDays only as a number", () => {
        assert.deepStrictEqual(
            cloudViolations(
                limitSecretRotationPeriod,
                changed(awsResources(), ROTATION, "voting-cloud-secrets-redis", (p) => (p.rotationRules = { automaticallyAfterDays: "365" })),
            ),
            ["SecretRotation voting-cloud-secrets-redis gives no rotation period in days; set rotationRules.automaticallyAfterDays"],
        );
    });
    it("counts a disabled rotation as none, and finds a rotation that names its secret by name or id", () => {
        assert.deepStrictEqual(
            cloudViolations(
                limitSecretRotationPeriod,
                changed(awsResources(), ROTATION, "voting-cloud-secrets-redis", (p) => (p.rotationEnabled = false)),
            ),
            ["Secret voting-cloud-secrets-redis has no rotation schedule; add a SecretRotation every 90 days or fewer"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                limitSecretRotationPeriod,
                changed(awsResources(), ROTATION, "voting-cloud-secrets-redis", (p) => (p.secretId = "voting/prod/redis")),
            ),
            [],
        );
        const byId = changed(
            awsResources(),
            "aws:secretsmanager/secret:Secret",
            "voting-cloud-secrets-redis",
            (p) => ((p.id = p.arn), delete p.arn, delete p.name),
        );
        assert.deepStrictEqual(cloudViolations(limitSecretRotationPeriod, byId), []);
    });
    it("refuses an AWS rotation without a Lambda: nothing would write the new password", () => {
        assert.deepStrictEqual(
            cloudViolations(
                limitSecretRotationPeriod,
                changed(awsResources(), ROTATION, "voting-cloud-secrets-redis", (p) => delete p.rotationLambdaArn),
            ),
            ["SecretRotation voting-cloud-secrets-redis names no rotation Lambda, so nothing writes the new password"],
        );
    });
    it("refuses a GCP secret without a rotation period and one that announces it on no topic", () => {
        const GCP_SECRET = "gcp:secretmanager/secret:Secret";
        assert.deepStrictEqual(
            cloudViolations(
                limitSecretRotationPeriod,
                changed(gcpResources(), GCP_SECRET, "voting-cloud-secrets-postgres", (p) => delete p.rotation),
            ),
            ["Secret voting-cloud-secrets-postgres has no rotation period; set rotation.rotationPeriod and a topic"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                limitSecretRotationPeriod,
                changed(gcpResources(), GCP_SECRET, "voting-cloud-secrets-postgres", (p) => (p.topics = [])),
            ),
            ["Secret voting-cloud-secrets-postgres announces its rotation on no Pub/Sub topic; add topics"],
        );
    });
    it("refuses an Azure secret missing either end of its validity, and counts a started day as a day", () => {
        const KV_SECRET = "azure-native:keyvault:Secret";
        const never = "Secret voting-cloud-secrets-postgres never expires; set properties.attributes notBefore and expires at most 90 days apart";
        for (const field of ["notBefore", "expires"])
            assert.deepStrictEqual(
                cloudViolations(
                    limitSecretRotationPeriod,
                    changed(azureResources(), KV_SECRET, "voting-cloud-secrets-postgres", (p) => delete p.properties.attributes[field]),
                ),
                [never],
                field,
            );
        const validFor = (seconds: number) =>
            cloudViolations(
                limitSecretRotationPeriod,
                changed(
                    azureResources(),
                    KV_SECRET,
                    "voting-cloud-secrets-postgres",
                    (p) => (p.properties.attributes.expires = p.properties.attributes.notBefore + seconds),
                ),
            );
        assert.deepStrictEqual(validFor(90 * 86400), []);
        assert.deepStrictEqual(validFor(90 * 86400 + 1), ["Secret voting-cloud-secrets-postgres rotates every 91 days; rotate at least every 90"]);
    });
});
