/** How one checklist item is carried by the project. */
export interface ChecklistMet {
    /** Component type tokens (`voting:namespaces:Namespaces`) whose rendered resources build it. */
    readonly components?: readonly string[];
    /** Pack policies that block or warn when it is broken. */
    readonly policies?: readonly string[];
    /** Post-deploy verification Jobs (component type tokens) that check it on the live cluster. */
    readonly verify?: readonly string[];
    /** Runbooks or records under docs/ (or README.md), where no code can carry it. */
    readonly docs?: readonly string[];
}

export interface ChecklistItem {
    readonly id: string;
    readonly section: string;
    readonly title: string;
    /** What the checklist asks for: `infra + policy`, `verify`, `doc`, `infra (optional)`. */
    readonly enforce: string;
    readonly met: ChecklistMet;
}

export type Status = "met" | "partial" | "planned" | "optional";

const KINDS = { infra: "components", policy: "policies", verify: "verify", doc: "docs" } as const;

/** The kinds of evidence an item asks for, read from its `enforce` column. */
export function requiredKinds(item: ChecklistItem): (keyof ChecklistMet)[] {
    return (Object.keys(KINDS) as (keyof typeof KINDS)[]).filter((k) => new RegExp(`\\b${k}\\b`).test(item.enforce)).map((k) => KINDS[k]);
}

export function statusOf(item: ChecklistItem): Status {
    const need = requiredKinds(item);
    const have = need.filter((k) => (item.met[k]?.length ?? 0) > 0);
    if (have.length === need.length && need.length > 0) return "met";
    if (have.length > 0 || Object.values(item.met).some((v) => v && v.length > 0)) return "partial";
    return /optional/.test(item.enforce) ? "optional" : "planned";
}

/** What an item still lacks, e.g. ["policy", "verify"]. */
export function missingKinds(item: ChecklistItem): string[] {
    const names = Object.fromEntries(Object.entries(KINDS).map(([k, v]) => [v, k]));
    return requiredKinds(item)
        .filter((k) => (item.met[k]?.length ?? 0) === 0)
        .map((k) => names[k]);
}
