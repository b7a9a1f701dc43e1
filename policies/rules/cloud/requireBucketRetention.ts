import { accountParts, companions } from "../../lib/buckets";
import { at, label, list, ofType, T } from "../../lib/cloud";
import { defineRule, type CloudFinding } from "../../lib/rule";

const num = (v: unknown) => (typeof v === "number" ? v : undefined);

/** Checklist 4.2.1: backups expire after the retention, and never sooner than `minDays`. */
export const requireBucketRetention = defineRule<{ minDays: number }>({
    scope: "cloud",
    name: "require-bucket-retention",
    description: "Backup storage deletes backups by a lifecycle rule (no unbounded growth), and keeps each at least the configured number of days.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set backup.retentionDays (7 or more); the program writes the lifecycle rule (S3 expiration, GCS Delete by age, Azure management policy).",
    checklist: ["4.2.1"],
    settings: { minDays: { type: "integer", minimum: 1, description: "Fewest days a backup is kept.", default: 7 } },
    check: (resources, cfg) => {
        const out: CloudFinding[] = [];
        const judge = (r: Parameters<typeof label>[0], days: (number | undefined)[], fix: string) => {
            const set = days.filter((d): d is number => d !== undefined);
            if (set.length === 0) out.push({ resource: r, message: `${label(r)} never deletes backups; ${fix}` });
            else if (Math.min(...set) < cfg.minDays)
                out.push({ resource: r, message: `${label(r)} deletes backups after ${Math.min(...set)} days; keep them at least ${cfg.minDays}` });
        };
        for (const b of ofType(resources, T.s3Bucket)) {
            const rules = companions(resources, T.s3Lifecycle, b).flatMap((c) => list(at(c, "rules")) as Record<string, unknown>[]);
            judge(
                b,
                rules.filter((r) => at(r, "status") === "Enabled").map((r) => num(at(r, "expiration", "days"))),
                "add a lifecycle rule with expiration.days",
            );
        }
        for (const b of ofType(resources, T.gcsBucket)) {
            const rules = list(at(b, "lifecycleRules")) as Record<string, unknown>[];
            judge(
                b,
                rules.filter((r) => at(r, "action", "type") === "Delete").map((r) => num(at(r, "condition", "age"))),
                "add a Delete lifecycle rule with condition.age",
            );
        }
        for (const a of ofType(resources, T.storageAccount)) {
            const rules = accountParts(resources, T.managementPolicy, a).flatMap((p) => list(at(p, "policy", "rules")) as Record<string, unknown>[]);
            judge(
                a,
                rules
                    .filter((r) => at(r, "enabled") !== false)
                    .map((r) => num(at(r, "definition", "actions", "baseBlob", "delete", "daysAfterModificationGreaterThan"))),
                "add a management policy deleting base blobs after daysAfterModificationGreaterThan",
            );
        }
        return out;
    },
});
