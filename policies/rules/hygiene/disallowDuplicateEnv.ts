import { forEachContainer } from "../../lib/k8s";
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
    check: (obj) =>
        forEachContainer(obj, (c) => {
            const names = (Array.isArray(c.container.env) ? c.container.env : []).map((e: { name?: string }) => e?.name);
            const dupes = [...new Set(names.filter((n: string, i: number) => names.indexOf(n) !== i))];
            return dupes.map((d) => `defines env ${d} more than once`);
        }),
});
