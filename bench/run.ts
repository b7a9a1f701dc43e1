/**
 * Benchmarks of the offline tools, on this machine (wall time, and CPU time where other processes
 * compete for the cores):
 * - startup: a one-file check, as `npm run check` runs it, against merely loading @pulumi/policy and
 *   @pulumi/pulumi;
 * - scale: the realistic mix (Deployments, Services, PDBs, HPAs, RBAC, NetworkPolicies; twenty objects
 *   per namespace) at 1k, 10k and 50k objects, each checked as one set in a process of its own: YAML
 *   loading, rule evaluation (objects per second), the time ratio between sizes, peak memory;
 * - matrix: the strict traffic matrix on 50 namespaces × 200 workloads × 5 NetworkPolicies each;
 * - stacks: render of each stack and the pack over it, and the pack over the Polaris corpus.
 *
 *   npm run bench [-- --iterations 10] [-- --processes 3] [-- --only startup,scale,matrix,stacks]
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluate, resolveRules } from "../policies/lib/evaluate";
import { RULES } from "../policies/rules";
import { PACK_CONFIG_DIR, readPackConfig } from "../tools/check";
import { parseArgs } from "../tools/lib/args";
import { runCli } from "../tools/lib/cli";
import { expandPaths, loadManifestFile } from "../tools/lib/manifests";
import { InputError, PROJECT_ROOT } from "../tools/lib/stackConfig";

const say = (line = "") => process.stdout.write(line + "\n");
const ms = (v: number) => `${v.toFixed(0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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
    say(`${label.padEnd(46)} median ${at(0.5).padStart(8)} ms   p90 ${at(0.9).padStart(8)} ms   (${iterations} runs)`);
}

/** Wall milliseconds of one command. */
function run(args: string[]): number {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, { cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
}

function startup(iterations: number): void {
    const file = path.join("test", "fixtures", "manifests", "pod.json");
    const load = ["-e", "require('@pulumi/policy'); require('@pulumi/pulumi')"];
    const check = () => run(["tools/build.mjs", "--quiet"]) + run(["bin/tools/check.js", "--manifests", file, "--format", "json"]);
    run(load);
    check();
    const loads: number[] = [];
    const checks: number[] = [];
    // Interleaved, so that a burst of load elsewhere on the machine hits both alike.
    for (let i = 0; i < iterations; i++) {
        loads.push(run(load));
        checks.push(check());
    }
    const [l, c] = [median(loads), median(checks)];
    say("Startup (median wall time of each, runs interleaved)");
    say(`  load @pulumi/policy and @pulumi/pulumi            ${ms(l).padStart(9)}`);
    say(`  one-file check (build check + check --manifests)  ${ms(c).padStart(9)}   = ${(c / l).toFixed(2)}× the load (target ≤ 1.5×)`);
    say(
        `  (${iterations} runs each: node -e "require('@pulumi/policy'); require('@pulumi/pulumi')"; node tools/build.mjs --quiet && node bin/tools/check.js --manifests ${file})`,
    );
    say();
}

function child(...args: string[]): Record<string, number> {
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "bin", "bench", "scale.js"), ...args], {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`bench/scale ${args.join(" ")} failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
}

/** The run of a size whose rule time is the median of `runs` processes: one slow process on a shared machine does not decide the table. */
function medianRun(runs: number, ...args: string[]): Record<string, number> {
    const all = Array.from({ length: runs }, () => child(...args)).sort((a, b) => a.rulesMs - b.rulesMs);
    return all[Math.floor(all.length / 2)];
}

function scale(runs: number): void {
    say(`Scale: the realistic mix, each size checked as one set in its own process (the median of ${runs} processes by rule time)`);
    say("  objects   load YAML   rules (wall / cpu)     rules objects/s (wall / cpu)   × previous (wall / cpu)   report   violations   peak RSS");
    let previous: Record<string, number> | undefined;
    for (const n of [1000, 10_000, 50_000]) {
        const r = medianRun(runs, "set", String(n));
        const ratio = previous ? `${(r.rulesMs / previous.rulesMs).toFixed(2)} / ${(r.rulesCpuMs / previous.rulesCpuMs).toFixed(2)}` : "-";
        say(
            `  ${String(r.objects).padStart(7)} ${ms(r.loadMs).padStart(11)}   ${`${ms(r.rulesMs)} / ${ms(r.rulesCpuMs)}`.padStart(19)}   ${`${Math.round((r.objects / r.rulesMs) * 1000)} / ${Math.round((r.objects / r.rulesCpuMs) * 1000)}`.padStart(27)}   ${ratio.padStart(22)} ${ms(r.reportMs).padStart(8)} ${String(r.violations).padStart(12)} ${`${r.peakMb} MB`.padStart(10)}`,
        );
        previous = r;
    }
    say("  (targets: 50k in one process without error; rules at ≥ 20,000 objects/s; 50k/10k time ratio ≤ 6)");
    say();
}

function matrix(runs: number): void {
    const r = medianRun(runs, "matrix", "50", "200", "5");
    say(`Strict traffic matrix: 50 namespaces × 200 workloads × 5 NetworkPolicies each (the median of ${runs} processes)`);
    say(
        `  ${r.objects} objects, ${r.workloads} workloads: ${ms(r.rulesMs)} wall, ${ms(r.rulesCpuMs)} cpu, ${r.findings} undeclared reachable connections reported, peak ${r.peakMb} MB (target < 5 s)`,
    );
    say();
}

async function stacks(iterations: number): Promise<void> {
    const { kubernetesObjects, renderStack } = await import("../tools/lib/render");
    for (const stack of ["staging", "prod"]) {
        await time(`render ${stack} (mock runtime)`, iterations, () => renderStack(stack));
        const objects = kubernetesObjects(await renderStack(stack));
        const rules = resolveRules(RULES, readPackConfig(path.join(PACK_CONFIG_DIR, `${stack}.json`)));
        await time(`pack over ${stack} (${objects.length} objects, its pack config)`, iterations * 10, () => evaluate(rules, objects));
    }
    const rules = resolveRules(RULES, readPackConfig(path.join(PACK_CONFIG_DIR, "generic.json")));
    const corpus = path.join(PROJECT_ROOT, "..", "shared", "conformance", "polaris");
    if (fs.existsSync(corpus)) {
        const files = expandPaths([corpus]);
        await time(`load + pack, Polaris corpus (${files.length} files)`, iterations, () =>
            files.map(loadManifestFile).forEach((f) =>
                evaluate(
                    rules,
                    f.objects.map((o) => o.object),
                ),
            ),
        );
    }
    say();
}

const SECTIONS = ["startup", "scale", "matrix", "stacks"];

async function main(argv: readonly string[]): Promise<number> {
    const { values } = parseArgs(argv, { values: ["iterations", "only", "processes"], flags: [], lists: [] });
    const positive = (name: string, fallback: number) => {
        const v = Number(values[name] ?? fallback);
        if (!Number.isInteger(v) || v < 1) throw new InputError(`--${name} must be a positive integer, not ${JSON.stringify(values[name])}`);
        return v;
    };
    const n = positive("iterations", 10);
    const processes = positive("processes", 3);
    const only = values.only?.split(",") ?? SECTIONS;
    for (const s of only) if (!SECTIONS.includes(s)) throw new InputError(`--only takes ${SECTIONS.join(", ")}, not ${JSON.stringify(s)}`);
    say(
        `node ${process.version}, ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ""}; load average at start ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(" ")}`,
    );
    say();
    if (only.includes("startup")) startup(n);
    if (only.includes("scale")) scale(processes);
    if (only.includes("matrix")) matrix(processes);
    if (only.includes("stacks")) await stacks(n);
    say(
        `load average at end ${os
            .loadavg()
            .map((l) => l.toFixed(1))
            .join(" ")}`,
    );
    return 0;
}

if (require.main === module) runCli("bench", () => main(process.argv.slice(2)));
