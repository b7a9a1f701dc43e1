/**
 * Runs every mutant declared in the checklist registry over the rendered prod stack and says which ones
 * the pack blocks: one line per mutant, then `mutants: N/M blocked`.
 *
 *   npm run mutants
 *
 * Exit 0 when every mutant is blocked; 1 when one is not, or fails to apply; 2 on bad input.
 */
import { describeMutant, renderFacts, timedMutants } from "../checklist/evidence";
import { CHECKLIST } from "../checklist/registry";
import { parseArgs } from "./lib/args";
import { runCli } from "./lib/cli";

async function main(argv: readonly string[]): Promise<number> {
    parseArgs(argv, { values: [], flags: [], lists: [] });
    const log = (line: string) => process.stderr.write(`mutants: ${line}\n`);
    const results = timedMutants(CHECKLIST, await renderFacts("prod", log), log);
    const blocked = results.filter((r) => r.outcome === "blocked").length;
    const lines = results.map((r) => `${r.item.padEnd(6)} ${describeMutant(r)}`);
    process.stdout.write([...lines, `mutants: ${blocked}/${results.length} blocked`].join("\n") + "\n");
    return blocked === results.length ? 0 : 1;
}

if (require.main === module) runCli("mutants", () => main(process.argv.slice(2)));
