import { integer, record } from "../../lib/k8s";
import { defineRule, type CloudFinding } from "../../lib/rule";

/** Generators of secret values whose length the program chooses. */
const GENERATORS = ["random:index/randomPassword:RandomPassword"];

/**
 * Checklist 1.4.1: passwords the stack generates are long enough (16 characters at least). Only a
 * generator the stack declares can be judged; passwords made elsewhere (a secret manager's rotation, a
 * person) are not visible to the pack.
 */
export const requireStrongGeneratedPasswords = defineRule<{ minLength: number }>({
    scope: "cloud",
    name: "require-strong-generated-passwords",
    description: "Every password the stack generates (a RandomPassword) is at least the configured number of characters long.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set the RandomPassword's length to at least 16 (the program uses 32).",
    checklist: ["1.4.1"],
    settings: { minLength: { type: "integer", minimum: 1, description: "Fewest characters of a generated password.", default: 16 } },
    check: (resources, cfg) => {
        const out: CloudFinding[] = [];
        for (const r of resources) {
            if (!GENERATORS.includes(r.type)) continue;
            const length = integer(record(r.props).length);
            const label = `${r.type.split(":").pop()} ${r.name}`;
            if (length === undefined) out.push({ resource: r, message: `${label}: sets no length; generate at least ${cfg.minLength} characters` });
            else if (length < cfg.minLength)
                out.push({ resource: r, message: `${label}: generates ${length}-character passwords; generate at least ${cfg.minLength}` });
        }
        return out;
    },
});
