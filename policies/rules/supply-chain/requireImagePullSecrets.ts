import { describe, namespaceOf, nameOf, podTemplate, containersOf } from "../../lib/k8s";
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
        privateRegistries: { type: "array", items: { type: "string" }, description: "Registry hosts that need credentials.", default: [] },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        for (const obj of objects) {
            const pod = podTemplate(obj);
            if (!pod) continue;
            const privateImages = containersOf(pod.spec)
                .map((c) => String(c.container.image ?? ""))
                .filter((i) => cfg.privateRegistries.includes(parseImage(i).registry));
            if (privateImages.length === 0 || (pod.spec.imagePullSecrets ?? []).length > 0) continue;
            const saName = pod.spec.serviceAccountName ?? "default";
            const sa = objects.find((o) => o.kind === "ServiceAccount" && nameOf(o) === saName && namespaceOf(o) === namespaceOf(obj));
            if ((sa?.imagePullSecrets ?? []).length > 0) continue;
            out.push({
                object: obj,
                message: `${describe(obj)}: pulls ${privateImages[0]} from a private registry without imagePullSecrets on the pod or ServiceAccount ${saName}`,
            });
        }
        return out;
    },
});
