import type { K8sObject } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";

/** Checklist 3.4.1: the critical alerts exist, each with a severity that routing can key on. */
export const requireCriticalAlerts = defineRule<{ alerts: string[]; severities: string[] }>({
    scope: "stack",
    name: "require-critical-alerts",
    description: "Every configured alert is defined in a PrometheusRule of the resource set, with a severity label of the configured set.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Add the alert to a monitoring.coreos.com/v1 PrometheusRule with labels.severity set to P0, P1 or P2.",
    checklist: ["3.4.1"],
    settings: {
        alerts: { type: "array", items: { type: "string" }, description: "Alert names that must exist.", default: [] },
        severities: {
            type: "array",
            items: { type: "string" },
            description: "Severity labels alert routing understands.",
            default: ["P0", "P1", "P2"],
        },
    },
    check: (objects, cfg) => {
        const rules = objects
            .filter((o) => o.kind === "PrometheusRule")
            .flatMap((r) => (r.spec?.groups ?? []).flatMap((g: { rules?: { alert?: string; labels?: Record<string, string> }[] }) => g.rules ?? []));
        const anchor: K8sObject = objects.find((o) => o.kind === "PrometheusRule") ?? {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: { name: "monitoring" },
        };
        const out: Finding[] = [];
        for (const name of cfg.alerts) {
            const rule = rules.find((r) => r.alert === name);
            if (!rule) out.push({ object: anchor, message: `alert ${name} is not defined in any PrometheusRule` });
            else if (!cfg.severities.includes(rule.labels?.severity ?? "")) {
                out.push({
                    object: anchor,
                    message: `alert ${name} has severity ${JSON.stringify(rule.labels?.severity ?? null)}; use one of ${cfg.severities.join(", ")}`,
                });
            }
        }
        return out;
    },
});
