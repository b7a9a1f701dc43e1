import { describe, namespaceOf } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";
import { podHasPort, selectedWorkloads } from "../../lib/workloads";

/** P.1: a Service whose selector matches no pod, or whose targetPort no pod declares, silently serves nothing. */
export const requireServiceSelectsPods = defineRule({
    scope: "stack",
    name: "require-service-selects-pods",
    description: "Every Service with a selector selects at least one workload's pods in its namespace, and each targetPort exists on those pods.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Make the Service selector a subset of the pod template labels, and point targetPort at a declared container port (by name or number).",
    checklist: ["P.1"],
    peers: { "kube-score": ["service-targets-pod"], "kube-linter": ["dangling-service"] },
    check: (objects) => {
        const out: Finding[] = [];
        for (const svc of objects.filter((o) => o.kind === "Service")) {
            const selector = svc.spec?.selector;
            if (!selector || Object.keys(selector).length === 0 || svc.spec?.type === "ExternalName") continue;
            const pods = selectedWorkloads({ matchLabels: selector }, namespaceOf(svc), objects);
            if (pods.length === 0) {
                out.push({ object: svc, message: `${describe(svc)}: selector ${JSON.stringify(selector)} matches no pods in ${namespaceOf(svc)}` });
                continue;
            }
            for (const p of Array.isArray(svc.spec?.ports) ? svc.spec.ports : []) {
                const target = p?.targetPort ?? p?.port;
                if (!pods.some((pod) => podHasPort(pod, target))) {
                    out.push({ object: svc, message: `${describe(svc)}: targetPort ${JSON.stringify(target)} is not a port of the pods it selects` });
                }
            }
        }
        return out;
    },
});
