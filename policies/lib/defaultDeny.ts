import { isEmptySelector, namespaceOf, record, type K8sObject } from "./k8s";
import { policyTypes } from "./reachability";
import { resourceSet } from "./resourceSet";
import type { Finding, SettingsSchema } from "./rule";

export type Direction = "Ingress" | "Egress";

/** Whether a NetworkPolicy denies all traffic of one direction to every pod of its namespace. */
export function isDefaultDeny(np: K8sObject, direction: Direction): boolean {
    const types = policyTypes(np);
    const spec = record(np.spec);
    const rules = spec[direction === "Ingress" ? "ingress" : "egress"];
    return isEmptySelector(spec.podSelector ?? {}) && types.includes(direction) && (!Array.isArray(rules) || rules.length === 0);
}

/** One finding per namespace (declared, or running pods) that lacks a default-deny policy for `direction`. */
export function missingDefaultDeny(objects: readonly K8sObject[], declared: readonly string[], direction: Direction): Finding[] {
    const set = resourceSet(objects);
    const denied = new Set(
        set
            .ofKind("NetworkPolicy")
            .filter((o) => isDefaultDeny(o, direction))
            .map((o) => namespaceOf(o)),
    );
    const firstWorkload = new Map<string, K8sObject>();
    for (const { object: o } of set.workloads) {
        const ns = namespaceOf(o);
        if (ns !== undefined && !firstWorkload.has(ns)) firstWorkload.set(ns, o);
    }
    const out: Finding[] = [];
    for (const ns of [...new Set([...declared, ...firstWorkload.keys()])].sort()) {
        if (denied.has(ns)) continue;
        const object = set.find("Namespace", undefined, ns) ??
            firstWorkload.get(ns) ?? { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } };
        const what = direction === "Ingress" ? "accepts traffic from anywhere in the cluster" : "can open connections anywhere";
        out.push({ object, message: `Namespace ${ns} has no default-deny ${direction.toLowerCase()} NetworkPolicy: every pod there ${what}` });
    }
    return out;
}

/** The settings both default-deny rules take: namespaces that need the policy even before they run pods. */
export function defaultDenySettings(defaults: readonly string[]): SettingsSchema<{ namespaces: string[] }> {
    return {
        namespaces: {
            type: "array",
            items: { type: "string" },
            description: "Namespaces that need a default-deny policy even when they run no pods yet.",
            default: [...defaults],
        },
    };
}
