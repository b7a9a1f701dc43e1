/**
 * The offline checker: runs the pack's rules over a rendered stack or over any Kubernetes YAML.
 *
 *   npm run check -- --stack <name> [--format text|json] [--pack-config <file>]
 *   npm run check -- --manifests <file|dir>... [--each-file] [--format text|json] [--pack-config <file>]
 *
 * Exit 0: no mandatory violation; 1: some; 2: bad input (one line on stderr).
 */
import * as fs from "fs";
import * as path from "path";
import { evaluate, resolveRules, type PackConfig } from "../policies/lib/evaluate";
import { RULES } from "../policies/rules";
import { parseArgs } from "./lib/args";
import { runCli } from "./lib/cli";
import { expandPaths, loadManifestFile, type LoadedObject } from "./lib/manifests";
import { cloudResources, kubernetesObjects, renderStack } from "./lib/render";
import { buildReport, formatText, toReported, type ReportedViolation } from "./lib/report";
import { InputError, PROJECT_ROOT } from "./lib/stackConfig";
import { fileFor } from "./lib/writeRender";
import { effectiveMatrix, matrixTable } from "./lib/matrixOutput";
import type { MatrixConfig } from "../policies/lib/matrix";

export const PACK_CONFIG_DIR = path.join(PROJECT_ROOT, "policies", "config");

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

export async function main(argv: readonly string[]): Promise<number> {
    const { values, flags, lists } = parseArgs(argv, { values: ["stack", "format", "pack-config"], flags: ["each-file"], lists: ["manifests"] });
    const format = values.format ?? "text";
    if (format !== "text" && format !== "json") throw new InputError(`--format must be text or json, not ${JSON.stringify(format)}`);
    if ((values.stack === undefined) === (lists.manifests === undefined))
        throw new InputError("give either --stack <name> or --manifests <file|dir>...");

    let violations: ReportedViolation[] = [];
    let extra: string[] = [];
    let meta: Parameters<typeof buildReport>[1];
    if (values.stack !== undefined) {
        const configFile = values["pack-config"] ?? path.join(PACK_CONFIG_DIR, `${values.stack}.json`);
        const packConfig = fs.existsSync(configFile) || values["pack-config"] ? readPackConfig(configFile) : {};
        const resolved = resolve(packConfig, configFile);
        const result = await renderStack(values.stack);
        const objects = kubernetesObjects(result);
        const matrix = resolved.find((r) => r.rule.name === "enforce-traffic-matrix")?.config as MatrixConfig | undefined;
        if (matrix && matrix.allowed.length > 0) extra = matrixTable(effectiveMatrix(objects, matrix));
        const cloud = cloudResources(result).map((r) => ({ type: r.type, name: r.name, props: r.state }));
        violations = evaluate(resolved, objects, cloud).map((v) => toReported(v, v.resource ? "cloud.json" : fileFor(v.object)));
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
        const resolved = resolve(readPackConfig(configFile), configFile);
        const files = expandPaths(lists.manifests).map(loadManifestFile);
        const sets: LoadedObject[][] = flags.has("each-file") ? files.map((f) => f.objects) : [files.flatMap((f) => f.objects)];
        for (const set of sets) {
            const fileOf = new Map(set.map((o) => [o.object, o.file]));
            violations.push(
                ...evaluate(
                    resolved,
                    set.map((o) => o.object),
                ).map((v) => toReported(v, fileOf.get(v.object) ?? "")),
            );
        }
        meta = {
            source: `${files.length} manifest file(s)${flags.has("each-file") ? ", each its own resource set" : ""} (pack config ${path.relative(PROJECT_ROOT, configFile)})`,
            files: files.length,
            objects: files.reduce((n, f) => n + f.objects.length, 0),
            policies: resolved.filter((r) => r.level !== "disabled").length,
            skippedDocuments: files.reduce((n, f) => n + f.skipped, 0),
        };
    }
    const report = buildReport(violations, meta);
    process.stdout.write(format === "json" ? JSON.stringify(report, null, 2) + "\n" : formatText(report, extra));
    return report.summary.mandatory > 0 ? 1 : 0;
}

if (require.main === module) runCli("check", () => main(process.argv.slice(2)));
