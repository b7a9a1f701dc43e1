import { WAIVER_PREFIX } from "../../lib/annotations";
import { today } from "../../lib/clock";
import { describe } from "../../lib/k8s";
import { defineRule, type ResourceRule } from "../../lib/rule";
import { WAIVER_RULE, waiverAnnotations } from "../../lib/waivers";

function distance(a: string, b: string): number {
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const cur = [i];
        for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = cur;
    }
    return prev[b.length];
}

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A waiver is a decision someone has to be able to read and revisit: it names a policy of the pack,
 * says why, and (where the stack asks) runs out. A void waiver waives nothing; this rule says why.
 * Built from the names of the pack's other policies, which a waiver must name.
 */
export function requireValidWaivers(policies: readonly string[]): ResourceRule<{ maxDays: number }> {
    const known = new Set(policies);
    return defineRule<{ maxDays: number }>({
        scope: "resource",
        name: WAIVER_RULE,
        description: `Every waiver (annotation ${WAIVER_PREFIX}<policy>) names another policy of the pack, gives a reason, and carries an expiry date that has not passed (required, and at most maxDays ahead, where the stack sets maxDays).`,
        severity: "high",
        enforcementLevel: "mandatory",
        remediationSteps: `Write the annotation as ${WAIVER_PREFIX}<policy>: "<why the finding is acceptable> (expires YYYY-MM-DD)"; fix the finding instead once the waiver runs out.`,
        checklist: [],
        peers: {},
        settings: {
            maxDays: {
                type: "integer",
                minimum: 0,
                description: "Longest a waiver may run, in days from today; 0 leaves the expiry date optional.",
                default: 0,
            },
        },
        check: (obj, cfg) => {
            const on = today();
            const out: string[] = [];
            for (const w of waiverAnnotations(obj, on)) {
                const say = (m: string) => out.push(`${describe(obj)}: ${m}`);
                if (w.policy === WAIVER_RULE) {
                    say(`waives ${WAIVER_RULE}, which no object may waive; remove ${w.annotation}`);
                } else if (!known.has(w.policy)) {
                    const near = policies.filter((p) => distance(p, w.policy) <= 3);
                    say(
                        `waives ${JSON.stringify(w.policy)}, which is not a policy of this pack` +
                            (near.length > 0 ? ` (did you mean ${near.join(" or ")}?)` : "; npm run check -- --list-policies lists them"),
                    );
                } else if (w.problem) {
                    say(w.problem);
                } else if (cfg.maxDays > 0 && w.expires === undefined) {
                    say(`waives ${w.policy} with no expiry; this stack wants one at most ${cfg.maxDays} days ahead: add (expires YYYY-MM-DD)`);
                } else if (cfg.maxDays > 0 && w.expires! > addDays(on, cfg.maxDays)) {
                    say(
                        `waives ${w.policy} until ${w.expires}, more than ${cfg.maxDays} days ahead; waive it until ${addDays(on, cfg.maxDays)} at the latest`,
                    );
                }
            }
            return out;
        },
    });
}
