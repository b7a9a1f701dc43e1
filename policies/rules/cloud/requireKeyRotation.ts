import { at, isoDays, label, list, ofType, secondsToDays, str, T } from "../../lib/cloud";
import { defineRule, type CloudFinding } from "../../lib/rule";

/** Checklist 6.1.4: the customer-managed keys that encrypt Secrets, secrets and backups rotate automatically. */
export const requireKeyRotation = defineRule<{ maxDays: number }>({
    scope: "cloud",
    name: "require-key-rotation",
    description: "A KMS key, Cloud KMS key or Key Vault key rotates automatically, at least every configured number of days.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "AWS: enableKeyRotation with rotationPeriodInDays; GCP: rotationPeriod in seconds; Azure: a rotation policy with a rotate action after timeAfterCreate.",
    checklist: ["6.1.4"],
    settings: {
        maxDays: { type: "integer", minimum: 90, maximum: 2560, description: "Longest period between two rotations, in days.", default: 365 },
    },
    check: (resources, cfg) => {
        const out: CloudFinding[] = [];
        const judge = (r: Parameters<typeof label>[0], days: number | undefined, fix: string) => {
            if (days === undefined) out.push({ resource: r, message: `${label(r)} never rotates; ${fix}` });
            else if (days > cfg.maxDays)
                out.push({ resource: r, message: `${label(r)} rotates every ${days} days; rotate at least every ${cfg.maxDays}` });
        };
        // Only symmetric encryption keys rotate automatically on AWS and GCP: signing, MAC and asymmetric keys are not judged.
        const unsetOr = (v: unknown, symmetric: string) => v === undefined || v === symmetric;
        for (const k of ofType(resources, T.kmsKey)) {
            if (!unsetOr(at(k, "keyUsage"), "ENCRYPT_DECRYPT") || !unsetOr(at(k, "keySpec") ?? at(k, "customerMasterKeySpec"), "SYMMETRIC_DEFAULT"))
                continue;
            const period = at(k, "rotationPeriodInDays");
            judge(k, at(k, "enableKeyRotation") === true ? (typeof period === "number" ? period : 365) : undefined, "set enableKeyRotation: true");
        }
        for (const k of ofType(resources, T.cryptoKey)) {
            if (!unsetOr(at(k, "purpose"), "ENCRYPT_DECRYPT")) continue;
            judge(k, secondsToDays(at(k, "rotationPeriod")), "set rotationPeriod, e.g. 7776000s");
        }
        for (const k of ofType(resources, T.keyVaultKey)) {
            const rotate = (list(at(k, "properties", "rotationPolicy", "lifetimeActions")) as Record<string, unknown>[]).find(
                (a) => (str(at(a, "action", "type")) ?? "").toLowerCase() === "rotate",
            );
            judge(
                k,
                rotate ? isoDays(at(rotate, "trigger", "timeAfterCreate")) : undefined,
                "add a rotationPolicy with a rotate action after timeAfterCreate, e.g. P90D",
            );
        }
        return out;
    },
});
