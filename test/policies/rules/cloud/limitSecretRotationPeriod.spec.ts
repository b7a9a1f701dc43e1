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
});
