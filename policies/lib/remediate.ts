/**
 * The pack's automatic fixes, offline: what CrossGuard's `remediate` enforcement level does to each
 * resource before the policies judge it, and what `check --fix` writes out.
 */
import type { ResolvedRule } from "./evaluate";
import { applyPatches } from "./fixes";
import type { K8sObject } from "./k8s";
import { judge } from "./waivers";

export interface AppliedFix {
    readonly policy: string;
    /** The object as it was given. */
    readonly object: K8sObject;
    /** One line per change, naming the object. */
    readonly changes: readonly string[];
}

export interface Remediation {
    /** The objects in their order, each either the one given (nothing changed) or a fixed copy. */
    readonly objects: K8sObject[];
    readonly fixes: AppliedFix[];
}

/**
 * Applies the fixes of the rules at the `remediate` level (with `all`, of every enabled rule that has
 * one) to copies of the objects; the objects given are never changed. An object that waives a policy
 * keeps what that policy would fix.
 */
export function remediate(resolved: readonly ResolvedRule[], objects: readonly K8sObject[], opts: { all?: boolean } = {}): Remediation {
    const fixers = resolved.filter(
        ({ rule, level }) => rule.scope !== "cloud" && rule.fix && (level === "remediate" || (opts.all && level !== "disabled")),
    );
    const fixes: AppliedFix[] = [];
    const out = objects.map((original) => {
        let copy: K8sObject | undefined;
        for (const { rule, config } of fixers) {
            if (rule.scope === "cloud" || !rule.fix || judge(rule.name, config, original).waived) continue;
            const current = copy ?? original;
            const patches = rule.fix.patches(current, config);
            if (patches.length === 0) continue;
            copy = JSON.parse(JSON.stringify(current)) as K8sObject;
            applyPatches(copy, patches);
            fixes.push({ policy: rule.name, object: original, changes: patches.map((p) => p.change) });
        }
        return copy ?? original;
    });
    return { objects: out, fixes };
}
