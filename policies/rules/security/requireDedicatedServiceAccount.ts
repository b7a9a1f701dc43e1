import { describe, namespaceOf, nameOf, str, type K8sObject } from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

/** The ServiceAccount a pod runs as: `serviceAccountName`, the deprecated `serviceAccount`, else the namespace's `default`. */
export function serviceAccountOf(spec: Readonly<Record<string, unknown>>): { name: string; set: boolean } {
    const name = str(spec.serviceAccountName) || str(spec.serviceAccount);
    return name ? { name, set: true } : { name: "default", set: false };
}

/**
 * Checklist 6.5.3: one ServiceAccount per workload. The namespace's `default` ServiceAccount is every
 * unconfigured pod's identity, and a shared one gives each workload the others' API rights and cloud
 * identity (IRSA, Workload Identity), so neither can be narrowed to what one workload needs.
 */
export const requireDedicatedServiceAccount = defineRule({
    scope: "stack",
    name: "require-dedicated-service-account",
    description:
        "Every workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod) runs as a ServiceAccount of its own: never the namespace's default one, and never one another workload uses.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Create a ServiceAccount per workload (automountServiceAccountToken: false unless it calls the API) and set serviceAccountName on its pod template.",
    checklist: ["6.5.3"],
    peers: { "kube-linter": ["default-service-account"] },
    check: (objects) => {
        const out: Finding[] = [];
        const users = new Map<string, K8sObject[]>();
        for (const pod of resourceSet(objects).workloads) {
            const obj = pod.object;
            const sa = serviceAccountOf(pod.spec);
            if (sa.name === "default") {
                out.push({
                    object: obj,
                    message: `${describe(obj)}: runs as the namespace's default ServiceAccount (${sa.set ? "serviceAccountName: default" : "serviceAccountName unset"}); give it a ServiceAccount of its own`,
                });
                continue;
            }
            const key = `${namespaceOf(obj)}/${sa.name}`;
            const sharing = users.get(key);
            if (sharing) sharing.push(obj);
            else users.set(key, [obj]);
        }
        for (const [key, sharing] of users) {
            if (sharing.length < 2) continue;
            const sa = key.slice(key.indexOf("/") + 1);
            for (const obj of sharing) {
                const others = sharing.filter((o) => o !== obj).map((o) => `${o.kind} ${nameOf(o)}`);
                out.push({
                    object: obj,
                    message: `${describe(obj)}: shares ServiceAccount ${sa} with ${others.join(", ")}; give each workload its own`,
                });
            }
        }
        return out;
    },
});
