import { describe, namespaceOf, podTemplate, text } from "../../lib/k8s";
import { patchPod } from "../../lib/fixes";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

/** Checklist 6.5.3: pods that never call the Kubernetes API carry no API token. The pod's setting wins over its ServiceAccount's. */
export const disableServiceAccountTokenAutomount = defineRule({
    scope: "stack",
    name: "disable-service-account-token-automount",
    description:
        "No pod mounts a ServiceAccount token unless it needs one: the pod sets automountServiceAccountToken: false, or leaves it unset and its ServiceAccount sets false.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set automountServiceAccountToken: false on the pod spec (and on its own ServiceAccount); give a workload that calls the API its own ServiceAccount and a narrow Role.",
    checklist: ["6.5.3"],
    peers: { polaris: ["automountServiceAccountToken"], kyverno: ["restrict-automount-sa-token"] },
    check: (objects) => {
        const out: Finding[] = [];
        const set = resourceSet(objects);
        for (const pod of set.workloads) {
            const obj = pod.object;
            if (pod.spec.automountServiceAccountToken === false) continue;
            const saName = pod.spec.serviceAccountName ?? pod.spec.serviceAccount ?? "default";
            if (pod.spec.automountServiceAccountToken === true) {
                out.push({
                    object: obj,
                    message: `${describe(obj)}: mounts the ServiceAccount token (automountServiceAccountToken: true); set it to false`,
                });
                continue;
            }
            const sa = typeof saName === "string" ? set.find("ServiceAccount", namespaceOf(obj), saName) : undefined;
            if (sa?.automountServiceAccountToken === false) continue;
            const why = sa
                ? `its ServiceAccount ${text(saName)} does not disable it either`
                : `ServiceAccount ${text(saName)} is not in the resource set to disable it`;
            out.push({
                object: obj,
                message: `${describe(obj)}: mounts a ServiceAccount token by default (${why}); set automountServiceAccountToken: false`,
            });
        }
        return out;
    },
    fix: {
        description:
            "Sets automountServiceAccountToken: false on the pod spec of each workload that leaves it unset; an explicit true (a workload that calls the API) is left for a person.",
        patches: (obj) => {
            const pod = podTemplate(obj);
            if (!pod || pod.spec.automountServiceAccountToken !== undefined) return [];
            return [patchPod(obj, pod, "automountServiceAccountToken", false)];
        },
    },
});
