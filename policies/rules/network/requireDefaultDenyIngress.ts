import { isEmptySelector, namespaceOf, podTemplate, type K8sObject } from "../../lib/k8s";
import type { Finding, StackRule } from "../../lib/rule";

/** Whether a NetworkPolicy denies all ingress to every pod of its namespace. */
export function isDefaultDenyIngress(np: K8sObject): boolean {
    const types: string[] = Array.isArray(np.spec?.policyTypes) ? np.spec.policyTypes : ["Ingress"];
    const rules = np.spec?.ingress;
    return isEmptySelector(np.spec?.podSelector) && types.includes("Ingress") && (!Array.isArray(rules) || rules.length === 0);
}

/** Checklist 1.2.2: every namespace that runs pods (and every declared one) has a default-deny ingress policy. */
export const requireDefaultDenyIngress: StackRule<{ namespaces: string[] }> = {
    scope: "stack",
    name: "require-default-deny-ingress",
    description:
        "Every namespace that runs pods, and every declared platform namespace, has a default-deny ingress NetworkPolicy (empty podSelector, policyTypes [Ingress], no rules).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress] (and Egress) and no rules in the namespace, then allow each flow of the traffic matrix explicitly.",
    checklist: ["1.2.2"],
    configSchema: {
        properties: {
            namespaces: {
                type: "array",
                items: { type: "string" },
                description: "Namespaces that need a default-deny policy even when they run no pods yet.",
                default: ["voting-frontend", "voting-api", "voting-consumer", "voting-data"],
            },
        },
    },
    defaults: { namespaces: ["voting-frontend", "voting-api", "voting-consumer", "voting-data"] },
    check: (objects, cfg) => {
        const denied = new Set(objects.filter((o) => o.kind === "NetworkPolicy" && isDefaultDenyIngress(o)).map((o) => namespaceOf(o)));
        const firstWorkload = new Map<string, K8sObject>();
        for (const o of objects) {
            const ns = namespaceOf(o);
            if (ns !== undefined && podTemplate(o) && !firstWorkload.has(ns)) firstWorkload.set(ns, o);
        }
        const namespaces = new Set([...cfg.namespaces, ...firstWorkload.keys()]);
        const out: Finding[] = [];
        for (const ns of [...namespaces].sort()) {
            if (denied.has(ns)) continue;
            const object = objects.find((o) => o.kind === "Namespace" && o.metadata?.name === ns) ??
                firstWorkload.get(ns) ?? { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } };
            out.push({
                object,
                message: `Namespace ${ns} has no default-deny ingress NetworkPolicy: every pod there accepts traffic from anywhere in the cluster`,
            });
        }
        return out;
    },
};
