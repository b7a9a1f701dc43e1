/** Numbers every cloud's resources are held to; the pack's cloud rules default to the same values. */

/** Checklist 4.4.3, 6.4.1: control-plane audit logs are kept 90 days. */
export const AUDIT_LOG_RETENTION_DAYS = 90;

/** Customer-managed keys rotate every 90 days (the shortest period AWS KMS offers). */
export const KEY_ROTATION_DAYS = 90;

/** Cloud tags (labels on GCP) every cloud resource of the stack carries. */
export const cloudTags = (stack: string): Record<string, string> => ({ "part-of": "voting-app", stack });
