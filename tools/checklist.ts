/**
 * Judges every checklist item from evidence: renders prod and staging, runs the pack over each with its
 * own pack config, runs every mutant over prod, and reads the tests `npm test` recorded as passed.
 *
 *   npm run checklist [-- --format text|json]
 *
 * JSON: {"items":[{"id","title","status","evidence":[...],"gaps":[...]}]}; `gaps` repeats the evidence that
 * did not hold. Progress goes to stderr. Exit 0 once judged; 2 on bad input.
 */
import { gatherEvidence, judgeChecklist, type ItemReport } from "../checklist/evidence";
import { CHECKLIST } from "../checklist/registry";
import type { Status } from "../checklist/types";
import { parseArgs } from "./lib/args";
import { runCli } from "./lib/cli";
import { InputError } from "./lib/stackConfig";

const STATUSES: readonly Status[] = ["met", "partial", "planned", "optional"];

export function summarize(items: readonly ItemReport[]): Record<Status, number> {
    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
    for (const i of items) counts[i.status]++;
    return counts;
}

export function toJson(items: readonly ItemReport[]) {
    return {
        items: items.map((i) => ({
            id: i.id,
            title: i.title,
            status: i.status,
            evidence: i.evidence.map((e) => e.text),
            gaps: i.evidence.filter((e) => !e.holds).map((e) => e.text),
        })),
    };
}

export function toText(items: readonly ItemReport[]): string {
    const lines: string[] = [];
    for (const i of items) {
        lines.push(`${i.id.padEnd(6)} ${i.status.padEnd(8)} ${i.title}`);
        for (const e of i.evidence) lines.push(`         ${e.holds ? "ok " : "NO "} ${e.text}`);
    }
    const counts = summarize(items);
    lines.push("", `${items.length} items: ${STATUSES.map((s) => `${counts[s]} ${s}`).join(", ")}`);
    return lines.join("\n") + "\n";
}

async function main(argv: readonly string[]): Promise<number> {
    const { values } = parseArgs(argv, { values: ["format"], flags: [], lists: [] });
    const format = values.format ?? "text";
    if (format !== "text" && format !== "json") throw new InputError(`--format must be text or json, not ${JSON.stringify(format)}`);
    const inputs = await gatherEvidence(CHECKLIST, (line) => process.stderr.write(`checklist: ${line}\n`));
    const items = judgeChecklist(CHECKLIST, inputs);
    process.stdout.write(format === "json" ? JSON.stringify(toJson(items), null, 2) + "\n" : toText(items));
    return 0;
}

if (require.main === module) runCli("checklist", () => main(process.argv.slice(2)));
