/**
 * JUnit XML, the format CI test reporters read: one test suite per policy; a test case per object the
 * policy found something on (a failure for a mandatory violation, the message in system-out for an
 * advisory one, skipped when waived), and one passing test case for a policy that found nothing.
 */
import type { ResolvedRule } from "../../policies/lib/evaluate";
import { describeWaiver, subjectOf, type Lines, type Report, type ReportedViolation } from "./report";

const escape = (s: string) =>
    s
        // Characters XML 1.0 cannot carry at all.
        .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "\uFFFD")
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;");

const attrs = (a: Record<string, string | number | undefined>) =>
    Object.entries(a)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => ` ${k}="${escape(String(v))}"`)
        .join("");

interface Case {
    readonly name: string;
    readonly file?: string;
    readonly line?: number;
    readonly failures: ReportedViolation[];
    readonly advisories: ReportedViolation[];
    readonly skipped?: string;
}

export function formatJunit(report: Report, resolved: readonly ResolvedRule[], lines: Lines, tool: { name: string }): string {
    const suites: string[] = [];
    let total = 0;
    let failures = 0;
    let skipped = 0;
    for (const { rule, level } of resolved) {
        const cases = new Map<string, Case>();
        const caseOf = (v: ReportedViolation) => {
            const key = `${v.file}\n${subjectOf(v)}`;
            if (!cases.has(key)) cases.set(key, { name: subjectOf(v), file: v.file || undefined, line: lines.get(v), failures: [], advisories: [] });
            return cases.get(key)!;
        };
        for (const v of report.violations.filter((x) => x.policy === rule.name))
            (v.level === "mandatory" ? caseOf(v).failures : caseOf(v).advisories).push(v);
        const waived = report.waivers.filter((w) => w.policy === rule.name);
        for (const w of waived) {
            const key = `${w.file}\n${subjectOf(w)}`;
            if (!cases.has(key))
                cases.set(key, {
                    name: subjectOf(w),
                    file: w.file || undefined,
                    line: lines.get(w),
                    failures: [],
                    advisories: [],
                    skipped: describeWaiver(w.waiver),
                });
        }
        const list: Case[] =
            level === "disabled"
                ? [{ name: rule.name, failures: [], advisories: [], skipped: "disabled by the pack config" }]
                : cases.size > 0
                  ? [...cases.values()]
                  : [{ name: `${rule.name}: no findings`, failures: [], advisories: [] }];
        const f = list.filter((c) => c.failures.length > 0).length;
        const s = list.filter((c) => c.skipped && c.failures.length === 0 && c.advisories.length === 0).length;
        total += list.length;
        failures += f;
        skipped += s;
        const body = list.map((c) => {
            const open = `    <testcase${attrs({ classname: rule.name, name: c.name, file: c.file, line: c.line })}`;
            const inner: string[] = [];
            if (c.failures.length > 0) {
                inner.push(
                    `      <failure${attrs({ type: "mandatory", message: c.failures[0].message })}>${escape(c.failures.map((v) => v.message).join("\n"))}</failure>`,
                );
            } else if (c.skipped && c.advisories.length === 0) {
                inner.push(`      <skipped${attrs({ message: c.skipped })}/>`);
            }
            if (c.advisories.length > 0)
                inner.push(`      <system-out>${escape(c.advisories.map((v) => `advisory: ${v.message}`).join("\n"))}</system-out>`);
            return inner.length === 0 ? `${open}/>` : [`${open}>`, ...inner, "    </testcase>"].join("\n");
        });
        suites.push(
            [
                `  <testsuite${attrs({ name: rule.name, tests: list.length, failures: f, errors: 0, skipped: s })}>`,
                `    <properties>${[
                    ["severity", rule.severity],
                    ["enforcementLevel", level],
                    ["checklist", rule.checklist.join(",")],
                ]
                    .map(([n, v]) => `<property${attrs({ name: n, value: v })}/>`)
                    .join("")}</properties>`,
                ...body,
                "  </testsuite>",
            ].join("\n"),
        );
    }
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites${attrs({ name: tool.name, tests: total, failures, errors: 0, skipped })}>`,
        ...suites,
        "</testsuites>",
        "",
    ].join("\n");
}
