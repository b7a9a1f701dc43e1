/**
 * Prints the checklist coverage table: every item, how it is met, and what is still missing.
 *
 *   npm run checklist [-- --format json]
 */
import { CHECKLIST } from "../checklist/registry";
import { missingKinds, statusOf } from "../checklist/types";
import { parseArgs } from "./lib/args";
import { runCli } from "./lib/cli";

async function main(argv: readonly string[]): Promise<number> {
    const { values } = parseArgs(argv, { values: ["format"], flags: [], lists: [] });
    const rows = CHECKLIST.map((item) => ({
        id: item.id,
        status: statusOf(item),
        title: item.title,
        how: Object.entries(item.met)
            .flatMap(([k, v]) => (v ?? []).map((x: string) => `${k.replace(/s$/, "").replace("policie", "policy")}:${x}`))
            .join(" "),
        missing: missingKinds(item),
    }));
    if (values.format === "json") {
        process.stdout.write(JSON.stringify(rows, null, 2) + "\n");
        return 0;
    }
    const counts: Record<string, number> = {};
    for (const r of rows) counts[r.status] = (counts[r.status] ?? 0) + 1;
    const lines = rows.map((r) => {
        const title = r.title.length > 60 ? r.title.slice(0, 57) + "..." : r.title;
        const missing = r.missing.length ? `  [needs ${r.missing.join(", ")}]` : "";
        return `${r.id.padEnd(6)} ${r.status.padEnd(8)} ${title.padEnd(60)} ${r.how}${missing}`;
    });
    process.stdout.write(
        [
            `${"ID".padEnd(6)} ${"STATUS".padEnd(8)} ${"ITEM".padEnd(60)} HOW`,
            ...lines,
            "",
            `${rows.length} items: ${Object.entries(counts)
                .map(([k, v]) => `${v} ${k}`)
                .join(", ")}`,
        ].join("\n") + "\n",
    );
    return 0;
}

if (require.main === module) runCli("checklist", () => main(process.argv.slice(2)));
