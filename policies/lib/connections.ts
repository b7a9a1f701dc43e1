/**
 * Which containers connect to which PostgreSQL or Redis server: environment values resolved through
 * Secrets, ExternalSecret templates and ConfigMaps of the resource set, connection URLs and PGHOST read
 * from them, and host names resolved to the workload a Service selects, as cluster DNS would.
 */
import { keyValue, serversOf, type Engine, type ServerContainer } from "./dataStores";
import { type ContainerRef, containersOf, isRecord, type K8sObject, namespaceOf, podTemplate, type PodTemplate, record, records, str } from "./k8s";
import { resourceSet } from "./resourceSet";
import { externalSecretTarget } from "./secretRefs";

/** An ExternalSecret's rendered Secret: the name it writes (`target.name`, else its own name) and its template's keys. */
function externalSecretValue(objects: readonly K8sObject[], namespace: string | undefined, name: string, key: string): string | undefined {
    for (const es of objects) {
        if (es.kind !== "ExternalSecret" || namespaceOf(es) !== namespace) continue;
        if (externalSecretTarget(es) !== name) continue;
        const value = str(record(record(record(record(es.spec).target).template).data)[key]);
        if (value !== undefined) return value;
    }
    return undefined;
}

/** The text a Secret key holds, from a Secret of the resource set or the template of the ExternalSecret that writes it. */
export function secretText(objects: readonly K8sObject[], namespace: string | undefined, name: string, key: string): string | undefined {
    return keyValue(objects, "Secret", namespace, name, key) ?? externalSecretValue(objects, namespace, name, key);
}

/**
 * A container's environment as far as the resource set tells it: literal values, and values from
 * Secret, ExternalSecret and ConfigMap keys (`env` and `envFrom`). Unknown values are left out.
 */
export function resolvedEnv(pod: PodTemplate, container: ContainerRef, objects: readonly K8sObject[]): Map<string, string> {
    const ns = namespaceOf(pod.object);
    const out = new Map<string, string>();
    for (const from of records(container.container.envFrom)) {
        const prefix = str(from.prefix) ?? "";
        const ref: { kind?: "ConfigMap" | "Secret"; name?: string } = isRecord(from.configMapRef)
            ? { kind: "ConfigMap", name: str(from.configMapRef.name) }
            : isRecord(from.secretRef)
              ? { kind: "Secret", name: str(from.secretRef.name) }
              : {};
        if (!ref.kind || !ref.name) continue;
        const source = resourceSet(objects).find(ref.kind, ns, ref.name);
        for (const key of Object.keys({ ...record(source?.data), ...record(source?.stringData) })) {
            const v = keyValue(objects, ref.kind, ns, ref.name, key);
            if (v !== undefined) out.set(prefix + key, v);
        }
    }
    for (const e of records(container.container.env)) {
        const name = str(e.name);
        if (name === undefined) continue;
        const from = record(e.valueFrom);
        const secret = record(from.secretKeyRef);
        const map = record(from.configMapKeyRef);
        const value =
            str(e.value) ??
            (str(secret.name) && str(secret.key) ? secretText(objects, ns, secret.name, secret.key) : undefined) ??
            (str(map.name) && str(map.key) ? keyValue(objects, "ConfigMap", ns, map.name, map.key) : undefined);
        if (value !== undefined) out.set(name, value);
        else out.delete(name);
    }
    return out;
}

export interface Endpoint {
    readonly engine: Engine;
    readonly host: string;
    /** Where the container names it: `env DATABASE_URL`, `env PGHOST`. */
    readonly via: string;
    /** The URL (template actions replaced by `…`), for URLs. */
    readonly url?: string;
}

const URL_RE = /\b(postgres(?:ql)?|rediss?):\/\/[^\s"'`]+/gi;

/** The hosts of a PostgreSQL or Redis URL (several for a multi-host PostgreSQL URL). */
export function urlHosts(url: string): string[] {
    const rest = url.slice(url.indexOf("://") + 3);
    const authority = rest.split(/[/?#]/)[0];
    const hosts = authority.slice(authority.lastIndexOf("@") + 1);
    return hosts
        .split(",")
        .map((h) => (h.startsWith("[") ? h.slice(0, h.indexOf("]") + 1) : h.split(":")[0]))
        .filter(Boolean);
}

/** The PostgreSQL and Redis servers a container's environment points at: connection URLs in any value, and PGHOST. */
export function endpointsOf(env: ReadonlyMap<string, string>): Endpoint[] {
    const out: Endpoint[] = [];
    for (const [name, raw] of env) {
        // A template action ({{ .password }}) stands for one value inside the URL.
        const value = raw.replace(/\{\{.*?\}\}/g, "…");
        for (const m of value.matchAll(URL_RE)) {
            const engine: Engine = m[1].toLowerCase().startsWith("redis") ? "redis" : "postgres";
            for (const host of urlHosts(m[0])) out.push({ engine, host, via: `env ${name}`, url: m[0] });
        }
        if (name === "PGHOST") for (const host of value.split(",").filter(Boolean)) out.push({ engine: "postgres", host, via: "env PGHOST" });
    }
    return out;
}

/**
 * The workloads a host name reaches inside the cluster: `svc`, `svc.ns`, `svc.ns.svc[.domain]`, or a
 * StatefulSet pod's `pod.svc.ns.svc.domain`, resolved to the Service and the pod templates it selects.
 */
export function workloadsAt(host: string, fromNamespace: string | undefined, objects: readonly K8sObject[]): K8sObject[] {
    const parts = host.toLowerCase().replace(/\.$/, "").split(".");
    // The `svc` label follows a Service's name and namespace; before them it is a name (a Service or namespace called svc).
    const svcAt = parts.indexOf("svc", 2);
    let service: string | undefined;
    let ns: string | undefined;
    if (svcAt >= 2) [service, ns] = [parts[svcAt - 2], parts[svcAt - 1]];
    else if (parts.length === 1) [service, ns] = [parts[0], fromNamespace];
    else if (parts.length === 2) [service, ns] = [parts[0], parts[1]];
    if (service === undefined) return [];
    const set = resourceSet(objects);
    const svc = set.find("Service", ns, service);
    const selector = record(record(svc?.spec).selector);
    if (!svc || Object.keys(selector).length === 0) return [];
    return set.workloadsMatching(ns, { matchLabels: selector }).map((p) => p.object);
}

export interface Client {
    readonly pod: PodTemplate;
    readonly container: ContainerRef;
    readonly env: ReadonlyMap<string, string>;
    readonly endpoint: Endpoint;
}

/** Every container of the resource set that connects to one of `server`'s servers of `engine` (the server itself excluded). */
export function clientsOf(server: K8sObject, engine: Engine, objects: readonly K8sObject[]): Client[] {
    const out: Client[] = [];
    for (const obj of objects) {
        const pod = podTemplate(obj);
        if (!pod || obj === server) continue;
        for (const c of containersOf(pod.spec)) {
            if (c.kind === "ephemeralContainer") continue;
            const env = resolvedEnv(pod, c, objects);
            const endpoint = endpointsOf(env).find((e) => e.engine === engine && workloadsAt(e.host, namespaceOf(obj), objects).includes(server));
            if (endpoint) out.push({ pod, container: c, env, endpoint });
        }
    }
    return out;
}

/** The workloads of the resource set that run a server of `engine`, each with its server containers. */
export function serverWorkloads(objects: readonly K8sObject[], engine: Engine): { workload: K8sObject; servers: ServerContainer[] }[] {
    return objects.map((o) => ({ workload: o, servers: serversOf(o, engine) })).filter((s) => s.servers.length > 0);
}
