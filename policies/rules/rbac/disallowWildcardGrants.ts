import { describe, isRecord, list, namespaceOf, nameOf, show, strings } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/**
 * What in one rule RBAC's authorizer reads as a wildcard: `*` among verbs, API groups or resources, a
 * resource `*\/<subresource>` (that subresource of every resource), and a non-resource URL `*` or ending
 * in `*`. `pods/*` is no wildcard: it names a subresource called `*`, which exists on no resource.
 */
function wildcards(rule: Record<string, unknown>): string[] {
    const found: string[] = [];
    if (strings(rule.verbs).includes("*")) found.push('verbs "*"');
    if (strings(rule.apiGroups).includes("*")) found.push('apiGroups "*"');
    for (const r of strings(rule.resources)) if (r === "*" || r.startsWith("*/")) found.push(`resources ${show(r)}`);
    for (const u of strings(rule.nonResourceURLs)) if (u.endsWith("*")) found.push(`nonResourceURLs ${show(u)}`);
    return found;
}

/**
 * Checklist 6.5.2: no wildcard verbs or resources for app access. A wildcard grants whatever Kubernetes,
 * or a CRD installed later, adds under it: `*` verbs include escalate, bind and impersonate, `*`
 * resources include Secrets and every custom resource.
 */
export const disallowWildcardGrants = defineRule<{ allowedRoles: string[] }>({
    scope: "resource",
    name: "disallow-wildcard-grants",
    description:
        'No Role or ClusterRole grants a wildcard: "*" among verbs, API groups or resources, "*/<subresource>", or a non-resource URL ending in "*".',
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "List the verbs, API groups and resources the role needs; bind Kubernetes' own admin, edit or view roles for broad access.",
    checklist: ["6.5.2", "4.4.1"],
    peers: { "kube-linter": ["wildcard-in-rules"] },
    kinds: ["Role", "ClusterRole"],
    settings: {
        allowedRoles: {
            type: "array",
            items: { type: "string", minLength: 1 },
            description: "Roles that may hold wildcards, as namespace/name for a Role or name for a ClusterRole (an operator's own role, say).",
            default: [],
        },
    },
    check: (obj, cfg) => {
        const id = obj.kind === "Role" ? `${namespaceOf(obj) ?? ""}/${nameOf(obj)}` : nameOf(obj);
        if (strings(cfg.allowedRoles).includes(id)) return [];
        return list(obj.rules).flatMap((rule, i) => {
            const found = isRecord(rule) ? wildcards(rule) : [];
            return found.length === 0
                ? []
                : [`${describe(obj)}: rules[${i}] grants ${found.join(", ")}; list what the role needs instead of a wildcard`];
        });
    },
});
