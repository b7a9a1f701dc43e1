#!/usr/bin/env node
/**
 * Compiles the project's TypeScript to CommonJS JavaScript in bin/, which the npm scripts run: a
 * check then starts in the time node takes to load it, with no TypeScript compiler in the way.
 * Each file is transpiled on its own (as ts-node --transpile-only does); `npm test` type-checks the
 * whole tree. Only files changed since the last build are transpiled again, and outputs whose source
 * is gone are removed, so running it before every command costs a directory walk.
 *
 *   node tools/build.mjs [--clean] [--quiet]
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "bin");
const SOURCES = ["index.ts", "config", "components", "policies", "tools", "checklist", "bench"];
const args = new Set(process.argv.slice(2));

function sources() {
    const files = [];
    const walk = (rel) => {
        const abs = path.join(root, rel);
        const st = fs.statSync(abs, { throwIfNoEntry: false });
        if (!st) return;
        if (st.isDirectory()) {
            for (const e of fs.readdirSync(abs).sort()) if (e !== "node_modules") walk(path.join(rel, e));
        } else if (rel.endsWith(".ts") && !rel.endsWith(".d.ts")) files.push(rel);
    };
    for (const s of SOURCES) walk(s);
    return files;
}

if (args.has("--clean")) fs.rmSync(out, { recursive: true, force: true });
const files = sources();
const target = (rel) => path.join(out, rel.replace(/\.ts$/, ".js"));
const stale = files.filter((rel) => {
    const built = fs.statSync(target(rel), { throwIfNoEntry: false });
    return !built || built.mtimeMs < fs.statSync(path.join(root, rel)).mtimeMs;
});
if (stale.length > 0) {
    // Loaded only when there is something to compile: the compiler takes longer to load than a check takes to run.
    const { default: ts } = await import("typescript");
    const options = {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        esModuleInterop: true,
        resolveJsonModule: true,
        sourceMap: false,
    };
    for (const rel of stale) {
        const result = ts.transpileModule(fs.readFileSync(path.join(root, rel), "utf8"), {
            fileName: rel,
            compilerOptions: options,
            reportDiagnostics: true,
        });
        const errors = (result.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
        if (errors.length > 0) {
            process.stderr.write(`build: ${rel}: ${ts.flattenDiagnosticMessageText(errors[0].messageText, " ")}\n`);
            process.exit(2);
        }
        fs.mkdirSync(path.dirname(target(rel)), { recursive: true });
        fs.writeFileSync(target(rel), result.outputText);
    }
}
// Outputs of sources that no longer exist would shadow nothing but could still be required: remove them.
const wanted = new Set(files.map(target));
const prune = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) prune(p);
        else if (p.endsWith(".js") && !wanted.has(p)) fs.rmSync(p);
    }
};
if (fs.existsSync(out)) prune(out);
if (!args.has("--quiet") && stale.length > 0) process.stdout.write(`build: ${stale.length} of ${files.length} file(s) compiled into bin/\n`);
