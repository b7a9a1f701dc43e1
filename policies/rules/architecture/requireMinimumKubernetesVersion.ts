import { K8S_VERSION_ANNOTATION } from "../../lib/annotations";
import { type K8sObject, annotationsOf } from "../../lib/k8s";
import { PLATFORM_NAMESPACES } from "../../lib/platform";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

const minor = (v: unknown) => (typeof v === "string" && /^1\.\d+$/.test(v) ? Number(v.split(".")[1]) : NaN);

/** Checklist 7.1.1: the stack declares the cluster's Kubernetes version on its namespaces, and it is recent enough. */
export const requireMinimumKubernetesVersion = defineRule<{ namespaces: string[]; minimum: string }>({
    scope: "stack",
    name: "require-minimum-kubernetes-version",
    description: `Each platform namespace declares the cluster's Kubernetes version (annotation ${K8S_VERSION_ANNOTATION}), at least the configured minimum.`,
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set voting-platform:kubernetesVersion to the cluster's minor version, and upgrade clusters older than the minimum first.",
    checklist: ["7.1.1"],
    settings: {
        namespaces: {
            type: "array",
            items: { type: "string" },
            description: "Namespaces that must declare the version.",
            default: PLATFORM_NAMESPACES,
        },
        minimum: { type: "string", pattern: "^1\\.\\d+$", description: "Oldest Kubernetes minor version accepted.", default: "1.28" },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        for (const ns of cfg.namespaces) {
            const obj: K8sObject | undefined = resourceSet(objects).find("Namespace", undefined, ns);
            if (!obj) continue;
            const v = annotationsOf(obj)[K8S_VERSION_ANNOTATION];
            if (!v) out.push({ object: obj, message: `Namespace ${ns} declares no Kubernetes version; annotate it ${K8S_VERSION_ANNOTATION}` });
            else if (!(minor(v) >= minor(cfg.minimum)))
                out.push({ object: obj, message: `Namespace ${ns} targets Kubernetes ${v}, older than the required ${cfg.minimum}` });
        }
        return out;
    },
});
