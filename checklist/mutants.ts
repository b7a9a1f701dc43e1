/**
 * Mutants: named careless changes to the rendered prod stack, declared beside the checklist item they
 * break. The pack must block each one with a mandatory violation carrying that item's ID; a mutant
 * whose target is missing is an error, never a pass.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { podTemplate, type K8sObject } from "../policies/lib/k8s";
import type { CloudResource } from "../policies/lib/rule";

/** A non-Kubernetes resource as a mutant sees it (an S3 bucket, an EKS cluster): its type token, name and properties. */
export interface CloudResourceCopy extends CloudResource {
    props: Record<string, any>;
}

/** The mutant could not be applied to the stack: it names an object or field that is not there. */
export class MutantError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "MutantError";
    }
}

const refOf = (o: K8sObject) => (o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata?.name}` : `${o.metadata?.name}`);

/**
 * A deep copy of a rendered stack for one mutant to change. Lookups throw a MutantError when their
 * target is missing, so a mutant can never pass by changing nothing.
 */
export class StackCopy {
    readonly objects: K8sObject[];
    readonly cloud: CloudResourceCopy[];

    constructor(objects: readonly K8sObject[], cloud: readonly CloudResource[] = []) {
        this.objects = structuredClone([...objects]);
        this.cloud = structuredClone([...cloud]);
    }

    /** The object of `kind` named `ref`: `namespace/name`, or `name` for cluster-scoped objects. */
    object(kind: string, ref: string): K8sObject {
        const found = this.objects.find((o) => o.kind === kind && refOf(o) === ref);
        if (!found) throw new MutantError(`no ${kind} ${ref} in the rendered stack`);
        return found;
    }

    /** Removes the object of `kind` named `ref`. */
    remove(kind: string, ref: string): void {
        const target = this.object(kind, ref);
        this.objects.splice(this.objects.indexOf(target), 1);
    }

    /** Adds an object the careless change brings in (a binding, a ConfigMap). */
    add(obj: K8sObject): void {
        this.objects.push(structuredClone(obj));
    }

    /** The pod spec of a workload of any kind (Deployment, StatefulSet, Job, CronJob …). */
    podSpec(kind: string, ref: string): any {
        const spec = podTemplate(this.object(kind, ref))?.spec;
        if (!spec) throw new MutantError(`${kind} ${ref} has no pod spec`);
        return spec;
    }

    /** The container (or init container) named `name` of a workload. */
    container(kind: string, ref: string, name: string): any {
        const spec = this.podSpec(kind, ref);
        const found = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].find((c: any) => c.name === name);
        if (!found) throw new MutantError(`${kind} ${ref} has no container ${name}`);
        return found;
    }

    /** The environment variable `name` of a container. */
    env(container: any, name: string): any {
        const found = (container.env ?? []).find((e: any) => e.name === name);
        if (!found) throw new MutantError(`container ${container.name} has no env ${name}`);
        return found;
    }

    /** The cloud resource of Pulumi type `type` named `name`, for mutants of cloud rules. */
    cloudResource(type: string, name: string): CloudResourceCopy {
        const found = this.cloud.find((r) => r.type === type && r.name === name);
        if (!found) throw new MutantError(`no ${type} ${name} in the rendered stack`);
        return found;
    }
}

function walk(target: any, path: string): { parent: any; key: string } {
    const keys = path.split(".");
    let parent = target;
    for (const k of keys.slice(0, -1)) {
        if (parent?.[k] === undefined || parent[k] === null) throw new MutantError(`no field ${path} to change`);
        parent = parent[k];
    }
    return { parent, key: keys[keys.length - 1] };
}

/** Deletes a field that must be there (`securityContext.runAsNonRoot`); removing nothing is an error. */
export function unset(target: any, path: string): void {
    const { parent, key } = walk(target, path);
    if (!(key in parent)) throw new MutantError(`no field ${path} to remove`);
    delete parent[key];
}

/** Deletes a key that must be there from a map whose keys hold dots (labels, annotations). */
export function drop(map: Record<string, unknown> | undefined, key: string): void {
    if (!map || !(key in map)) throw new MutantError(`no key ${key} to remove`);
    delete map[key];
}

/** Sets a field whose parent must be there; the field may be new. */
export function set(target: any, path: string, value: unknown): void {
    const { parent, key } = walk(target, path);
    parent[key] = value;
}

export interface Mutant {
    /** The careless change, as a reader would say it: "the API runs as root". */
    readonly name: string;
    /** Changes the stack copy in place. */
    apply(stack: StackCopy): void;
    /**
     * Set only while the pack does not block this mutant: why. The item stays unmet, `npm run mutants`
     * counts the mutant as not blocked, and a test fails once the pack blocks it, so the note is removed.
     */
    readonly notBlockedYet?: string;
}

export function mutant(name: string, apply: (stack: StackCopy) => void, opts: { notBlockedYet?: string } = {}): Mutant {
    return { name, apply, ...opts };
}

/** A workload by kind and `namespace/name`, spread into StackCopy lookups: `s.podSpec(...API)`. */
export type WorkloadRef = readonly [kind: string, ref: string];

/** Drops the digest of a container's image, leaving it pinned by tag only. */
export function untagDigest(container: any): void {
    const [byTag] = String(container.image).split("@");
    if (byTag === container.image) throw new MutantError(`image ${container.image} has no digest to drop`);
    container.image = byTag;
}

/** Pulls the same tag and digest from another repository (`docker.io/someone/api`). */
export function moveImage(container: any, repository: string): void {
    const m = /^(.+?)((?::[^:/@]+)?(?:@.+)?)$/.exec(String(container.image));
    if (!m) throw new MutantError(`cannot read image ${container.image}`);
    container.image = `${repository}${m[2]}`;
}

/** Replaces an env var read from a Secret by the literal value. */
export function inlineSecret(env: any, value: string): void {
    if (!env.valueFrom?.secretKeyRef) throw new MutantError(`env ${env.name} is not read from a Secret`);
    delete env.valueFrom;
    env.value = value;
}

/** Adds the NetworkPolicies a careless change would add to let `from`'s pods reach `to`'s on `port`. */
export function allowFlow(s: StackCopy, from: WorkloadRef, to: WorkloadRef, port: number): void {
    const side = (w: WorkloadRef) => {
        const obj = s.object(...w);
        const labels = obj.spec?.selector?.matchLabels;
        if (!labels) throw new MutantError(`${w[0]} ${w[1]} has no selector labels`);
        return { namespace: obj.metadata!.namespace!, name: obj.metadata!.name!, labels };
    };
    const a = side(from);
    const b = side(to);
    const peer = (p: typeof a) => ({
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": p.namespace } },
        podSelector: { matchLabels: p.labels },
    });
    const ports = [{ port, protocol: "TCP" }];
    s.add({
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: `allow-${a.name}-to-${b.name}`, namespace: a.namespace },
        spec: { podSelector: { matchLabels: a.labels }, policyTypes: ["Egress"], egress: [{ to: [peer(b)], ports }] },
    });
    s.add({
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: `allow-${a.name}-to-${b.name}`, namespace: b.namespace },
        spec: { podSelector: { matchLabels: b.labels }, policyTypes: ["Ingress"], ingress: [{ from: [peer(a)], ports }] },
    });
}
