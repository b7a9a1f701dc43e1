import { forEachContainer, records } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** P.4: with a duplicated variable the last one silently wins, and a reader sees the wrong value. */
export const disallowDuplicateEnv = defineRule({
    scope: "resource",
    name: "disallow-duplicate-env",
    description: "No container defines the same environment variable twice.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Remove the earlier definition; keep one entry per name.",
    checklist: ["P.4"],
    peers: { "kube-score": ["environment-variable-key-duplication"], "kube-linter": ["duplicate-env-var"] },
    kinds: "workloads",
    check: (obj) =>
        forEachContainer(obj, (c) => {
            const seen = new Set<string>();
            const dupes = new Set<string>();
            for (const e of records(c.container.env)) {
                if (typeof e.name !== "string") continue;
                if (seen.has(e.name)) dupes.add(e.name);
                seen.add(e.name);
            }
            return [...dupes].map((d) => `defines env ${d} more than once`);
        }),
});
