import { at, label, list, ofType, str, T } from "../../lib/cloud";
import { defineRule, type CloudFinding } from "../../lib/rule";

/**
 * Checklist 6.1.4: Kubernetes Secrets are encrypted in etcd with a customer-managed key (envelope
 * encryption), not only by the disk encryption every cloud applies.
 */
export const requireClusterSecretEncryption = defineRule({
    scope: "cloud",
    name: "require-cluster-secret-encryption",
    description:
        "An EKS, GKE or AKS cluster encrypts Kubernetes Secrets with a customer-managed key: EKS encryptionConfig for secrets, GKE application-layer database encryption, AKS Key Vault KMS.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Create the cluster with envelope encryption: EKS encryptionConfig {resources: [secrets], provider.keyArn}, GKE databaseEncryption {state: ENCRYPTED, keyName}, AKS securityProfile.azureKeyVaultKms {enabled, keyId}.",
    checklist: ["6.1.4"],
    check: (resources) => {
        const out: CloudFinding[] = [];
        for (const r of ofType(resources, T.eksCluster)) {
            const config = at(r, "encryptionConfig");
            const enc = Array.isArray(config) ? config : config ? [config] : [];
            const ok = enc.some(
                (e) =>
                    list(at(e as Record<string, unknown>, "resources")).includes("secrets") &&
                    !!str(at(e as Record<string, unknown>, "provider", "keyArn")),
            );
            if (!ok)
                out.push({
                    resource: r,
                    message: `${label(r)} does not encrypt Secrets with a KMS key; set encryptionConfig {resources: ["secrets"], provider: {keyArn}}`,
                });
        }
        for (const r of ofType(resources, T.gkeCluster)) {
            if (at(r, "databaseEncryption", "state") !== "ENCRYPTED" || !str(at(r, "databaseEncryption", "keyName")))
                out.push({
                    resource: r,
                    message: `${label(r)} does not encrypt Secrets with a Cloud KMS key; set databaseEncryption {state: "ENCRYPTED", keyName}`,
                });
        }
        for (const r of ofType(resources, T.aksCluster)) {
            if (at(r, "securityProfile", "azureKeyVaultKms", "enabled") !== true || !str(at(r, "securityProfile", "azureKeyVaultKms", "keyId")))
                out.push({
                    resource: r,
                    message: `${label(r)} does not encrypt Secrets with a Key Vault key; set securityProfile.azureKeyVaultKms {enabled: true, keyId}`,
                });
        }
        return out;
    },
});
