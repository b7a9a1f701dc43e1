import { containersOf, type K8sObject, nameOf, record, records, str } from "./k8s";

/** The Secret an ExternalSecret writes: `spec.target.name`, else the ExternalSecret's own name. */
export function externalSecretTarget(es: K8sObject): string {
    return str(record(record(es.spec).target).name) ?? nameOf(es);
}

/** One place a pod spec reads a Secret. */
export interface SecretRef {
    readonly name: string;
    readonly via: "env" | "envFrom" | "volume";
    /** The reference's `optional: true`: the pod starts without the Secret. */
    readonly optional: boolean;
    /** The container that reads it through its environment, as `container "api"`. */
    readonly container?: string;
    /** The variable an `env` entry sets. */
    readonly variable?: string;
    /** The volume that holds it, and whether a container mounts that volume. */
    readonly volume?: string;
    readonly mounted?: boolean;
}

/**
 * Every Secret a pod spec reads, in order: each container's `env` entries (`secretKeyRef`) and `envFrom`
 * (`secretRef`), then the volumes (`secret`, and `secret` sources of a `projected` volume). References
 * without a name are left out.
 */
export function secretRefs(spec: unknown): SecretRef[] {
    const out: SecretRef[] = [];
    const containers = containersOf(spec);
    for (const c of containers) {
        for (const e of records(c.container.env)) {
            const ref = record(record(e.valueFrom).secretKeyRef);
            const name = str(ref.name);
            if (name) out.push({ name, via: "env", optional: ref.optional === true, container: c.label, variable: str(e.name) });
        }
        for (const f of records(c.container.envFrom)) {
            const ref = record(f.secretRef);
            const name = str(ref.name);
            if (name) out.push({ name, via: "envFrom", optional: ref.optional === true, container: c.label });
        }
    }
    const mounts = new Set(containers.flatMap((c) => records(c.container.volumeMounts).map((m) => m.name)));
    for (const v of records(record(spec).volumes)) {
        const sources = [
            { name: record(v.secret).secretName, optional: record(v.secret).optional },
            ...records(record(v.projected).sources).map((s) => record(s.secret)),
        ];
        for (const s of sources) {
            const name = str(s.name);
            if (name) out.push({ name, via: "volume", optional: s.optional === true, volume: str(v.name), mounted: mounts.has(v.name) });
        }
    }
    return out;
}
