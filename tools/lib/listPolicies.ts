/** `check --list-policies`: every policy of the pack with what it judges, its levels, checklist IDs, peers and settings. */
import * as fs from "fs";
import * as path from "path";
import { resolveRules, type PackConfig } from "../../policies/lib/evaluate";
import type { EnforcementLevel, Peers, Rule, Severity } from "../../policies/lib/rule";
import { InputError } from "./stackConfig";

export interface ListedSetting {
    readonly type: unknown;
    readonly default: unknown;
    readonly description: string;
    readonly [key: string]: unknown;
}

export interface ListedPolicy {
    readonly name: string;
    readonly description: string;
    readonly severity: Severity;
    /** The policy's own default enforcement level. */
    readonly level: EnforcementLevel;
    readonly checklist: string[];
    readonly peers: Peers;
    readonly settings: Record<string, ListedSetting>;
    /** The level each pack config under policies/config gives it (`generic`, `prod`, `staging`). */
    readonly levels: Record<string, EnforcementLevel>;
    readonly scope: Rule["scope"];
    readonly remediationSteps: string;
    /** What the automatic fix does, or null where no fix is safe. */
    readonly fix: string | null;
    readonly url: string;
}

/** Each pack config of the directory by its name (`prod` for prod.json), in name order. */
export function packConfigs(dir: string): Record<string, PackConfig> {
    return Object.fromEntries(
        fs
            .readdirSync(dir)
            .filter((f) => f.endsWith(".json"))
            .sort()
            .map((f) => {
                try {
                    return [f.replace(/\.json$/, ""), JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as PackConfig];
                } catch (e) {
                    throw new InputError(`${path.join(dir, f)}: invalid JSON: ${(e as Error).message}`);
                }
            }),
    );
}

export function listedPolicies(rules: readonly Rule[], configs: Record<string, PackConfig>): ListedPolicy[] {
    const levels = Object.fromEntries(
        Object.entries(configs).map(([name, cfg]) => [name, new Map(resolveRules(rules, cfg).map((r) => [r.rule.name, r.level]))]),
    );
    return rules.map((rule) => ({
        name: rule.name,
        description: rule.description,
        severity: rule.severity,
        level: rule.enforcementLevel,
        checklist: [...rule.checklist],
        peers: rule.peers,
        settings: Object.fromEntries(
            Object.entries(rule.settings).map(([k, s]) => {
                const { type, default: def, description, ...rest } = s as ListedSetting;
                return [k, { type, default: def, description, ...rest }];
            }),
        ),
        levels: Object.fromEntries(Object.entries(levels).map(([stack, m]) => [stack, m.get(rule.name)!])),
        scope: rule.scope,
        remediationSteps: rule.remediationSteps,
        fix: rule.scope !== "cloud" && rule.fix ? rule.fix.description : null,
        url: rule.url,
    }));
}

export function listPolicies(rules: readonly Rule[], configDir: string, format: "text" | "json"): string {
    const configs = packConfigs(configDir);
    const policies = listedPolicies(rules, configs);
    if (format === "json") return JSON.stringify({ policies }, null, 2) + "\n";
    const stacks = Object.keys(configs);
    const head = ["POLICY", "DEFAULT", ...stacks.map((s) => s.toUpperCase()), "SEVERITY", "FIX", "CHECKLIST"];
    const rows = policies.map((p) => [
        p.name,
        p.level,
        ...stacks.map((s) => p.levels[s]),
        p.severity,
        p.fix ? "yes" : "-",
        p.checklist.join(",") || "-",
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
    return [line(head), ...rows.map(line), "", `${policies.length} policies; docs/policies.md describes each, with its settings and peers.`, ""].join(
        "\n",
    );
}
