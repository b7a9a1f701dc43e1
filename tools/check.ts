/**
 * The offline checker: runs the pack's rules over a rendered stack or over any Kubernetes YAML.
 *
 *   npm run check -- --stack <name> [--format text|json] [--pack-config <file>]
 *   npm run check -- --manifests <file|dir>... [--each-file] [--format text|json] [--pack-config <file>]
 *
 * Exit 0: no mandatory violation; 1: some; 2: bad input (one line on stderr); 3: a bug of the checker.
 * `--manifests` never loads the renderer (nor with it Pulumi's runtime and gRPC): only `--stack` does.
 */
import * as fs from "fs";
import * as path from "path";
import { evaluate, resolveRules, type PackConfig, type ResolvedRule } from "../policies/lib/evaluate";
import type { K8sObject } from "../policies/lib/k8s";
import type { MatrixConfig } from "../policies/lib/matrix";
import { RULES } from "../policies/rules";
import { parseArgs } from "./lib/args";
import { runCli } from "./lib/cli";
import { expandPaths, loadManifestFile, type LoadedObject } from "./lib/manifests";
import { buildReport, formatText, toReported, type ReportedViolation } from "./lib/report";
import { InputError, PROJECT_ROOT } from "./lib/stackConfig";

export const PACK_CONFIG_DIR = path.join(PROJECT_ROOT, "policies", "config");

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
    readonly violations: ReportedViolation[];
    /** Where each violation's object starts, when it came from a manifest file. */
    readonly lines: Map<ReportedViolation, number>;
    readonly extra: string[];
    readonly meta: Parameters<typeof buildReport>[1];
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
    const violations: ReportedViolation[] = [];
    for (const v of evaluate(resolved, objects, cloud)) violations.push(toReported(v, v.resource ? "cloud.json" : fileFor(v.object)));
    return {
        violations,
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

function checkManifests(paths: readonly string[], eachFile: boolean, packConfigFile: string | undefined): Checked {
    if (paths.length === 0) throw new InputError("--manifests needs at least one file or directory");
    const configFile = packConfigFile ?? path.join(PACK_CONFIG_DIR, "generic.json");
    const resolved = resolve(readPackConfig(configFile), configFile);
    const files = expandPaths(paths).map(loadManifestFile);
    const objects = files.reduce((n, f) => n + f.objects.length, 0);
    const skippedDocuments = files.reduce((n, f) => n + f.skipped, 0);
    if (objects === 0) {
        throw new InputError(
            `no Kubernetes object in ${files.length === 1 ? files[0].file : `${files.length} files`}` +
                (skippedDocuments > 0 ? ` (${skippedDocuments} document(s) without a kind)` : ""),
        );
    }
    const sets: LoadedObject[][] = eachFile ? files.map((f) => f.objects) : [files.flatMap((f) => f.objects)];
    const violations: ReportedViolation[] = [];
    const lines = new Map<ReportedViolation, number>();
    for (const set of sets) {
        const loaded = new Map<K8sObject, LoadedObject>(set.map((o) => [o.object, o]));
        for (const v of evaluate(
            resolved,
            set.map((o) => o.object),
        )) {
            // A finding on an object the set lacks (a namespace the pack config declares) belongs to the pack config.
            const from = loaded.get(v.object);
            const reported = toReported(v, from?.file ?? configFile);
            violations.push(reported);
            if (from) lines.set(reported, from.line);
        }
    }
    return {
        violations,
        lines,
        extra: [],
        meta: {
            source: `${files.length} manifest file(s)${eachFile ? ", each its own resource set" : ""} (pack config ${path.relative(PROJECT_ROOT, configFile)})`,
            files: files.length,
            objects,
            policies: resolved.filter((r) => r.level !== "disabled").length,
            skippedDocuments,
        },
    };
}

export async function main(argv: readonly string[]): Promise<number> {
    const { values, flags, lists } = parseArgs(argv, { values: ["stack", "format", "pack-config"], flags: ["each-file"], lists: ["manifests"] });
    const format = values.format ?? "text";
    if (format !== "text" && format !== "json") throw new InputError(`--format must be text or json, not ${JSON.stringify(format)}`);
    if ((values.stack === undefined) === (lists.manifests === undefined))
        throw new InputError("give either --stack <name> or --manifests <file|dir>...");
    if (flags.has("each-file") && values.stack !== undefined) throw new InputError("--each-file applies to --manifests only");

    const checked =
        values.stack !== undefined
            ? await checkStack(values.stack, values["pack-config"])
            : checkManifests(lists.manifests, flags.has("each-file"), values["pack-config"]);
    const report = buildReport(checked.violations, checked.meta);
    process.stdout.write(format === "json" ? JSON.stringify(report, null, 2) + "\n" : formatText(report, checked.extra, (v) => checked.lines.get(v)));
    return report.summary.mandatory > 0 ? 1 : 0;
}

if (require.main === module) runCli("check", () => main(process.argv.slice(2)));
