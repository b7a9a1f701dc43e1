/**
 * The offline checker: runs the pack's rules over a rendered stack or over any Kubernetes YAML.
 *
 *   npm run check -- --stack <name> [--format text|json|sarif|junit] [--pack-config <file>]
 *   npm run check -- --manifests <file|dir>... [--each-file] [--format text|json|sarif|junit] [--pack-config <file>]
 *   npm run check -- --manifests <file|dir>... --fix --out <dir>    (writes the manifests with the safe fixes applied)
 *   npm run check -- --list-policies [--format text|json]
 *
 * Exit 0: no mandatory violation; 1: some; 2: bad input (one line on stderr).
 */
import * as fs from "fs";
import * as path from "path";
import { evaluateAll, resolveRules, type PackConfig, type ResolvedRule } from "../policies/lib/evaluate";
import type { K8sObject } from "../policies/lib/k8s";
import { remediate } from "../policies/lib/remediate";
import { RULES } from "../policies/rules";
import { parseArgs } from "./lib/args";
import { runCli } from "./lib/cli";
import { fixedText, fixTargets, writeFixed } from "./lib/fixOutput";
import { formatJunit } from "./lib/junit";
import { listPolicies } from "./lib/listPolicies";
import { expandPaths, loadManifestFile, type LoadedObject } from "./lib/manifests";
import { cloudResources, kubernetesObjects, renderStack } from "./lib/render";
import {
    buildReport,
    formatJson,
    formatText,
    toReported,
    toReportedFix,
    toReportedWaiver,
    type ReportedFix,
    type ReportedViolation,
    type ReportedWaiver,
} from "./lib/report";
import { formatSarif } from "./lib/sarif";
import { InputError, PROJECT_ROOT } from "./lib/stackConfig";
import { fileFor } from "./lib/writeRender";
import { effectiveMatrix, matrixTable } from "./lib/matrixOutput";
import type { MatrixConfig } from "../policies/lib/matrix";

export const PACK_CONFIG_DIR = path.join(PROJECT_ROOT, "policies", "config");

const FORMATS = ["text", "json", "sarif", "junit"] as const;
type Format = (typeof FORMATS)[number];

export const PACK = {
    name: "voting-production-readiness",
    version: (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "policies", "package.json"), "utf8")) as { version: string }).version,
};

export function readPackConfig(file: string): PackConfig {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new InputError(`cannot read pack config ${file}`);
    }
    try {
        return JSON.parse(text) as PackConfig;
    } catch (e) {
        throw new InputError(`${file}: invalid JSON: ${(e as Error).message}`);
    }
}

function resolve(packConfig: PackConfig, file: string) {
    try {
        return resolveRules(RULES, packConfig);
    } catch (e) {
        throw new InputError(`${file}: ${(e as Error).message}`);
    }
}

/** One resource set judged: its findings, as the report carries them, and the fixed objects. */
function judgeSet(
    resolved: readonly ResolvedRule[],
    objects: readonly K8sObject[],
    fixAll: boolean,
    where: (original: K8sObject) => { file: string; line?: number },
) {
    const fixed = remediate(resolved, objects, { all: fixAll });
    const originalOf = new Map(fixed.objects.map((o, i) => [o, objects[i]]));
    const locate = (o: K8sObject) => where(originalOf.get(o) ?? o);
    const { violations, waived } = evaluateAll(resolved, fixed.objects);
    const lines = new Map<ReportedViolation, number>();
    const located = <T extends ReportedViolation>(r: T, o: K8sObject): T => {
        const line = locate(o).line;
        if (line) lines.set(r, line);
        return r;
    };
    return {
        objects: fixed.objects,
        violations: violations.map((v) => located(toReported(v, locate(v.object).file), v.object)),
        waivers: waived.map((w) => located(toReportedWaiver(w, locate(w.object).file), w.object)),
        fixes: fixed.fixes.map((f) => toReportedFix(f, where(f.object).file)),
        lines,
    };
}

export async function main(argv: readonly string[]): Promise<number> {
    const { values, flags, lists } = parseArgs(argv, {
        values: ["stack", "format", "pack-config", "out"],
        flags: ["each-file", "list-policies", "fix"],
        lists: ["manifests"],
    });
    const format = (values.format ?? "text") as Format;
    if (flags.has("list-policies")) {
        if (format !== "text" && format !== "json") throw new InputError(`--list-policies prints text or json, not ${JSON.stringify(format)}`);
        process.stdout.write(listPolicies(RULES, PACK_CONFIG_DIR, format));
        return 0;
    }
    if (!FORMATS.includes(format)) throw new InputError(`--format must be text, json, sarif or junit, not ${JSON.stringify(format)}`);
    if ((values.stack === undefined) === (lists.manifests === undefined))
        throw new InputError("give either --stack <name> or --manifests <file|dir>...");
    if (flags.has("fix") !== (values.out !== undefined))
        throw new InputError("--fix and --out <dir> go together: --fix --out <dir> writes the fixed manifests there");
    if (flags.has("fix") && values.stack !== undefined)
        throw new InputError("--fix works on --manifests; a stack is fixed in its components, which render it");

    const violations: ReportedViolation[] = [];
    const waivers: ReportedWaiver[] = [];
    const fixes: ReportedFix[] = [];
    const lines = new Map<ReportedViolation, number>();
    let resolved: ResolvedRule[];
    let extra: string[] = [];
    let meta: Parameters<typeof buildReport>[1];
    const collect = (r: ReturnType<typeof judgeSet>) => {
        violations.push(...r.violations);
        waivers.push(...r.waivers);
        fixes.push(...r.fixes);
        for (const [k, v] of r.lines) lines.set(k, v);
    };
    if (values.stack !== undefined) {
        const configFile = values["pack-config"] ?? path.join(PACK_CONFIG_DIR, `${values.stack}.json`);
        const packConfig = fs.existsSync(configFile) || values["pack-config"] ? readPackConfig(configFile) : {};
        resolved = resolve(packConfig, configFile);
        const result = await renderStack(values.stack);
        const objects = kubernetesObjects(result);
        const matrix = resolved.find((r) => r.rule.name === "enforce-traffic-matrix")?.config as MatrixConfig | undefined;
        if (matrix && matrix.allowed.length > 0) extra = matrixTable(effectiveMatrix(objects, matrix));
        const cloud = cloudResources(result).map((r) => ({ type: r.type, name: r.name, props: r.state }));
        const fixed = remediate(resolved, objects);
        const { violations: vs, waived } = evaluateAll(resolved, fixed.objects, cloud);
        const fileOf = (v: { resource?: unknown; object: K8sObject }) => (v.resource ? "cloud.json" : fileFor(v.object));
        violations.push(...vs.map((v) => toReported(v, fileOf(v))));
        waivers.push(...waived.map((w) => toReportedWaiver(w, fileOf(w))));
        fixes.push(...fixed.fixes.map((f) => toReportedFix(f, fileFor(f.object))));
        meta = {
            source: `stack ${values.stack} (rendered offline; pack config ${path.relative(PROJECT_ROOT, configFile)})`,
            files: new Set(objects.map(fileFor)).size + (cloud.length > 0 ? 1 : 0),
            objects: objects.length + cloud.length,
            policies: resolved.filter((r) => r.level !== "disabled").length,
            skippedDocuments: 0,
        };
    } else {
        if (lists.manifests.length === 0) throw new InputError("--manifests needs at least one file or directory");
        const configFile = values["pack-config"] ?? path.join(PACK_CONFIG_DIR, "generic.json");
        resolved = resolve(readPackConfig(configFile), configFile);
        const paths = expandPaths(lists.manifests);
        const targets = values.out !== undefined ? fixTargets(paths, values.out) : undefined;
        const files = paths.map(loadManifestFile);
        const sets: LoadedObject[][] = flags.has("each-file") ? files.map((f) => f.objects) : [files.flatMap((f) => f.objects)];
        const fixedOf = new Map<LoadedObject, K8sObject>();
        for (const set of sets) {
            const loaded = new Map(set.map((o) => [o.object, o]));
            const r = judgeSet(
                resolved,
                set.map((o) => o.object),
                flags.has("fix"),
                (o) => loaded.get(o) ?? { file: "" },
            );
            set.forEach((o, i) => fixedOf.set(o, r.objects[i]));
            collect(r);
        }
        for (const f of targets ? files : []) {
            const text = fs.readFileSync(f.file, "utf8");
            const originals = f.objects.map((o) => o.object);
            writeFixed(
                targets!.get(f.file)!,
                fixedText(
                    text,
                    originals,
                    f.objects.map((o) => fixedOf.get(o) ?? o.object),
                    /\.json$/i.test(f.file),
                ),
            );
        }
        meta = {
            source:
                `${files.length} manifest file(s)${flags.has("each-file") ? ", each its own resource set" : ""} (pack config ${path.relative(PROJECT_ROOT, configFile)})` +
                (values.out !== undefined ? `, fixed copies written to ${values.out}` : ""),
            files: files.length,
            objects: files.reduce((n, f) => n + f.objects.length, 0),
            policies: resolved.filter((r) => r.level !== "disabled").length,
            skippedDocuments: files.reduce((n, f) => n + f.skipped, 0),
        };
    }
    const report = buildReport(violations, meta, waivers, fixes);
    const out =
        format === "json"
            ? formatJson(report)
            : format === "sarif"
              ? formatSarif(report, resolved, lines, PACK)
              : format === "junit"
                ? formatJunit(report, resolved, lines, PACK)
                : formatText(report, extra);
    process.stdout.write(out);
    return report.summary.mandatory > 0 ? 1 : 0;
}

if (require.main === module) runCli("check", () => main(process.argv.slice(2)));
