/**
 * Benchmarks of the offline tools: render of each stack and the pack over the rendered objects and over
 * the Polaris fixture corpus (when ../shared is present). Prints median and p90 wall time per iteration.
 *
 *   npm run bench [-- --iterations 20]
 */
import * as fs from "fs";
import * as path from "path";
import { evaluate, resolveRules } from "../policies/lib/evaluate";
import { RULES } from "../policies/rules";
import { PACK_CONFIG_DIR, readPackConfig } from "../tools/check";
import { parseArgs } from "../tools/lib/args";
import { runCli } from "../tools/lib/cli";
import { expandPaths, loadManifestFile } from "../tools/lib/manifests";
import { kubernetesObjects, renderStack } from "../tools/lib/render";
import { PROJECT_ROOT } from "../tools/lib/stackConfig";

async function time(label: string, iterations: number, fn: () => Promise<unknown> | unknown): Promise<void> {
    await fn();
    const samples: number[] = [];
    for (let i = 0; i < iterations; i++) {
        const t = process.hrtime.bigint();
        await fn();
        samples.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(2);
    process.stdout.write(`${label.padEnd(46)} median ${at(0.5).padStart(8)} ms   p90 ${at(0.9).padStart(8)} ms   (${iterations} runs)\n`);
}

async function main(argv: readonly string[]): Promise<number> {
    const { values } = parseArgs(argv, { values: ["iterations"], flags: [], lists: [] });
    const n = Number(values.iterations ?? 10);
    for (const stack of ["staging", "prod"]) {
        await time(`render ${stack} (mock runtime)`, n, () => renderStack(stack));
        const objects = kubernetesObjects(await renderStack(stack));
        const rules = resolveRules(RULES, readPackConfig(path.join(PACK_CONFIG_DIR, `${stack}.json`)));
        await time(`pack over ${stack} (${objects.length} objects, its pack config)`, n * 10, () => evaluate(rules, objects));
    }
    const rules = resolveRules(RULES, readPackConfig(path.join(PACK_CONFIG_DIR, "generic.json")));
    const corpus = path.join(PROJECT_ROOT, "..", "shared", "conformance", "polaris");
    if (fs.existsSync(corpus)) {
        const files = expandPaths([corpus]);
        await time(`load + pack, Polaris corpus (${files.length} files)`, n, () =>
            files.map(loadManifestFile).forEach((f) =>
                evaluate(
                    rules,
                    f.objects.map((o) => o.object),
                ),
            ),
        );
    }
    return 0;
}

if (require.main === module) runCli("bench", () => main(process.argv.slice(2)));
