import { containersOf, describe, list, namespaceOf, str, text } from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
import { parseImage } from "../../lib/images";
import { defineRule, type Finding } from "../../lib/rule";

/** Checklist 6.3.2: pods pulling from a private registry carry pull credentials (on the pod or its ServiceAccount). */
export const requireImagePullSecrets = defineRule<{ privateRegistries: string[] }>({
    scope: "stack",
    name: "require-image-pull-secrets",
    description: "Pods that pull from a configured private registry have imagePullSecrets, on the pod spec or on their ServiceAccount.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Create a kubernetes.io/dockerconfigjson Secret in the namespace and list it in imagePullSecrets of the pod or its ServiceAccount.",
    checklist: ["6.3.2"],
    settings: {
        privateRegistries: {
            type: "array",
            items: { type: "string", minLength: 1 },
            description: "Registry hosts that need credentials.",
            default: [],
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        if (cfg.privateRegistries.length === 0) return out;
        const set = resourceSet(objects);
        for (const pod of set.workloads) {
            const obj = pod.object;
            const privateImages = containersOf(pod.spec)
                .map((c) => str(c.container.image) ?? "")
                .filter((i) => cfg.privateRegistries.includes(parseImage(i).registry));
            if (privateImages.length === 0 || list(pod.spec.imagePullSecrets).length > 0) continue;
            const saName = pod.spec.serviceAccountName ?? "default";
            const sa = typeof saName === "string" ? set.find("ServiceAccount", namespaceOf(obj), saName) : undefined;
            if (list(sa?.imagePullSecrets).length > 0) continue;
            out.push({
                object: obj,
                message: `${describe(obj)}: pulls ${privateImages[0]} from a private registry without imagePullSecrets on the pod or ServiceAccount ${text(saName)}`,
            });
        }
        return out;
    },
});
