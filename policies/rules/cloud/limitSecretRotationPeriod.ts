import { at, label, list, ofType, secondsToDays, str, T } from "../../lib/cloud";
import { defineRule, type CloudFinding } from "../../lib/rule";

/** `rate(30 days)` → 30; undefined for anything else (cron schedules are not judged by days). */
const rateDays = (v: unknown) => {
    const m = typeof v === "string" ? /^rate\((\d+) days?\)$/.exec(v) : null;
    return m ? Number(m[1]) : undefined;
};

/**
 * Checklist 6.1.3: the database and Redis passwords change at least every `maxDays`. AWS: a rotation
 * schedule with a rotation Lambda; GCP: a rotation period announced on a Pub/Sub topic; Azure: each
 * secret version valid (notBefore to expires) for no longer than the period, so it must be rewritten.
 */
export const limitSecretRotationPeriod = defineRule<{ maxDays: number }>({
    scope: "cloud",
    name: "limit-secret-rotation-period",
    description:
        "Every secret-manager secret rotates at least every configured number of days: an AWS rotation schedule, a GCP rotation period with a topic, an Azure Key Vault secret valid no longer than that.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set secrets.rotationDays (90 or less); the program writes the rotation (components/cloud/*/secrets.ts).",
    checklist: ["6.1.3"],
    settings: {
        maxDays: { type: "integer", minimum: 1, maximum: 365, description: "Longest time a credential may stay unchanged, in days.", default: 90 },
    },
    check: (resources, cfg) => {
        const out: CloudFinding[] = [];
        const tooLong = (r: Parameters<typeof label>[0], days: number) =>
            out.push({ resource: r, message: `${label(r)} rotates every ${days} days; rotate at least every ${cfg.maxDays}` });
        const rotations = ofType(resources, T.awsSecretRotation);
        for (const s of ofType(resources, T.awsSecret)) {
            const ids = [str(at(s, "arn")), str(at(s, "id")), str(at(s, "name"))].filter((x): x is string => x !== undefined);
            const rotation = rotations.find((r) => {
                const id = str(at(r, "secretId"));
                return id !== undefined && ids.includes(id);
            });
            if (!rotation || at(rotation, "rotationEnabled") === false) {
                out.push({ resource: s, message: `${label(s)} has no rotation schedule; add a SecretRotation every ${cfg.maxDays} days or fewer` });
                continue;
            }
            const after = at(rotation, "rotationRules", "automaticallyAfterDays");
            const days = (typeof after === "number" ? after : undefined) ?? rateDays(at(rotation, "rotationRules", "scheduleExpression"));
            if (days === undefined)
                out.push({
                    resource: rotation,
                    message: `${label(rotation)} gives no rotation period in days; set rotationRules.automaticallyAfterDays`,
                });
            else if (days > cfg.maxDays) tooLong(rotation, days);
            if (!str(at(rotation, "rotationLambdaArn")))
                out.push({ resource: rotation, message: `${label(rotation)} names no rotation Lambda, so nothing writes the new password` });
        }
        for (const s of ofType(resources, T.gcpSecret)) {
            const days = secondsToDays(at(s, "rotation", "rotationPeriod"));
            if (days === undefined) out.push({ resource: s, message: `${label(s)} has no rotation period; set rotation.rotationPeriod and a topic` });
            else if (days > cfg.maxDays) tooLong(s, days);
            if (list(at(s, "topics")).length === 0)
                out.push({ resource: s, message: `${label(s)} announces its rotation on no Pub/Sub topic; add topics` });
        }
        for (const s of ofType(resources, T.keyVaultSecret)) {
            const nbf = at(s, "properties", "attributes", "notBefore");
            const exp = at(s, "properties", "attributes", "expires");
            if (typeof nbf !== "number" || typeof exp !== "number") {
                out.push({
                    resource: s,
                    message: `${label(s)} never expires; set properties.attributes notBefore and expires at most ${cfg.maxDays} days apart`,
                });
                continue;
            }
            const days = Math.ceil((exp - nbf) / 86400);
            if (days > cfg.maxDays) tooLong(s, days);
        }
        return out;
    },
});
