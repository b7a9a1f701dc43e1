import { describe, type K8sObject, namespaceOf, record, records, show } from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
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
        const prometheusRules = resourceSet(objects).ofKind("PrometheusRule");
        const alerts = new Map<unknown, { object: K8sObject; rule: Record<string, unknown> }>();
        for (const object of prometheusRules) {
            for (const g of records(record(object.spec).groups)) {
                for (const rule of records(g.rules)) if (!alerts.has(rule.alert)) alerts.set(rule.alert, { object, rule });
            }
        }
        // An alert the pack config requires and no PrometheusRule defines is reported on the namespace the rules live in.
        const missing: K8sObject = {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: { name: prometheusRules.length > 0 ? (namespaceOf(prometheusRules[0]) ?? "monitoring") : "monitoring" },
        };
        const out: Finding[] = [];
        for (const name of cfg.alerts) {
            const found = alerts.get(name);
            const severity = found ? record(found.rule.labels).severity : undefined;
            if (!found) out.push({ object: missing, message: `alert ${name} is not defined in any PrometheusRule` });
            else if (typeof severity !== "string" || !cfg.severities.includes(severity)) {
                out.push({
                    object: found.object,
                    message: `${describe(found.object)}: alert ${name} has severity ${show(severity ?? null)}; use one of ${cfg.severities.join(", ")}`,
                });
            }
        }
        return out;
    },
});
