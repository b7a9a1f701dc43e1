/**
 * The offline checker: runs the pack's rules over a rendered stack or over any Kubernetes YAML.
 *
 *   npm run check -- --stack <name> [--format text|json|sarif|junit] [--pack-config <file>]
 *   npm run check -- --manifests <file|dir>... [--each-file] [--format text|json|sarif|junit] [--pack-config <file>]
 *   npm run check -- --manifests <file|dir>... --fix --out <dir>    (writes the manifests with the safe fixes applied)
 *   npm run check -- --list-policies [--format text|json]
 *
 * Exit 0: no mandatory violation; 1: some; 2: bad input (one line on stderr); 3: a bug of the checker.
 * `--manifests` never loads the renderer (nor with it Pulumi's runtime and gRPC): only `--stack` does.
 */
import * as fs from "fs";
import * as path from "path";
import { evaluateAll, resolveRules, type PackConfig, type ResolvedRule } from "../policies/lib/evaluate";
import type { K8sObject } from "../policies/lib/k8s";
import type { MatrixConfig } from "../policies/lib/matrix";
import { remediate } from "../policies/lib/remediate";
import { RULES } from "../policies/rules";
import { parseArgs } from "./lib/args";
import { runCli } from "./lib/cli";
import { fixedText, fixTargets, writeFixed } from "./lib/fixOutput";
import { formatJunit } from "./lib/junit";
import { listPolicies } from "./lib/listPolicies";
import { expandPaths, loadManifestFile, type LoadedObject } from "./lib/manifests";
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

export const PACK_CONFIG_DIR = path.join(PROJECT_ROOT, "policies", "config");

const FORMATS = ["text", "json", "sarif", "junit"] as const;
type Format = (typeof FORMATS)[number];

export const PACK = {
    name: "voting-production-readiness",
    version: (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "policies", "package.json"), "utf8")) as { version: string }).version,
};

/** Reads a pack config file; a JSON error names the line and column, never the text around it. */
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
        const at = /position (\d+)/.exec((e as Error).message);
        const where = at ? text.slice(0, Number(at[1])).split("\n") : undefined;
        throw new InputError(`${file}: invalid JSON${where ? ` at line ${where.length}, column ${where[where.length - 1].length + 1}` : ""}`);
    }
}

function resolve(packConfig: PackConfig, file: string): ResolvedRule[] {
    try {
        return resolveRules(RULES, packConfig);
    } catch (e) {
        throw new InputError(`${file}: ${(e as Error).message}`);
    }
}

interface Checked {
    readonly resolved: ResolvedRule[];
    readonly violations: ReportedViolation[];
    readonly waivers: ReportedWaiver[];
    readonly fixes: ReportedFix[];
    /** Where each finding's object starts, when it came from a manifest file. */
    readonly lines: Map<ReportedViolation, number>;
    readonly extra: string[];
    readonly meta: Parameters<typeof buildReport>[1];
}

/** One resource set judged after its safe fixes: its findings, as the report carries them, and the fixed objects. */
function judgeSet(
    resolved: readonly ResolvedRule[],
    objects: readonly K8sObject[],
    cloud: Parameters<typeof evaluateAll>[2],
    fixAll: boolean,
    where: (original: K8sObject) => { file: string; line?: number },
) {
    const fixed = remediate(resolved, objects, { all: fixAll });
    const originalOf = new Map(fixed.objects.map((o, i) => [o, objects[i]]));
    const locate = (o: K8sObject) => where(originalOf.get(o) ?? o);
    const { violations, waived } = evaluateAll(resolved, fixed.objects, cloud);
    // A finding on a cloud resource is reported against cloud.json: its stand-in object is in no rendered file.
    const fileOf = (v: { resource?: unknown; object: K8sObject }) => (v.resource ? "cloud.json" : locate(v.object).file);
    const lines = new Map<ReportedViolation, number>();
    const located = <T extends ReportedViolation>(r: T, o: K8sObject): T => {
        const line = locate(o).line;
        if (line) lines.set(r, line);
        return r;
    };
    return {
        objects: fixed.objects,
        violations: violations.map((v) => located(toReported(v, fileOf(v)), v.object)),
        waivers: waived.map((w) => located(toReportedWaiver(w, fileOf(w)), w.object)),
        fixes: fixed.fixes.map((f) => toReportedFix(f, where(f.object).file)),
        lines,
    };
}

async function checkStack(stack: string, packConfigFile: string | undefined): Promise<Checked> {
    const configFile = packConfigFile ?? path.join(PACK_CONFIG_DIR, `${stack}.json`);
    const packConfig = fs.existsSync(configFile) || packConfigFile ? readPackConfig(configFile) : {};
    const resolved = resolve(packConfig, configFile);
    // The renderer brings Pulumi's runtime with it: loaded only here.
    const { renderStack, kubernetesObjects, cloudResources } = await import("./lib/render");
    const { fileFor } = await import("./lib/writeRender");
    const { effectiveMatrix, matrixTable } = await import("./lib/matrixOutput");
    const result = await renderStack(stack);
    const objects = kubernetesObjects(result);
    const matrix = resolved.find((r) => r.rule.name === "enforce-traffic-matrix")?.config as MatrixConfig | undefined;
    const extra = matrix && matrix.allowed.length > 0 ? matrixTable(effectiveMatrix(objects, matrix)) : [];
    const cloud = cloudResources(result).map((r) => ({ type: r.type, name: r.name, props: r.state }));
    const judged = judgeSet(resolved, objects, cloud, false, (o) => ({ file: fileFor(o) }));
    return {
        resolved,
        violations: judged.violations,
        waivers: judged.waivers,
        fixes: judged.fixes,
        lines: new Map(),
        extra,
        meta: {
            source: `stack ${stack} (rendered offline; pack config ${path.relative(PROJECT_ROOT, configFile)})`,
            files: new Set(objects.map(fileFor)).size + (cloud.length > 0 ? 1 : 0),
            objects: objects.length + cloud.length,
            policies: resolved.filter((r) => r.level !== "disabled").length,
            skippedDocuments: 0,
        },
    };
}

function checkManifests(
    paths: readonly string[],
    eachFile: boolean,
    packConfigFile: string | undefined,
    fix: boolean,
    out: string | undefined,
): Checked {
    if (paths.length === 0) throw new InputError("--manifests needs at least one file or directory");
    const configFile = packConfigFile ?? path.join(PACK_CONFIG_DIR, "generic.json");
    const resolved = resolve(readPackConfig(configFile), configFile);
    const expanded = expandPaths(paths);
    const targets = out !== undefined ? fixTargets(expanded, out) : undefined;
    const files = expanded.map(loadManifestFile);
    const objects = files.reduce((n, f) => n + f.objects.length, 0);
    const skippedDocuments = files.reduce((n, f) => n + f.skipped, 0);
    if (objects === 0) {
        throw new InputError(
            `no Kubernetes object in ${files.length === 1 ? files[0].file : `${files.length} files`}` +
                (skippedDocuments > 0 ? ` (${skippedDocuments} document(s) without a kind)` : ""),
        );
    }
    const sets: LoadedObject[][] = eachFile ? files.map((f) => f.objects) : [files.flatMap((f) => f.objects)];
    const checked: Checked = {
        resolved,
        violations: [],
        waivers: [],
        fixes: [],
        lines: new Map(),
        extra: [],
        meta: {
            source:
                `${files.length} manifest file(s)${eachFile ? ", each its own resource set" : ""} (pack config ${path.relative(PROJECT_ROOT, configFile)})` +
                (out !== undefined ? `, fixed copies written to ${out}` : ""),
            files: files.length,
            objects,
            policies: resolved.filter((r) => r.level !== "disabled").length,
            skippedDocuments,
        },
    };
    const fixedOf = new Map<LoadedObject, K8sObject>();
    for (const set of sets) {
        const loaded = new Map<K8sObject, LoadedObject>(set.map((o) => [o.object, o]));
        // A finding on an object the set lacks (a namespace the pack config declares) belongs to the pack config.
        const r = judgeSet(
            resolved,
            set.map((o) => o.object),
            [],
            fix,
            (o) => loaded.get(o) ?? { file: configFile },
        );
        set.forEach((o, i) => fixedOf.set(o, r.objects[i]));
        for (const v of r.violations) checked.violations.push(v);
        for (const w of r.waivers) checked.waivers.push(w);
        for (const f of r.fixes) checked.fixes.push(f);
        for (const [k, v] of r.lines) checked.lines.set(k, v);
    }
    for (const f of targets ? files : []) {
        const text = fs.readFileSync(f.file, "utf8");
        writeFixed(
            targets!.get(f.file)!,
            fixedText(
                text,
                f.objects.map((o) => o.object),
                f.objects.map((o) => fixedOf.get(o) ?? o.object),
                /\.json$/i.test(f.file),
            ),
        );
    }
    return checked;
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
    if (flags.has("each-file") && values.stack !== undefined) throw new InputError("--each-file applies to --manifests only");
    if (flags.has("fix") !== (values.out !== undefined))
        throw new InputError("--fix and --out <dir> go together: --fix --out <dir> writes the fixed manifests there");
    if (flags.has("fix") && values.stack !== undefined)
        throw new InputError("--fix works on --manifests; a stack is fixed in its components, which render it");

    const checked =
        values.stack !== undefined
            ? await checkStack(values.stack, values["pack-config"])
            : checkManifests(lists.manifests, flags.has("each-file"), values["pack-config"], flags.has("fix"), values.out);
    const report = buildReport(checked.violations, checked.meta, checked.waivers, checked.fixes);
    const lineOf = (v: ReportedViolation) => checked.lines.get(v);
    const out =
        format === "json"
            ? formatJson(report)
            : format === "sarif"
              ? formatSarif(report, checked.resolved, checked.lines, PACK)
              : format === "junit"
                ? formatJunit(report, checked.resolved, checked.lines, PACK)
                : formatText(report, checked.extra, lineOf);
    process.stdout.write(out);
    return report.summary.mandatory > 0 ? 1 : 0;
}

if (require.main === module) runCli("check", () => main(process.argv.slice(2)));
