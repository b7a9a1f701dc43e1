import { describe, nameOf, records, strings } from "../../lib/k8s";
import { isManagedName } from "../../lib/rbac";
import { defineRule } from "../../lib/rule";

/**
 * Checklist 6.5.2, 4.4.1: app access lists what it grants. A `*` verb grants every verb, today's and
 * future ones (escalate, bind, impersonate included); a `*` resource, or `*\/subresource`, grants every
 * resource of the groups named, Secrets included. Roles Kubernetes manages (system:) are its own.
 */
export const disallowWildcardRbac = defineRule<{ managedPrefixes: string[] }>({
    scope: "resource",
    kinds: ["Role", "ClusterRole"],
    name: "disallow-wildcard-rbac",
    description: "No Role or ClusterRole (other than Kubernetes' own system: roles) grants a wildcard verb or a wildcard resource.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "List the verbs (get, list, watch, create, update, patch, delete) and the resources the role needs instead of *.",
    checklist: ["6.5.2", "4.4.1"],
    peers: { "kube-linter": ["wildcard-in-rules"] },
    settings: {
        managedPrefixes: {
            type: "array",
            items: { type: "string" },
            description: "Name prefixes of roles Kubernetes manages.",
            default: ["system:"],
        },
    },
    check: (obj, cfg) => {
        if ((obj.kind !== "Role" && obj.kind !== "ClusterRole") || isManagedName(String(nameOf(obj)), cfg.managedPrefixes)) return [];
        const out: string[] = [];
        records(obj.rules).forEach((r, i) => {
            const verbs = strings(r.verbs);
            const resources = strings(r.resources);
            const on = resources.length > 0 ? resources.join(", ") : "no resources";
            if (verbs.includes("*")) out.push(`${describe(obj)}: rule ${i + 1} grants every verb (*) on ${on}; list the verbs it needs`);
            const groups =
                strings(r.apiGroups)
                    .map((g) => (g === "" ? "the core group" : g))
                    .join(", ") || "no group";
            for (const x of resources.filter((e) => e === "*" || e.startsWith("*/"))) {
                const what = x === "*" ? `every resource (*) of ${groups}` : `${x.slice(2)} of every resource (${x}) of ${groups}`;
                out.push(`${describe(obj)}: rule ${i + 1} grants ${what}; list the resources it needs`);
            }
        });
        return out;
    },
});
