import type * as aws from "@pulumi/aws";
import { cloudTags, KEY_ROTATION_DAYS } from "../standards";

export { AUDIT_LOG_RETENTION_DAYS } from "../standards";

/** A symmetric customer-managed key that rotates every 90 days and waits 30 days before it can be deleted. */
export function awsKmsKeyArgs(description: string, region: string, stack: string): aws.kms.KeyArgs {
    return {
        description,
        region,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        enableKeyRotation: true,
        rotationPeriodInDays: KEY_ROTATION_DAYS,
        deletionWindowInDays: 30,
        tags: cloudTags(stack),
    };
}
