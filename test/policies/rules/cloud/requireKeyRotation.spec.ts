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
    it("accepts rotation every maxDays (365 by default) and refuses a day longer; a KMS key without a period rotates yearly", () => {
        const kms = (period: number | undefined) =>
            changed(awsResources(), "aws:kms/key:Key", "voting-backups-key", (p) =>
                period === undefined ? delete p.rotationPeriodInDays : (p.rotationPeriodInDays = period),
            );
        assert.deepStrictEqual(cloudViolations(requireKeyRotation, kms(365)), []);
        assert.deepStrictEqual(cloudViolations(requireKeyRotation, kms(366)), [
            "Key voting-backups-key rotates every 366 days; rotate at least every 365",
        ]);
        assert.deepStrictEqual(cloudViolations(requireKeyRotation, kms(undefined)), []);
        assert.deepStrictEqual(cloudViolations(requireKeyRotation, kms(undefined), { maxDays: 364 }), [
            "Key voting-backups-key rotates every 365 days; rotate at least every 364",
        ]);
        assert.deepStrictEqual(cloudViolations(requireKeyRotation, kms(91), { maxDays: 90 }), [
            "Key voting-backups-key rotates every 91 days; rotate at least every 90",
        ]);
    });
    it("skips an AWS signing key, which cannot rotate, and judges a key of unset usage as an encryption key", () => {
        const kms = (change: (p: any) => void) => changed(awsResources(), "aws:kms/key:Key", "voting-backups-key", change);
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                kms((p) => ((p.keyUsage = "SIGN_VERIFY"), (p.enableKeyRotation = false))),
            ),
            [],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                kms((p) => (delete p.keyUsage, (p.enableKeyRotation = false))),
            ),
            ["Key voting-backups-key never rotates; set enableKeyRotation: true"],
        );
    });
    it("refuses a Cloud KMS key without a rotation period and accepts one rotated every 365 days", () => {
        const key = (change: (p: any) => void) => changed(gcpResources(), "gcp:kms/cryptoKey:CryptoKey", "voting-backups-key", change);
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                key((p) => delete p.rotationPeriod),
            ),
            ["CryptoKey voting-backups-key never rotates; set rotationPeriod, e.g. 7776000s"],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                key((p) => (p.rotationPeriod = `${365 * 86400}s`)),
            ),
            [],
        );
    });
    it("finds a Key Vault key's rotate action in any case among other actions, and judges its period", () => {
        const policy = (...lifetimeActions: unknown[]) =>
            changed(azureResources(), "azure-native:keyvault:Key", "voting-backups-key", (p) => (p.properties.rotationPolicy = { lifetimeActions }));
        const notify = { action: { type: "Notify" }, trigger: { timeBeforeExpiry: "P30D" } };
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                policy(notify, { action: {}, trigger: {} }, { action: { type: "Rotate" }, trigger: { timeAfterCreate: "P3M" } }),
            ),
            [],
        );
        assert.deepStrictEqual(cloudViolations(requireKeyRotation, policy(notify)), [
            "Key voting-backups-key never rotates; add a rotationPolicy with a rotate action after timeAfterCreate, e.g. P90D",
        ]);
        assert.deepStrictEqual(cloudViolations(requireKeyRotation, policy({ action: { type: "Rotate" }, trigger: { timeAfterCreate: "P2Y" } })), [
            "Key voting-backups-key rotates every 730 days; rotate at least every 365",
        ]);
    });
    it("skips AWS and Cloud KMS keys that cannot rotate automatically: asymmetric and MAC keys", () => {
        const kms = (change: (p: any) => void) =>
            changed(awsResources(), "aws:kms/key:Key", "voting-backups-key", (p) => ((p.enableKeyRotation = false), change(p)));
        const refused = ["Key voting-backups-key never rotates; set enableKeyRotation: true"];
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                kms((p) => (p.customerMasterKeySpec = "RSA_3072")),
            ),
            [],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                kms((p) => ((p.keySpec = "RSA_4096"), delete p.customerMasterKeySpec)),
            ),
            [],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                kms((p) => (p.keySpec = "SYMMETRIC_DEFAULT")),
            ),
            refused,
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                kms((p) => delete p.customerMasterKeySpec),
            ),
            refused,
        );
        const key = (change: (p: any) => void) =>
            changed(gcpResources(), "gcp:kms/cryptoKey:CryptoKey", "voting-backups-key", (p) => (delete p.rotationPeriod, change(p)));
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                key((p) => (p.purpose = "ASYMMETRIC_SIGN")),
            ),
            [],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                key((p) => (p.purpose = "MAC")),
            ),
            [],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireKeyRotation,
                key((p) => delete p.purpose),
            ),
            ["CryptoKey voting-backups-key never rotates; set rotationPeriod, e.g. 7776000s"],
        );
    });
});
