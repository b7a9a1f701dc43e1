import Ajv from "ajv";
import type { K8sObject } from "../../policies/lib/k8s";
import { CILIUM_NETWORK_POLICY_SCHEMA } from "./ciliumSchema";

/** Where the typed models of each apiVersion live (core from kubernetes-models, CRDs from @kubernetes-models/*). */
const MODULES: Record<string, string> = {
    "keda.sh": "@kubernetes-models/keda/keda.sh",
    "cert-manager.io": "@kubernetes-models/cert-manager/cert-manager.io",
    "monitoring.coreos.com": "@kubernetes-models/prometheus-operator/monitoring.coreos.com",
    "external-secrets.io": "@kubernetes-models/external-secrets/external-secrets.io",
    "generators.external-secrets.io": "@kubernetes-models/external-secrets/generators.external-secrets.io",
};

/**
 * External Secrets promoted v1beta1 to v1 with the same fields, less the v1 template engine; the model
 * package that supports Node 20 has v1beta1 only, so a v1 object is validated against it under that
 * apiVersion, and the template engine is checked here.
 */
const SAME_SCHEMA_AS: Record<string, string> = { "external-secrets.io/v1": "external-secrets.io/v1beta1" };

function checkExternalSecretsV1(obj: K8sObject): void {
    const engine = obj.spec?.target?.template?.engineVersion;
    if (obj.apiVersion === "external-secrets.io/v1" && engine !== undefined && engine !== "v2") {
        throw new Error(
            `${obj.kind} ${obj.metadata?.name}: spec.target.template.engineVersion is ${JSON.stringify(engine)}; external-secrets.io/v1 has only "v2"`,
        );
    }
}

const ajv = new Ajv({ allErrors: true });
/** Validators for kinds with no model package for Node 20. */
const LOCAL_SCHEMAS: Record<string, ReturnType<typeof ajv.compile>> = {
    "cilium.io/v2/CiliumNetworkPolicy": ajv.compile(CILIUM_NETWORK_POLICY_SCHEMA),
};

/** The model packages are ES modules only; a real dynamic import (not one compiled to require) loads them. */
const esmImport = new Function("specifier", "return import(specifier)") as (s: string) => Promise<never>;

/**
 * Validates an object against the Kubernetes (or CRD) schema of its apiVersion and kind.
 * Throws on a schema error, and on an apiVersion with no known model, so nothing goes unchecked.
 */
export async function validateAgainstSchema(obj: K8sObject): Promise<void> {
    const local = LOCAL_SCHEMAS[`${obj.apiVersion}/${obj.kind}`];
    if (local) {
        if (!local(obj)) throw new Error(`${obj.kind} ${obj.metadata?.name}: ${ajv.errorsText(local.errors)}`);
        return;
    }
    checkExternalSecretsV1(obj);
    const av = SAME_SCHEMA_AS[obj.apiVersion ?? ""] ?? obj.apiVersion ?? "";
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
    new Model({ ...obj, apiVersion: av }).validate();
}
