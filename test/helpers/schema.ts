import type { K8sObject } from "../../policies/lib/k8s";

/** Where the typed models of each apiVersion live (core from kubernetes-models, CRDs from @kubernetes-models/*). */
const MODULES: Record<string, string> = {
    "keda.sh": "@kubernetes-models/keda/keda.sh",
    "cert-manager.io": "@kubernetes-models/cert-manager/cert-manager.io",
    "monitoring.coreos.com": "@kubernetes-models/prometheus-operator/monitoring.coreos.com",
    "external-secrets.io": "@kubernetes-models/external-secrets/external-secrets.io",
    "cilium.io": "@kubernetes-models/cilium/cilium.io",
};

/** The model packages are ES modules only; a real dynamic import (not one compiled to require) loads them. */
const esmImport = new Function("specifier", "return import(specifier)") as (s: string) => Promise<never>;

/**
 * Validates an object against the Kubernetes (or CRD) schema of its apiVersion and kind.
 * Throws on a schema error, and on an apiVersion with no known model, so nothing goes unchecked.
 */
export async function validateAgainstSchema(obj: K8sObject): Promise<void> {
    const av = obj.apiVersion ?? "";
    const group = av.includes("/") ? av.split("/")[0] : "";
    const mod = MODULES[group] ? `${MODULES[group]}/${av.split("/")[1]}` : `kubernetes-models/${av}`;
    let models: Record<string, new (data: unknown) => { validate(): void }>;
    try {
        models = await esmImport(mod);
    } catch {
        throw new Error(`no schema model for apiVersion ${av} (${obj.kind} ${obj.metadata?.name})`);
    }
    const Model = models[obj.kind];
    if (!Model) throw new Error(`no schema model for ${av} ${obj.kind}`);
    new Model(obj).validate();
}
