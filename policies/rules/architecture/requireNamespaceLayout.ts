import { type K8sObject, labelsOf, own } from "../../lib/k8s";
import { PLATFORM_NAMESPACES } from "../../lib/platform";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

export interface NamespaceLayoutConfig {
    namespaces: string[];
    podSecurityLevel: string;
}

const LEVEL_RANK: Record<string, number> = { privileged: 0, baseline: 1, restricted: 2 };

/** Checklist 7.1.2: the declared namespaces exist, enforce Pod Security, and carry a quota and limit defaults. */
export const requireNamespaceLayout = defineRule<NamespaceLayoutConfig>({
    scope: "stack",
    name: "require-namespace-layout",
    description:
        "The declared namespaces (voting-frontend, voting-api, voting-consumer, voting-data) exist, enforce a Pod Security level, and each has a ResourceQuota and a LimitRange.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Create each namespace with the Namespaces component (it adds the pod-security.kubernetes.io/enforce label, a ResourceQuota and a LimitRange), or add what is missing.",
    checklist: ["7.1.2"],
    peers: { kyverno: ["add-ns-quota"] },
    settings: {
        namespaces: {
            type: "array",
            items: { type: "string" },
            description: "Namespaces the stack must create; empty turns the rule off (generic manifests).",
            default: PLATFORM_NAMESPACES,
        },
        podSecurityLevel: {
            type: "string",
            enum: ["baseline", "restricted"],
            description: "Least Pod Security level each namespace must enforce.",
            default: "restricted",
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        const set = resourceSet(objects);
        const has = (kind: string, ns: string) => set.inNamespace(kind, ns).length > 0;
        for (const ns of cfg.namespaces) {
            const obj = set.find("Namespace", undefined, ns);
            if (!obj) {
                const anchor: K8sObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } };
                out.push({ object: anchor, message: `Namespace ${ns} is declared in the layout but not created` });
                continue;
            }
            const level = labelsOf(obj)["pod-security.kubernetes.io/enforce"];
            if (level === undefined || (own(LEVEL_RANK, level) ?? -1) < LEVEL_RANK[cfg.podSecurityLevel]) {
                out.push({
                    object: obj,
                    message: `Namespace ${ns} enforces Pod Security ${JSON.stringify(level ?? "nothing")}; label it pod-security.kubernetes.io/enforce: ${cfg.podSecurityLevel}`,
                });
            }
            if (!has("ResourceQuota", ns))
                out.push({ object: obj, message: `Namespace ${ns} has no ResourceQuota; add one sized for its workloads at maximum scale` });
            if (!has("LimitRange", ns))
                out.push({ object: obj, message: `Namespace ${ns} has no LimitRange; add one with default requests and limits` });
        }
        return out;
    },
});
