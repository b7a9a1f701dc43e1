/**
 * One measurement of the scale benchmark, in a process of its own so that its peak memory is its own.
 * Prints one line of JSON.
 *
 *   node bin/bench/scale.js set <objects>            the realistic mix, as one YAML file: load, rules, report
 *   node bin/bench/scale.js matrix <ns> <pods> <np>  the strict traffic matrix on a synthetic cluster
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { evaluate, resolveRules } from "../policies/lib/evaluate";
import { RULES } from "../policies/rules";
import { enforceTrafficMatrix } from "../policies/rules/network/enforceTrafficMatrix";
import { PACK_CONFIG_DIR, readPackConfig } from "../tools/check";
import { loadManifestFile } from "../tools/lib/manifests";
import { buildReport, toReported } from "../tools/lib/report";
import { matrixCluster, realisticSet } from "./synthetic";

/** Wall and CPU milliseconds of `fn`. */
function timed<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
    const cpu = process.cpuUsage();
    const t = process.hrtime.bigint();
    const value = fn();
    const wallMs = Number(process.hrtime.bigint() - t) / 1e6;
    const used = process.cpuUsage(cpu);
    return { value, wallMs, cpuMs: (used.user + used.system) / 1000 };
}

const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

function set(n: number) {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "set.yaml");
    fs.writeFileSync(
        file,
        realisticSet(n)
            .map((o) => stringify(o))
            .join("---\n"),
    );
    const rules = resolveRules(RULES, readPackConfig(path.join(PACK_CONFIG_DIR, "generic.json")));
    const load = timed(() => loadManifestFile(file));
    const objects = load.value.objects.map((o) => o.object);
    const rulesRun = timed(() => evaluate(rules, objects));
    const report = timed(() =>
        buildReport(
            rulesRun.value.map((v) => toReported(v, file)),
            { source: "bench", files: 1, objects: objects.length, policies: rules.length, skippedDocuments: 0 },
        ),
    );
    fs.rmSync(path.dirname(file), { recursive: true });
    return {
        objects: objects.length,
        violations: report.value.violations.length,
        loadMs: load.wallMs,
        rulesMs: rulesRun.wallMs,
        rulesCpuMs: rulesRun.cpuMs,
        reportMs: report.wallMs,
        peakMb: peakMb(),
    };
}

function matrix(namespaces: number, pods: number, policies: number) {
    const { objects, config } = matrixCluster(namespaces, pods, policies);
    const rules = resolveRules([enforceTrafficMatrix], { "enforce-traffic-matrix": { ...config } });
    const run = timed(() => evaluate(rules, objects));
    return {
        objects: objects.length,
        workloads: namespaces * pods,
        findings: run.value.length,
        rulesMs: run.wallMs,
        rulesCpuMs: run.cpuMs,
        peakMb: peakMb(),
    };
}

const [what, ...sizes] = process.argv.slice(2);
const n = sizes.map(Number);
const result = what === "set" ? set(n[0]) : matrix(n[0], n[1], n[2]);
process.stdout.write(JSON.stringify(result) + "\n");
