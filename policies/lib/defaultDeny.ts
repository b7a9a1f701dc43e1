import { isEmptySelector, isRecord, list, namespaceOf, nameOf, record, type K8sObject } from "./k8s";
import { ciliumAsNetworkPolicy, policyTypes, selects } from "./reachability";
import { resourceSet, type ResourceSet } from "./resourceSet";
import type { Finding, SettingsSchema } from "./rule";

export type Direction = "Ingress" | "Egress";

/** Rule items as the API server decodes them: `null` is an empty rule, anything else not an object is dropped. */
const items = (v: unknown): Record<string, unknown>[] => list(v).flatMap((x) => (x === null ? [{}] : isRecord(x) ? [x] : []));

/** A rule with no peers and no ports admits everything in its direction. */
function opensEverything(rule: Record<string, unknown>, direction: Direction): boolean {
    return list(rule[direction === "Ingress" ? "from" : "to"]).length === 0 && list(rule.ports).length === 0;
}

/** The NetworkPolicies (and Cilium policies, read at L4) of a namespace that isolate pods for `direction`. */
function isolating(set: ResourceSet, namespace: string, direction: Direction): K8sObject[] {
    return [...set.inNamespace("NetworkPolicy", namespace), ...set.inNamespace("CiliumNetworkPolicy", namespace).map(ciliumAsNetworkPolicy)].filter(
        (np) => policyTypes(np).includes(direction),
    );
}

/** A podSelector as the API server reads it: `null` is absent, which selects every pod. */
const selectsAll = (np: K8sObject): boolean => {
    const selector = record(np.spec).podSelector;
    return isEmptySelector(selector === null || selector === undefined ? {} : selector);
};

const WHAT = {
    Ingress: { they: "accept traffic from anywhere in the cluster", would: "accept traffic from anywhere in the cluster" },
    Egress: { they: "can open connections anywhere", would: "be able to open connections anywhere" },
} as const;

/**
 * Whether each namespace denies `direction` by default, judged by effect: every pod there, and any pod
 * created later, is isolated for that direction (a policy of that type selects all pods) and no
 * namespace-wide rule opens it again. One finding per namespace that does not, worded for its case.
 */
export function missingDefaultDeny(objects: readonly K8sObject[], declared: readonly string[], direction: Direction): Finding[] {
    const set = resourceSet(objects);
    const namespaces = new Set(declared);
    for (const { object } of set.workloads) {
        const ns = namespaceOf(object);
        if (ns !== undefined) namespaces.add(ns);
    }
    const dir = direction.toLowerCase();
    const out: Finding[] = [];
    for (const ns of [...namespaces].sort()) {
        const policies = isolating(set, ns, direction);
        const mine = set.workloadsIn(ns);
        const anchor = set.find("Namespace", undefined, ns) ?? mine[0]?.object ?? { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } };
        const say = (message: string) => out.push({ object: anchor, message });
        const namespaceWide = policies.filter(selectsAll);
        const opener = namespaceWide.find((np) => items(record(np.spec)[dir]).some((rule) => opensEverything(rule, direction)));
        if (opener) {
            say(
                `Namespace ${ns} has no default-deny ${dir}: NetworkPolicy ${nameOf(opener)} selects every pod and allows all ${dir} (a rule with no peers and no ports), so every pod there ${direction === "Ingress" ? "accepts traffic from anywhere" : "can open connections anywhere"}`,
            );
            continue;
        }
        if (namespaceWide.length > 0) continue;
        if (mine.length === 0) {
            say(`Namespace ${ns} has no default-deny ${dir} NetworkPolicy: a pod created there would ${WHAT[direction].would}`);
            continue;
        }
        const open = mine.filter((pod) => {
            const group = { id: `${ns}/${nameOf(pod.object)}`, namespace: ns, labels: pod.metadata.labels, ports: [] };
            return !policies.some((np) => selects(np, group));
        });
        say(
            open.length > 0
                ? `Namespace ${ns} has no default-deny ${dir} NetworkPolicy, and no policy with policyTypes ${direction} selects the pods of ${open.map((pod) => `${pod.object.kind} ${nameOf(pod.object)}`).join(", ")}: they ${WHAT[direction].they}`
                : `Namespace ${ns} has no default-deny ${dir} NetworkPolicy: every current pod is ${dir}-isolated by a policy that selects it, but no policy selects all pods, so a new pod would not be`,
        );
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
