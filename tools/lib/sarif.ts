/**
 * SARIF 2.1.0, the format code-scanning services read: one reporting rule per policy (description,
 * remediation as help, checklist IDs as tags), one result per finding located at the object's file and,
 * for YAML input, the line where the object starts. Waived findings are results with a suppression.
 */
import { createHash } from "crypto";
import * as path from "path";
import { pathToFileURL } from "url";
import type { ResolvedRule } from "../../policies/lib/evaluate";
import { describeWaiver, subjectOf, type Lines, type Report, type ReportedViolation, type ReportedWaiver } from "./report";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** What GitHub code scanning reads as a rule's severity (a CVSS-like score). */
const SECURITY_SEVERITY = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" } as const;

const LEVEL = { mandatory: "error", remediate: "error", advisory: "warning", disabled: "none" } as const;

const pascal = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/** A file as SARIF names it: relative to the working directory when inside it (as code scanning expects), else a file: URI. */
export function artifactUri(file: string, cwd = process.cwd()): string {
    const rel = path.relative(cwd, path.resolve(cwd, file));
    if (!rel.startsWith("..") && !path.isAbsolute(rel)) return rel.split(path.sep).join("/");
    return pathToFileURL(path.resolve(cwd, file)).href;
}

export function formatSarif(report: Report, resolved: readonly ResolvedRule[], lines: Lines, tool: { name: string; version: string }): string {
    const index = new Map(resolved.map((r, i) => [r.rule.name, i]));
    const rules = resolved.map(({ rule, level }) => ({
        id: rule.name,
        name: pascal(rule.name),
        shortDescription: { text: rule.description },
        fullDescription: { text: rule.description },
        help: {
            text: rule.remediationSteps,
            markdown: [
                `**Fix:** ${rule.remediationSteps}`,
                rule.checklist.length > 0 ? `**Checklist:** ${rule.checklist.join(", ")}` : "",
                `**Reference:** ${rule.url}`,
            ]
                .filter(Boolean)
                .join("\n\n"),
        },
        defaultConfiguration: { level: LEVEL[level], enabled: level !== "disabled" },
        properties: {
            tags: [...rule.checklist.map((id) => `checklist:${id}`), `severity:${rule.severity}`],
            checklist: [...rule.checklist],
            severity: rule.severity,
            "security-severity": SECURITY_SEVERITY[rule.severity],
            enforcementLevel: level,
        },
    }));
    const result = (v: ReportedViolation, suppressed?: ReportedWaiver) => {
        const line = lines.get(v);
        const subject = subjectOf(v);
        return {
            ruleId: v.policy,
            ...(index.has(v.policy) ? { ruleIndex: index.get(v.policy)! } : {}),
            level: v.level === "mandatory" ? "error" : "warning",
            message: { text: v.message },
            locations: [
                {
                    ...(v.file
                        ? { physicalLocation: { artifactLocation: { uri: artifactUri(v.file) }, ...(line ? { region: { startLine: line } } : {}) } }
                        : {}),
                    logicalLocations: [{ name: v.name, fullyQualifiedName: subject, kind: "resource" }],
                },
            ],
            partialFingerprints: { "finding/v1": createHash("sha256").update(`${v.policy}\n${subject}\n${v.message}`).digest("hex") },
            ...(suppressed
                ? {
                      suppressions: [
                          {
                              kind: suppressed.waiver.source === "annotation" ? "inSource" : "external",
                              status: "accepted",
                              justification: describeWaiver(suppressed.waiver),
                          },
                      ],
                  }
                : {}),
        };
    };
    const sarif = {
        $schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: [
            {
                tool: { driver: { name: tool.name, version: tool.version, semanticVersion: tool.version, rules } },
                results: [...report.violations.map((v) => result(v)), ...report.waivers.map((w) => result(w, w))],
                invocations: [{ executionSuccessful: true }],
                properties: { summary: report.summary.source },
            },
        ],
    };
    return JSON.stringify(sarif, null, 2) + "\n";
}
