import { describe, nameOf } from "../../lib/k8s";
import { grantsPodExec, isManagedName, rulesOf } from "../../lib/rbac";
import { defineRule } from "../../lib/rule";

/** Checklist 6.5.1: exec and attach are a shell in production; only the roles the config names may grant them. */
export const disallowPodExecGrants = defineRule<{ allowedRoles: string[]; managedPrefixes: string[] }>({
    scope: "resource",
    name: "disallow-pod-exec-grants",
    description:
        "No Role or ClusterRole grants pods/exec or pods/attach, except the roles the pack config allows (SRE) and Kubernetes' own system: roles.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Drop pods/exec and pods/attach from the role (developers read logs with pods/log); give exec only to the SRE role.",
    checklist: ["6.5.1"],
    peers: { polaris: ["clusterrolePodExecAttach", "rolePodExecAttach"] },
    settings: {
        allowedRoles: { type: "array", items: { type: "string" }, description: "Roles that may grant exec and attach.", default: [] },
        managedPrefixes: {
            type: "array",
            items: { type: "string", minLength: 1 },
            description: "Name prefixes of roles Kubernetes manages.",
            default: ["system:"],
        },
    },
    kinds: ["Role", "ClusterRole"],
    check: (obj, cfg) => {
        if (obj.kind !== "Role" && obj.kind !== "ClusterRole") return [];
        if (cfg.allowedRoles.includes(nameOf(obj)) || isManagedName(nameOf(obj), cfg.managedPrefixes)) return [];
        return grantsPodExec(rulesOf(obj))
            ? [`${describe(obj)}: grants pods/exec or pods/attach; remove them (pods/log is enough to read logs)`]
            : [];
    },
});
