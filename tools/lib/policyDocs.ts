/**
 * docs/policies.md, generated from the rules: what each policy judges, its checklist IDs, peers, severity,
 * level per stack, settings with defaults, remediation, automatic fix and tests; how waivers work; and a
 * migration table per peer tool. `npm run docs` writes it; a test fails when it drifts from the rules.
 */
import * as fs from "fs";
import * as path from "path";
import { WAIVER_PREFIX } from "../../policies/lib/annotations";
import type { PackConfig } from "../../policies/lib/evaluate";
import type { Peers, Rule } from "../../policies/lib/rule";
import { WAIVER_RULE, WAIVER_SETTINGS } from "../../policies/lib/waivers";
import { listedPolicies, type ListedPolicy } from "./listPolicies";
import { PEER_CATALOG, PEER_TOOLS, type PeerTool } from "./peerCatalog";

export const POLICY_DOCS_FILE = "docs/policies.md";

const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function walk(dir: string, ext: string): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .sort((a, b) => a.name.localeCompare(b.name))
        .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name), ext) : e.name.endsWith(ext) ? [path.join(dir, e.name)] : []));
}

/** The file that defines each rule, and the spec files that test it (import its module, or describe it by name). */
export function sourcesOf(rules: readonly Rule[], root: string): Map<string, { source: string; tests: string[] }> {
    const ruleFiles = walk(path.join(root, "policies", "rules"), ".ts").map((f) => ({ f, text: fs.readFileSync(f, "utf8") }));
    const specs = walk(path.join(root, "test"), ".spec.ts").map((f) => ({ f, text: fs.readFileSync(f, "utf8") }));
    const rel = (f: string) => path.relative(root, f).split(path.sep).join("/");
    const out = new Map<string, { source: string; tests: string[] }>();
    for (const rule of rules) {
        const def = new RegExp(`export (const|function) ${camel(rule.name)}\\b`, "i");
        const file = ruleFiles.find((r) => def.test(r.text));
        const module = file
            ? rel(file.f)
                  .replace(/^policies\/rules\//, "")
                  .replace(/\.ts$/, "")
            : undefined;
        const tests = specs
            .filter((s) => (module && s.text.includes(`rules/${module}"`)) || s.text.includes(`describe("${rule.name}"`))
            .map((s) => rel(s.f));
        out.set(rule.name, { source: file ? rel(file.f) : "", tests });
    }
    return out;
}

function peersLine(peers: Peers): string {
    const parts = (Object.keys(PEER_TOOLS) as PeerTool[])
        .filter((t) => (peers[t] ?? []).length > 0)
        .map((t) => `${PEER_TOOLS[t].title} ${peers[t]!.map(code).join(", ")}`);
    return parts.length > 0 ? parts.join("; ") : "none";
}

function settingsTable(p: ListedPolicy): string[] {
    const entries = Object.entries(p.settings);
    if (entries.length === 0) return ["Settings: none of its own (the waiver settings below apply to every policy)."];
    return [
        "| setting | type | default | description |",
        "| --- | --- | --- | --- |",
        ...entries.map(([k, s]) => `| ${code(k)} | ${cell(String(s.type))} | ${code(cell(JSON.stringify(s.default)))} | ${cell(s.description)} |`),
    ];
}

function policySection(p: ListedPolicy, rule: Rule, where: { source: string; tests: string[] }, stacks: string[]): string[] {
    const levels = [`default ${p.level}`, ...stacks.map((s) => `${s} ${p.levels[s]}`)].join(", ");
    return [
        `### ${p.name}`,
        "",
        p.description,
        "",
        "| | |",
        "| --- | --- |",
        `| Checklist | ${p.checklist.length > 0 ? p.checklist.join(", ") : "none (it judges waivers)"} |`,
        `| Severity | ${p.severity} |`,
        `| Level | ${levels} |`,
        `| Judges | ${rule.scope === "resource" ? "each object on its own" : rule.scope === "stack" ? "the whole resource set" : "the stack's cloud resources"} |`,
        `| Replaces | ${peersLine(p.peers)} |`,
        `| Automatic fix | ${p.fix ? cell(p.fix) : "none: the fix needs a person"} |`,
        `| Source | ${where.source ? code(where.source) : "-"} |`,
        `| Tests | ${where.tests.length > 0 ? where.tests.map(code).join(", ") : "-"} |`,
        "",
        `Remediation: ${p.remediationSteps}`,
        "",
        ...settingsTable(p),
        "",
    ];
}

function migrationTable(tool: PeerTool, policies: readonly ListedPolicy[]): string[] {
    const rows = PEER_CATALOG[tool].map((c) => {
        const by = policies.filter((p) => (p.peers[tool] ?? []).includes(c.check)).map((p) => `[${p.name}](#${p.name})`);
        const what = by.length > 0 ? by.join(", ") + (c.note ? ` (${c.note})` : "") : `not covered: ${c.notCovered ?? "no reason given"}`;
        return `| ${code(c.check)} | ${cell(what)} |`;
    });
    const covered = PEER_CATALOG[tool].filter((c) => policies.some((p) => (p.peers[tool] ?? []).includes(c.check))).length;
    return [
        `### From ${PEER_TOOLS[tool].title}`,
        "",
        `${covered} of the ${PEER_CATALOG[tool].length} checks listed (${PEER_TOOLS[tool].scope}) have a policy here that judges the same thing.`,
        "",
        `| ${PEER_TOOLS[tool].title} check | this pack |`,
        "| --- | --- |",
        ...rows,
        "",
    ];
}

/** The whole of docs/policies.md. */
export function renderPolicyDocs(rules: readonly Rule[], configs: Record<string, PackConfig>, root: string): string {
    const policies = listedPolicies(rules, configs);
    const stacks = Object.keys(configs);
    const where = sourcesOf(rules, root);
    const byName = new Map(rules.map((r) => [r.name, r]));
    const prod = configs.prod ?? {};
    const notWaivable = policies.filter((p) => {
        const own = prod[p.name];
        return typeof own === "object" && own.waivable === false;
    });
    const fixes = policies.filter((p) => p.fix);
    return [
        "# Policy reference",
        "",
        "<!-- Generated by `npm run docs` from policies/rules and policies/config; edit those, not this file. A test fails when they differ. -->",
        "",
        `The pack has ${policies.length} policies. Each runs as a CrossGuard policy under \`pulumi preview\` and \`pulumi up\`, and offline through`,
        "`npm run check` (`--list-policies` prints this list, `--format json` for tools). A mandatory violation blocks a deploy and makes",
        "`check` exit 1; an advisory one is reported only.",
        "",
        "| policy | checklist | severity | " + ["default", ...stacks].join(" | ") + " | fix |",
        "| --- | --- | --- | " + ["default", ...stacks].map(() => "---").join(" | ") + " | --- |",
        ...policies.map(
            (p) =>
                `| [${p.name}](#${p.name}) | ${p.checklist.join(", ") || "-"} | ${p.severity} | ${[p.level, ...stacks.map((s) => p.levels[s])].join(" | ")} | ${p.fix ? "yes" : "-"} |`,
        ),
        "",
        "## Waivers and exemptions",
        "",
        `An object waives one policy's findings on itself with an annotation that says why, and may say until when:`,
        "",
        "```yaml",
        "metadata:",
        "  annotations:",
        `    ${WAIVER_PREFIX}require-read-only-root-filesystem: "nginx writes its pid file to / until the 1.27 image (expires 2026-09-30)"`,
        "```",
        "",
        `A waiver with no reason (an empty value, or a flag such as \`"true"\`), with an expiry that is not a date or has passed,`,
        `or naming no policy of the pack waives nothing, and [${WAIVER_RULE}](#${WAIVER_RULE}) reports it. Expiry is judged against today's`,
        "date in UTC (`VOTING_POLICY_TODAY=YYYY-MM-DD` fixes the date, for tests or to replay a past run). Waived findings are not",
        "violations: CrossGuard does not report them, and `check` lists them apart (text: a WAIVED section; JSON: `waivers` and",
        "`summary.waived`; SARIF: results with a suppression; JUnit: skipped test cases).",
        "",
        "Every policy takes two settings besides its own, in the pack config:",
        "",
        "| setting | type | default | description |",
        "| --- | --- | --- | --- |",
        ...Object.entries(WAIVER_SETTINGS).map(
            ([k, s]) => `| ${code(k)} | ${s.type} | ${code(JSON.stringify(s.default))} | ${cell(s.description)} |`,
        ),
        "",
        "```json",
        '{ "require-pod-spread": { "exempt": [{ "namespace": "voting-data", "name": "postgres", "reason": "a single primary" }] } }',
        "```",
        "",
        `Prod's pack config decides, for each policy mandatory there, whether an object may waive it. These ${notWaivable.length} may not:`,
        notWaivable.map((p) => code(p.name)).join(", ") + ".",
        `Prod also requires every waiver to expire within ${(prod[WAIVER_RULE] as { maxDays?: number } | undefined)?.maxDays ?? 0} days.`,
        "",
        "## Automatic fixes",
        "",
        `${fixes.length} policies carry a fix that is safe to apply without a person: it fills in a field the object leaves unset`,
        "and never overrides an explicit choice. It runs when the policy's level is `remediate` (CrossGuard fixes the resource's",
        "inputs before judging them; `check` does the same in memory), and on every enabled policy with",
        "`npm run check -- --manifests <files> --fix --out <dir>`, which writes fixed copies and never the input files.",
        "An object that waives a policy is not fixed by it.",
        "",
        ...fixes.map((p) => `- [${p.name}](#${p.name}): ${p.fix}`),
        "",
        "## Policies",
        "",
        ...policies.flatMap((p) => policySection(p, byName.get(p.name)!, where.get(p.name)!, stacks)),
        "## Migrating from a peer tool",
        "",
        "Each policy declares the peer checks it replaces, only where it judges the same thing; a note says where it is",
        "stricter or reads the object differently. docs/conformance.md measures the agreement on Polaris's own fixtures.",
        "",
        ...(Object.keys(PEER_TOOLS) as PeerTool[]).flatMap((t) => migrationTable(t, policies)),
    ].join("\n");
}
