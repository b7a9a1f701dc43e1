import { namespaceOf, nameOf, describe } from "../../policies/lib/k8s";
import type { Violation, WaivedFinding } from "../../policies/lib/evaluate";
import type { AppliedFix } from "../../policies/lib/remediate";
import type { Waiver } from "../../policies/lib/waivers";

/** One violation as the JSON report carries it (a contract other tools read). */
export interface ReportedViolation {
    readonly policy: string;
    readonly checklist: string[];
    readonly level: "advisory" | "mandatory";
    readonly file: string;
    readonly kind: string;
    readonly namespace: string | null;
    readonly name: string;
    readonly message: string;
}

/** A finding that a waiver keeps from counting: the violation's fields and the waiver. */
export interface ReportedWaiver extends ReportedViolation {
    readonly waiver: Waiver;
}

/** A fix the checker applied (`--fix`, or a policy at the `remediate` level). */
export interface ReportedFix {
    readonly policy: string;
    readonly file: string;
    readonly kind: string;
    readonly namespace: string | null;
    readonly name: string;
    readonly changes: string[];
}

/** Where in its file an object starts, for the formats that point at lines (SARIF, JUnit). Not part of the JSON contract. */
export type Lines = ReadonlyMap<ReportedViolation, number>;

export interface Report {
    readonly violations: ReportedViolation[];
    readonly summary: {
        readonly source: string;
        readonly files: number;
        readonly objects: number;
        readonly policies: number;
        readonly mandatory: number;
        readonly advisory: number;
        readonly skippedDocuments: number;
        readonly byChecklist: Record<string, number>;
        /** Findings waived by an object's annotation or a policy's pack config. */
        readonly waived: number;
        /** Changes made by fixes. */
        readonly fixed: number;
    };
    readonly waivers: ReportedWaiver[];
    readonly fixes: ReportedFix[];
}

/** A violation as the report carries it: `name` and `namespace` are always strings (namespace null for cluster-scoped objects). */
export function toReported(v: Violation, file: string): ReportedViolation {
    return {
        policy: v.policy,
        checklist: [...v.checklist],
        level: v.level,
        file,
        kind: String(v.object.kind),
        namespace: namespaceOf(v.object) ?? null,
        name: nameOf(v.object),
        message: v.message,
    };
}

export function toReportedWaiver(w: WaivedFinding, file: string): ReportedWaiver {
    return { ...toReported(w, file), waiver: w.waiver };
}

export function toReportedFix(f: AppliedFix, file: string): ReportedFix {
    return { policy: f.policy, file, kind: f.object.kind, namespace: namespaceOf(f.object) ?? null, name: nameOf(f.object), changes: [...f.changes] };
}

export function buildReport(
    violations: ReportedViolation[],
    meta: { source: string; files: number; objects: number; policies: number; skippedDocuments: number },
    waivers: ReportedWaiver[] = [],
    fixes: ReportedFix[] = [],
): Report {
    const byChecklist: Record<string, number> = {};
    for (const v of violations) for (const id of v.checklist) byChecklist[id] = (byChecklist[id] ?? 0) + 1;
    return {
        violations,
        summary: {
            ...meta,
            mandatory: violations.filter((v) => v.level === "mandatory").length,
            advisory: violations.filter((v) => v.level === "advisory").length,
            byChecklist: Object.fromEntries(Object.entries(byChecklist).sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))),
            waived: waivers.length,
            fixed: fixes.reduce((n, f) => n + f.changes.length, 0),
        },
        waivers,
        fixes,
    };
}

/** How a report names a waiver's origin and reason. */
export function describeWaiver(w: Waiver): string {
    const by = w.source === "annotation" ? "the object's annotation" : "the pack config";
    return `waived by ${by}: ${w.reason}${w.expires ? ` (expires ${w.expires})` : ""}`;
}

/** The human report: violations grouped by policy, mandatory first, then waivers and fixes, then a one-line summary. `lineOf` adds the line each object starts on. */
export function formatText(report: Report, extra: string[] = [], lineOf: (v: ReportedViolation) => number | undefined = () => undefined): string {
    const lines: string[] = [`voting-production-readiness: ${report.summary.source}`, ""];
    const groups = new Map<string, ReportedViolation[]>();
    const sorted = [...report.violations].sort((a, b) => (a.level === b.level ? 0 : a.level === "mandatory" ? -1 : 1));
    for (const v of sorted) {
        const key = `${v.level.toUpperCase().padEnd(9)}  ${v.policy} [${v.checklist.join(", ")}]`;
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key)!.push(v);
    }
    for (const [head, vs] of groups) {
        lines.push(head);
        for (const v of vs) {
            const line = lineOf(v);
            lines.push(`  ${v.message}${v.file ? `  (${v.file}${line ? `:${line}` : ""})` : ""}`);
        }
        lines.push("");
    }
    if (report.violations.length === 0) lines.push("No violations.", "");
    if (report.waivers.length > 0) {
        lines.push(`WAIVED (${report.waivers.length}, not counted as violations)`);
        for (const w of report.waivers) {
            lines.push(`  ${w.policy}: ${w.message}${w.file ? `  (${w.file})` : ""}`, `    ${describeWaiver(w.waiver)}`);
        }
        lines.push("");
    }
    if (report.fixes.length > 0) {
        lines.push(`FIXED (${report.summary.fixed} change(s))`);
        for (const f of report.fixes) for (const c of f.changes) lines.push(`  ${f.policy}: ${c}${f.file ? `  (${f.file})` : ""}`);
        lines.push("");
    }
    for (const line of extra) lines.push(line);
    const s = report.summary;
    lines.push(
        `${s.mandatory} mandatory, ${s.advisory} advisory violation(s) in ${s.objects} object(s) from ${s.files} file(s); ${s.policies} policies run` +
            (s.waived ? `; ${s.waived} finding(s) waived` : "") +
            (s.fixed ? `; ${s.fixed} change(s) fixed` : "") +
            (s.skippedDocuments ? `; ${s.skippedDocuments} non-Kubernetes document(s) skipped` : ""),
    );
    return lines.join("\n") + "\n";
}

/** The JSON report: the contract's `violations` and `summary`, then `waivers` and `fixes`. */
export function formatJson(report: Report): string {
    return JSON.stringify(report, null, 2) + "\n";
}

/** Names an object in SARIF and JUnit the way messages do. */
export const subjectOf = (v: { kind: string; namespace: string | null; name: string }): string =>
    describe({ kind: v.kind, metadata: { name: v.name, ...(v.namespace ? { namespace: v.namespace } : {}) } });
