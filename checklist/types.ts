import type { Mutant } from "./mutants";

/** What the project names as carrying one checklist item. `npm run checklist` checks each claim. */
export interface ChecklistMet {
    /** Component type tokens (`voting:namespaces:Namespaces`) whose rendered resources build it. */
    readonly components?: readonly string[];
    /** Pack policies that block or warn when it is broken. */
    readonly policies?: readonly string[];
    /** Post-deploy verification Jobs (component type tokens) that check it on the live cluster. */
    readonly verify?: readonly string[];
    /** Runbooks or records under docs/ (or README.md), where no code can carry it. */
    readonly docs?: readonly string[];
    /**
     * The project's own test suite: met when `npm test`'s mocha run loaded every spec file at the commit
     * checked out, on a clean tree, and no test or hook failed. Counts as the `infra` of an item whose
     * infrastructure is the project's tests.
     */
    readonly suite?: true;
}

/** The stacks every item is judged on. */
export const STACKS = ["prod", "staging"] as const;
export type StackName = (typeof STACKS)[number];

/**
 * For each stack, the full titles (`describe` titles and the `it` title, joined by spaces, as mocha's
 * `fullTitle()` gives them) of tests that ran the item's behaviour for real on that stack's path. A
 * string instead of a list says why the behaviour does not apply to that stack.
 */
export type Rehearsals = { readonly [S in StackName]: readonly string[] | string };

export interface ChecklistItem {
    readonly id: string;
    readonly section: string;
    readonly title: string;
    /** What the checklist asks for: `infra + policy`, `verify`, `doc`, `infra (optional)`. */
    readonly enforce: string;
    readonly met: ChecklistMet;
    /** Careless changes to the rendered prod stack that break this item; the pack must block each one. */
    readonly mutants?: readonly Mutant[];
    /** Set on items about behaviour (backups, bootstrap, TLS, verification): the tests that rehearse it. */
    readonly rehearsals?: Rehearsals;
    /** A config path (`features.ciliumL7Policies`) that switches an optional item on; off in every stack: `optional`. */
    readonly option?: string;
    /** Problems found on review that no check catches yet; the item is not met while any is listed. */
    readonly problems?: readonly string[];
}

export type Status = "met" | "partial" | "planned" | "optional";

const KINDS = { infra: "components", policy: "policies", verify: "verify", doc: "docs" } as const;
export type EvidenceKind = keyof typeof KINDS;

/** The kinds of evidence an item asks for, read from its `enforce` column. */
export function requiredKinds(item: Pick<ChecklistItem, "enforce">): EvidenceKind[] {
    return (Object.keys(KINDS) as EvidenceKind[]).filter((k) => new RegExp(`\\b${k}\\b`).test(item.enforce));
}

/** Where the registry lists evidence of each kind. */
export const fieldOf = (kind: EvidenceKind): (typeof KINDS)[EvidenceKind] => KINDS[kind];

/** Whether the checklist asks a policy to carry the item. */
export const policyEnforced = (item: Pick<ChecklistItem, "enforce">): boolean => requiredKinds(item).includes("policy");
