import { describe, isRecord, type K8sObject, nameOf, namespaceOf, podTemplate, record, records, str } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";
import { resourceSet } from "../../lib/resourceSet";
import { externalSecretTarget, secretRefs } from "../../lib/secretRefs";

/** Secrets a workload or a KEDA TriggerAuthentication reads, each with where it reads it (`container "api" env DATABASE_URL`). */
function secretsRead(obj: K8sObject): { name: string; where: string }[] {
    const out: { name: string; where: string }[] = [];
    if (obj.kind === "TriggerAuthentication") {
        for (const r of records(record(obj.spec).secretTargetRef)) {
            const name = str(r.name);
            if (name) out.push({ name, where: `secretTargetRef ${str(r.parameter) ?? "?"}` });
        }
        return out;
    }
    const pod = podTemplate(obj);
    if (!pod) return out;
    for (const r of secretRefs(pod.spec)) {
        if (r.optional) continue;
        const where =
            r.via === "volume" ? `volume ${r.volume ?? "?"}` : r.via === "env" ? `${r.container} env ${r.variable ?? "?"}` : `${r.container} envFrom`;
        out.push({ name: r.name, where });
    }
    return out;
}

/** A Secret's `data` or `stringData` that is set but not a map; `null`, as a chart renders an empty `data:`, is unset. */
const malformed = (v: unknown): boolean => v !== undefined && v !== null && !isRecord(v);

/** Names of the Secrets each namespace gets from a controller: External Secrets' targets and cert-manager's certificates. */
function producedSecrets(objects: readonly K8sObject[]): Set<string> {
    const out = new Set<string>();
    for (const o of objects) {
        const spec = record(o.spec);
        if (o.kind === "ExternalSecret") out.add(`${namespaceOf(o)}/${externalSecretTarget(o)}`);
        if (o.kind === "Certificate" && str(spec.secretName)) out.add(`${namespaceOf(o)}/${spec.secretName}`);
    }
    return out;
}

/**
 * Checklist 6.1.2: secret values live in the secret manager and reach the cluster through External
 * Secrets, never through manifests or stack state. No Secret of the resource set carries data; every
 * Secret a workload or TriggerAuthentication reads (env, envFrom, volumes; optional references aside)
 * is the target of an ExternalSecret, a cert-manager Certificate's Secret (a generator in the cluster),
 * a Secret of the resource set without data (a service-account token), or one the pack config lists as
 * provided outside the stack. Image pull secrets, read by the kubelet, are not judged here.
 */
export const requireExternalSecrets = defineRule<{ externalSecrets: string[] }>({
    scope: "stack",
    name: "require-external-secrets",
    description:
        "No Secret carries data in the manifests, and every Secret a workload or KEDA TriggerAuthentication reads is written by an ExternalSecret or a cert-manager Certificate (or is listed as provided outside the stack).",
    severity: "high",
    enforcementLevel: "advisory",
    remediationSteps:
        "Store the value in the cloud's secret manager and create the Secret with an ExternalSecret (target.name the Secret's name, a template for composed values such as connection URLs); list Secrets another system provides in externalSecrets.",
    checklist: ["6.1.2"],
    settings: {
        externalSecrets: {
            type: "array",
            items: { type: "string" },
            description: 'Secrets provided outside the stack, as "namespace/name".',
            default: [],
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        const produced = producedSecrets(objects);
        // A Secret of the resource set is reported on itself when it carries data; its readers are not reported again.
        const declared = new Set(
            resourceSet(objects)
                .ofKind("Secret")
                .map((o) => `${namespaceOf(o)}/${nameOf(o)}`),
        );
        for (const obj of objects) {
            if (obj.kind === "Secret") {
                const keys = [...Object.keys(record(obj.data)), ...Object.keys(record(obj.stringData))];
                if (keys.length > 0 || malformed(obj.data) || malformed(obj.stringData))
                    out.push({
                        object: obj,
                        message: `${describe(obj)}: carries its values in the manifest (${keys.length > 0 ? `keys ${[...new Set(keys)].join(", ")}` : "data"}); create it from an ExternalSecret that reads the secret manager`,
                    });
                continue;
            }
            for (const read of secretsRead(obj)) {
                const id = `${namespaceOf(obj)}/${read.name}`;
                if (produced.has(id) || declared.has(id) || cfg.externalSecrets.includes(id)) continue;
                out.push({
                    object: obj,
                    message: `${describe(obj)}: ${read.where} reads Secret ${read.name}, which no ExternalSecret or Certificate of the resource set writes; create it with an ExternalSecret`,
                });
            }
        }
        return out;
    },
});
