import { describe, labelsOf, podTemplate } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

export const RECOMMENDED_LABELS = [
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/component",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/managed-by",
];

/**
 * P.11: the recommended labels let dashboards, cost reports, audits and `kubectl get -l` find every object
 * of an app: its workloads and pods, and also its quotas, policies, roles, certificates and secrets.
 */
export const requireRecommendedLabels = defineRule({
    scope: "resource",
    name: "require-recommended-labels",
    description:
        "Every object, of every kind, and every pod template carries the recommended app.kubernetes.io labels (name, instance, component, part-of, managed-by).",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Label objects and pod templates from one helper that sets every app.kubernetes.io/* label.",
    checklist: ["P.11"],
    peers: { polaris: ["metadataAndInstanceMismatched"], kyverno: ["require-labels"] },
    check: (obj) => {
        const out: string[] = [];
        const missing = (labels: Record<string, string>) => RECOMMENDED_LABELS.filter((l) => !labels[l]);
        const own = missing(labelsOf(obj));
        if (own.length) out.push(`${describe(obj)}: lacks labels ${own.join(", ")}`);
        const pod = podTemplate(obj);
        if (pod && obj.kind !== "Pod") {
            const tmpl = missing(pod.metadata.labels);
            if (tmpl.length) out.push(`${describe(obj)}: its pod template lacks labels ${tmpl.join(", ")}`);
        }
        return out;
    },
});
