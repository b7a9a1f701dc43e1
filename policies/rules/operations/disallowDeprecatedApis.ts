import { describe, own } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** API versions removed from Kubernetes, with the release that removed them and their replacement. */
export const REMOVED_APIS: Readonly<Record<string, { removedIn: string; use: string }>> = {
    "extensions/v1beta1": { removedIn: "1.22", use: "apps/v1 or networking.k8s.io/v1" },
    "apps/v1beta1": { removedIn: "1.16", use: "apps/v1" },
    "apps/v1beta2": { removedIn: "1.16", use: "apps/v1" },
    "networking.k8s.io/v1beta1": { removedIn: "1.22", use: "networking.k8s.io/v1" },
    "rbac.authorization.k8s.io/v1beta1": { removedIn: "1.22", use: "rbac.authorization.k8s.io/v1" },
    "policy/v1beta1": { removedIn: "1.25", use: "policy/v1 (PodSecurityPolicy has no successor: use Pod Security Admission)" },
    "batch/v1beta1": { removedIn: "1.25", use: "batch/v1" },
    "autoscaling/v2beta1": { removedIn: "1.25", use: "autoscaling/v2" },
    "autoscaling/v2beta2": { removedIn: "1.26", use: "autoscaling/v2" },
    "discovery.k8s.io/v1beta1": { removedIn: "1.25", use: "discovery.k8s.io/v1" },
    "events.k8s.io/v1beta1": { removedIn: "1.25", use: "events.k8s.io/v1" },
    "storage.k8s.io/v1beta1": { removedIn: "1.22", use: "storage.k8s.io/v1" },
    "scheduling.k8s.io/v1beta1": { removedIn: "1.22", use: "scheduling.k8s.io/v1" },
    "admissionregistration.k8s.io/v1beta1": { removedIn: "1.22", use: "admissionregistration.k8s.io/v1" },
    "apiextensions.k8s.io/v1beta1": { removedIn: "1.22", use: "apiextensions.k8s.io/v1" },
    "flowcontrol.apiserver.k8s.io/v1beta2": { removedIn: "1.29", use: "flowcontrol.apiserver.k8s.io/v1" },
    "flowcontrol.apiserver.k8s.io/v1beta3": { removedIn: "1.32", use: "flowcontrol.apiserver.k8s.io/v1" },
};

const minor = (v: string) => Number(v.split(".")[1] ?? 0);
const VERSION = "^1\\.\\d+$";

/** Checklist 4.3.1: nothing uses an API version the target cluster no longer serves. */
export const disallowDeprecatedApis = defineRule<{ kubernetesVersion: string }>({
    scope: "resource",
    name: "disallow-deprecated-apis",
    description: "No object uses an API version removed in (or before) the target Kubernetes version.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Move the object to the API version the message names before upgrading the cluster.",
    checklist: ["4.3.1"],
    peers: { "kube-score": ["stable-version"], "kube-linter": ["no-extensions-v1beta"], kyverno: ["check-deprecated-apis"] },
    settings: {
        kubernetesVersion: {
            type: "string",
            pattern: VERSION,
            description: "The Kubernetes minor version the objects must work on, e.g. 1.30.",
            default: "1.28",
        },
    },
    check: (obj, cfg) => {
        const removed = own(REMOVED_APIS, obj.apiVersion);
        if (!removed || minor(removed.removedIn) > minor(cfg.kubernetesVersion)) return [];
        return [`${describe(obj)}: uses ${obj.apiVersion}, removed in Kubernetes ${removed.removedIn}; use ${removed.use}`];
    },
});
