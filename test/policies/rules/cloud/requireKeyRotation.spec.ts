import * as assert from "assert";
import { requireKeyRotation } from "../../../../policies/rules/cloud/requireKeyRotation";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources } from "./fixtures";

describe("require-key-rotation", () => {
    it("passes keys rotated every 90 days on each cloud", () => {
        assert.deepStrictEqual(cloudViolations(requireKeyRotation, allClouds()), []);
    });
    it("refuses a KMS key without rotation, a Cloud KMS key rotated every 730 days, a Key Vault key without a rotate action", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                changed(awsResources(), "aws:kms/key:Key", "voting-backups-key", (p) => (p.enableKeyRotation = false)),
            ),
            ["Key voting-backups-key never rotates; set enableKeyRotation: true"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                changed(gcpResources(), "gcp:kms/cryptoKey:CryptoKey", "voting-backups-key", (p) => (p.rotationPeriod = `${730 * 86400}s`)),
            ),
            ["CryptoKey voting-backups-key rotates every 730 days; rotate at least every 365"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                changed(azureResources(), "azure-native:keyvault:Key", "voting-backups-key", (p) => delete p.properties.rotationPolicy),
            ),
            ["Key voting-backups-key never rotates; add a rotationPolicy with a rotate action after timeAfterCreate, e.g. P90D"],
        );
    });
});
