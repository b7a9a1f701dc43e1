import type * as pulumi from "@pulumi/pulumi";
import { fromPulumiType, isClusterScoped } from "../../policies/lib/k8s";

/** A kind the program renders, as RBAC names it: API group and plural resource. */
export interface DeployedResource {
    readonly group: string;
    readonly resource: string;
    readonly kind: string;
}

/** Plurals that do not follow the lowercase-plus-s rule (Kubernetes pluralises y to ies and s to ses). */
const IRREGULAR: Readonly<Record<string, string>> = { Endpoints: "endpoints" };

/** The plural resource name RBAC uses for a kind: `NetworkPolicy` → `networkpolicies`, `Ingress` → `ingresses`. */
export function resourceOf(kind: string): string {
    if (IRREGULAR[kind]) return IRREGULAR[kind];
    const lower = kind.toLowerCase();
    if (lower.endsWith("y")) return `${lower.slice(0, -1)}ies`;
    if (lower.endsWith("s")) return `${lower}es`;
    return `${lower}s`;
}

/**
 * Records every Kubernetes object the program registers, by namespace (cluster-scoped ones apart), with
 * the names of each kind. Registered as a transformation on the platform component, it sees each child
 * as it is constructed, so the deploy role can be built from exactly what the program renders.
 */
export class DeployedKinds {
    private readonly byNamespace = new Map<string, Map<string, DeployedResource & { names: Set<string> }>>();

    /** The transformation to register on the component whose children are deployed. */
    readonly transformation: pulumi.ResourceTransformation = (args) => {
        const t = fromPulumiType(args.type);
        const meta = (args.props as { metadata?: { name?: unknown; namespace?: unknown } }).metadata ?? {};
        if (!t) return undefined;
        const ns = isClusterScoped({ kind: t.kind }) ? "" : typeof meta.namespace === "string" ? meta.namespace : "default";
        this.record(ns, t.apiVersion, t.kind, typeof meta.name === "string" ? meta.name : undefined);
        return undefined;
    };

    record(namespace: string, apiVersion: string, kind: string, name?: string): void {
        const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
        if (!this.byNamespace.has(namespace)) this.byNamespace.set(namespace, new Map());
        const kinds = this.byNamespace.get(namespace)!;
        const key = `${group}/${kind}`;
        if (!kinds.has(key)) kinds.set(key, { group, resource: resourceOf(kind), kind, names: new Set() });
        if (name) kinds.get(key)!.names.add(name);
    }

    /** The namespaces objects are deployed in, sorted (cluster-scoped objects are not in one). */
    namespaces(): string[] {
        return [...this.byNamespace.keys()].filter((ns) => ns !== "").sort();
    }

    /** What is deployed in a namespace (`""`: cluster-scoped), sorted by group and resource, with object names. */
    in(namespace: string): (DeployedResource & { names: string[] })[] {
        return [...(this.byNamespace.get(namespace)?.values() ?? [])]
            .map((r) => ({ group: r.group, resource: r.resource, kind: r.kind, names: [...r.names].sort() }))
            .sort((a, b) => `${a.group}/${a.resource}`.localeCompare(`${b.group}/${b.resource}`));
    }
}
