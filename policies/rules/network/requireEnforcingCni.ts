import { CNI_ANNOTATION } from "../../lib/annotations";
import { type K8sObject, annotationsOf } from "../../lib/k8s";
import { PLATFORM_NAMESPACES } from "../../lib/platform";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

const ENFORCING = ["calico", "cilium", "aws-vpc-cni", "azure-npm", "gke-dataplane-v2", "antrea"];

/** Checklist 1.2.1: NetworkPolicies are only as good as the CNI that enforces them; each namespace says which CNI it relies on. */
export const requireEnforcingCni = defineRule<{ namespaces: string[]; enforcing: string[] }>({
    scope: "stack",
    name: "require-enforcing-cni",
    description: `Each platform namespace declares its cluster's CNI (annotation ${CNI_ANNOTATION}), and that CNI enforces NetworkPolicy.`,
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set voting-platform:cni to the cluster's CNI; run Calico, Cilium or the cloud's policy-enforcing dataplane where it does not enforce NetworkPolicy.",
    checklist: ["1.2.1"],
    settings: {
        namespaces: {
            type: "array",
            items: { type: "string" },
            description: "Namespaces that must declare the CNI.",
            default: PLATFORM_NAMESPACES,
        },
        enforcing: { type: "array", items: { type: "string" }, description: "CNIs known to enforce NetworkPolicy.", default: ENFORCING },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        for (const ns of cfg.namespaces) {
            const obj: K8sObject | undefined = resourceSet(objects).find("Namespace", undefined, ns);
            if (!obj) continue;
            const cni = annotationsOf(obj)[CNI_ANNOTATION];
            if (!cni) out.push({ object: obj, message: `Namespace ${ns} declares no CNI; annotate it ${CNI_ANNOTATION} with the cluster's CNI` });
            else if (!cfg.enforcing.includes(cni))
                out.push({ object: obj, message: `Namespace ${ns} runs on CNI ${JSON.stringify(cni)}, which does not enforce NetworkPolicy` });
        }
        return out;
    },
});
