import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import { cloudTags, KEY_ROTATION_DAYS } from "../standards";

/** `7776000s`: Cloud KMS writes rotation periods in seconds. */
export const GCP_KEY_ROTATION_PERIOD = `${KEY_ROTATION_DAYS * 86400}s`;

/** A symmetric Cloud KMS key that rotates every 90 days and is kept from deletion by Pulumi. */
export function gcpCryptoKeyArgs(keyRing: pulumi.Input<string>, stack: string): gcp.kms.CryptoKeyArgs {
    return { keyRing, purpose: "ENCRYPT_DECRYPT", rotationPeriod: GCP_KEY_ROTATION_PERIOD, labels: cloudTags(stack) };
}

/** A key ring and one rotating key in it, the key usable by the given Google service agents. */
export function gcpKey(
    name: string,
    a: { project: string; location: string; stack: string; users: pulumi.Input<string>[] },
    parent: pulumi.Resource,
): { key: gcp.kms.CryptoKey; grants: gcp.kms.CryptoKeyIAMMember[] } {
    const ring = new gcp.kms.KeyRing(name, { project: a.project, location: a.location }, { parent });
    const key = new gcp.kms.CryptoKey(name, gcpCryptoKeyArgs(ring.id, a.stack), { parent, protect: true });
    const grants = a.users.map(
        (member, i) =>
            new gcp.kms.CryptoKeyIAMMember(
                `${name}-user-${i}`,
                { cryptoKeyId: key.id, role: "roles/cloudkms.cryptoKeyEncrypterDecrypter", member },
                { parent },
            ),
    );
    return { key, grants };
}
