import * as assert from "assert";
import { requireClusterSecretEncryption } from "../../../../policies/rules/cloud/requireClusterSecretEncryption";
import { cloudViolations } from "../../../helpers/policy";
import { allClouds, awsResources, azureResources, changed, gcpResources } from "./fixtures";

const EKS = "aws:eks/cluster:Cluster";
const GKE = "gcp:container/cluster:Cluster";
const AKS = "azure-native:containerservice:ManagedCluster";

describe("require-cluster-secret-encryption", () => {
    it("passes EKS, GKE and AKS clusters that encrypt Secrets with their own key", () => {
        assert.deepStrictEqual(cloudViolations(requireClusterSecretEncryption, allClouds()), []);
    });
    it("refuses an EKS cluster without encryptionConfig", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterSecretEncryption,
                changed(awsResources(), EKS, "voting-cluster", (p) => delete p.encryptionConfig),
            ),
            ['Cluster voting-cluster does not encrypt Secrets with a KMS key; set encryptionConfig {resources: ["secrets"], provider: {keyArn}}'],
        );
    });
    it("refuses a GKE cluster whose database encryption is DECRYPTED", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterSecretEncryption,
                changed(gcpResources(), GKE, "voting-cluster", (p) => (p.databaseEncryption.state = "DECRYPTED")),
            ),
            ['Cluster voting-cluster does not encrypt Secrets with a Cloud KMS key; set databaseEncryption {state: "ENCRYPTED", keyName}'],
        );
    });
    it("refuses an AKS cluster with Key Vault KMS off", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterSecretEncryption,
                changed(azureResources(), AKS, "voting-cluster", (p) => (p.securityProfile.azureKeyVaultKms.enabled = false)),
            ),
            [
                "ManagedCluster voting-cluster does not encrypt Secrets with a Key Vault key; set securityProfile.azureKeyVaultKms {enabled: true, keyId}",
            ],
        );
    });
    it("accepts EKS encryptionConfig given as a list, and refuses one that leaves out Secrets or the key", () => {
        const eks = (change: (p: any) => void) => changed(awsResources(), EKS, "voting-cluster", change);
        const message =
            'Cluster voting-cluster does not encrypt Secrets with a KMS key; set encryptionConfig {resources: ["secrets"], provider: {keyArn}}';
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterSecretEncryption,
                eks((p) => (p.encryptionConfig = [{ resources: ["configmaps"] }, p.encryptionConfig])),
            ),
            [],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterSecretEncryption,
                eks((p) => (p.encryptionConfig.resources = ["configmaps"])),
            ),
            [message],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterSecretEncryption,
                eks((p) => delete p.encryptionConfig.provider.keyArn),
            ),
            [message],
        );
    });
    it("refuses a GKE cluster that is ENCRYPTED without a key name and an AKS cluster with Key Vault KMS but no key", () => {
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterSecretEncryption,
                changed(gcpResources(), GKE, "voting-cluster", (p) => delete p.databaseEncryption.keyName),
            ),
            ['Cluster voting-cluster does not encrypt Secrets with a Cloud KMS key; set databaseEncryption {state: "ENCRYPTED", keyName}'],
        );
        assert.deepStrictEqual(
            cloudViolations(
                requireClusterSecretEncryption,
                changed(azureResources(), AKS, "voting-cluster", (p) => delete p.securityProfile.azureKeyVaultKms.keyId),
            ),
            [
                "ManagedCluster voting-cluster does not encrypt Secrets with a Key Vault key; set securityProfile.azureKeyVaultKms {enabled: true, keyId}",
            ],
        );
    });
});
