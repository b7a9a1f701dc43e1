import { namespaceOf, nameOf } from "../../policies/lib/k8s";
import type { Violation } from "../../policies/lib/evaluate";

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
    };
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

export function buildReport(
    violations: ReportedViolation[],
    meta: { source: string; files: number; objects: number; policies: number; skippedDocuments: number },
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
        },
    };
}

/** The human report: violations grouped by policy, mandatory first, then a one-line summary. `lineOf` adds the line each object starts on. */
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
    for (const line of extra) lines.push(line);
    const s = report.summary;
    lines.push(
        `${s.mandatory} mandatory, ${s.advisory} advisory violation(s) in ${s.objects} object(s) from ${s.files} file(s); ${s.policies} policies run` +
            (s.skippedDocuments ? `; ${s.skippedDocuments} non-Kubernetes document(s) skipped` : ""),
    );
    return lines.join("\n") + "\n";
}
