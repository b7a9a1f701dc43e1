/**
 * Mutation scores of the code as it is, from several Stryker reports (reports/mutation/mutation.json of
 * different runs): for each file, the last report given before `--` whose recorded source is the file on
 * disk; then each report given after `--` as `report.json=mutate.txt` (a `--force` run whose `--mutate` value
 * is in mutate.txt) replaces the status of the mutants that run tested, matched by location, mutator and
 * replacement. Stryker copies the results of the mutants outside a `--mutate` range from its incremental
 * file into the report, so only the mutants inside the ranges (or of the files given whole) are taken. Prints the per-directory table of
 * `policies/`, the per-file table of `policies/lib` and the builders' table, as docs/testing.md shows them.
 *
 *   node test/mutation/scores.mjs full.json part1.json@policies/lib/k8s.ts,policies/rules/rbac/ -- forced.json=forced-mutate.txt
 */
import fs from "node:fs";

const args = process.argv.slice(2);
const sep = args.indexOf("--");
const bases = sep < 0 ? args : args.slice(0, sep);
const overrides = sep < 0 ? [] : args.slice(sep + 1);
const COUNTED = ["Killed", "Timeout", "Survived", "NoCoverage"];
const read = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const onDisk = (f) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : undefined);
const key = (m) =>
    `${m.location.start.line}:${m.location.start.column}-${m.location.end.line}:${m.location.end.column}|${m.mutatorName}|${m.replacement}`;

// A run's report also holds, copied from the incremental file, the files it did not mutate: `report.json@a,b`
// takes only the files whose paths start with a or b, the ones that run mutated.
const files = new Map();
for (const arg of bases) {
    const [b, only] = arg.split("@");
    const prefixes = only?.split(",");
    for (const [f, d] of Object.entries(read(b).files)) {
        if (prefixes && !prefixes.some((p) => f.startsWith(p))) continue;
        if (d.source === onDisk(f)) files.set(f, structuredClone(d.mutants));
    }
}
/** `file` whole, `file:line-line` or `file:line:col-line:col`: what a `--mutate` value selects. */
function selection(text) {
    const whole = new Set();
    const ranges = new Map();
    for (const item of text.trim().split(",")) {
        // file:line:column-line:column, or file:line-line (whole lines)
        const m = /^(.*):(\d+):(\d+)-(\d+):(\d+)$/.exec(item) ?? /^(.*):(\d+)()-(\d+)()$/.exec(item);
        if (!m) whole.add(item);
        else ranges.set(m[1], [...(ranges.get(m[1]) ?? []), [+m[2], +(m[3] || 0), +m[4], +(m[5] || Infinity)]]);
    }
    const before = (l1, c1, l2, c2) => l1 < l2 || (l1 === l2 && c1 <= c2);
    return (f, { start, end }) =>
        whole.has(f) ||
        (ranges.get(f) ?? []).some(([sl, sc, el, ec]) => before(sl, sc, start.line, start.column) && before(end.line, end.column, el, ec));
}

for (const arg of overrides) {
    const [o, mutate] = arg.split("=");
    const tested = selection(fs.readFileSync(mutate, "utf8"));
    for (const [f, d] of Object.entries(read(o).files)) {
        if (d.source !== onDisk(f)) {
            console.error(`${o}: ${f} is not the file on disk; left out`);
            continue;
        }
        const mutants = files.get(f);
        if (!mutants) {
            files.set(f, structuredClone(d.mutants));
            continue;
        }
        const at = new Map(mutants.map((m, i) => [key(m), i]));
        for (const m of d.mutants) if (COUNTED.includes(m.status) && tested(f, m.location) && at.has(key(m))) mutants[at.get(key(m))] = m;
    }
}

// SCORES_JSON=<file> also writes the composed report (files and their mutants), e.g. to list its survivors.
if (process.env.SCORES_JSON)
    fs.writeFileSync(process.env.SCORES_JSON, JSON.stringify({ files: Object.fromEntries([...files].map(([f, mutants]) => [f, { mutants }])) }));

const count = (mutants) => {
    const c = Object.fromEntries(COUNTED.map((s) => [s, 0]));
    for (const m of mutants) if (m.status in c) c[m.status]++;
    return c;
};
const add = (a, c) => Object.fromEntries(COUNTED.map((s) => [s, (a?.[s] ?? 0) + c[s]]));
const total = (c) => COUNTED.reduce((n, s) => n + c[s], 0);
const row = (name, c) =>
    `| ${name} | ${total(c)} | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} | ${((100 * (c.Killed + c.Timeout)) / total(c)).toFixed(2)}% |`;
const HEAD = (what) =>
    `| ${what} | mutants (counted) | killed | timed out | survived | no coverage | score |\n| --- | --- | --- | --- | --- | --- | --- |`;

const groups = new Map();
const lib = [];
const builders = [];
let policies;
let rules;
for (const [f, mutants] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const c = count(mutants);
    if (total(c) === 0) continue;
    if (f.startsWith("policies/")) policies = add(policies, c);
    if (f.startsWith("policies/rules/")) {
        rules = add(rules, c);
        const dir = f.split("/").slice(0, 3).join("/");
        groups.set(dir, add(groups.get(dir), c));
    } else if (f.startsWith("policies/lib/")) {
        groups.set("policies/lib", add(groups.get("policies/lib"), c));
        lib.push(row(`\`${f.slice("policies/lib/".length)}\``, c));
    } else builders.push([f, c]);
}
console.log(HEAD("part"));
console.log(row("**`policies/` as a whole**", policies));
console.log(row("**`policies/rules` (every rule)**", rules));
for (const [g, c] of groups) if (g !== "policies/lib") console.log(row(`\`${g}\``, c));
console.log(row("`policies/lib`", groups.get("policies/lib")));
console.log(`\n${HEAD("file")}`);
for (const r of lib) console.log(r);
console.log(`\n${HEAD("file")}`);
let all;
for (const [f, c] of builders) {
    all = add(all, c);
    console.log(row(`\`${f}\``, c));
}
if (all) console.log(row("**the builders together**", all));
