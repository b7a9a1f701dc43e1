/**
 * PostgreSQL and Redis servers in pod specs, their settings as the server process reads them, and the
 * containers that connect to them.
 *
 * A container is a server when the process it starts is `postgres` or `redis-server`: its command (or,
 * with no command, the official image's entrypoint applied to its args) names the executable. A shell
 * script that starts the server is not read. Bitnami's images take their settings from environment
 * variables, not arguments: they are recognised, and only the environment settings are judged.
 */
import {
    type ContainerRef,
    containersOf,
    isRecord,
    type K8sObject,
    namespaceOf,
    podTemplate,
    type PodTemplate,
    record,
    records,
    str,
    strings,
} from "./k8s";
import { resourceSet } from "./resourceSet";

export type Engine = "postgres" | "redis";

export interface ServerContainer {
    readonly engine: Engine;
    readonly pod: PodTemplate;
    readonly container: ContainerRef;
    /** The process's argument vector (executable first), or undefined when an image's scripts build it from env. */
    readonly argv?: readonly string[];
}

const basename = (s: string) => s.slice(s.lastIndexOf("/") + 1);

/** An image's repository without registry tag or digest: `docker.io/library/postgres:16@sha256:…` → `docker.io/library/postgres`. */
export function imageRepository(image: unknown): string {
    const s = str(image) ?? "";
    const noDigest = s.split("@")[0];
    const lastSlash = noDigest.lastIndexOf("/");
    const colon = noDigest.indexOf(":", lastSlash + 1);
    return colon < 0 ? noDigest : noDigest.slice(0, colon);
}

const IMAGES: Readonly<Record<Engine, { names: readonly string[]; executables: readonly string[] }>> = {
    // The official image, the images built on its entrypoint (PostGIS, TimescaleDB), and Bitnami's.
    postgres: { names: ["postgres", "postgis", "timescaledb", "postgresql"], executables: ["postgres", "postmaster"] },
    redis: { names: ["redis"], executables: ["redis-server"] },
};

const ENTRYPOINTS = ["docker-entrypoint.sh", "docker-entrypoint", "entrypoint.sh"];

/** What the official images' entrypoints do with arguments: options (and, for Redis, a config file) go to the server. */
function entrypointArgv(engine: Engine, args: string[]): string[] {
    const exe = IMAGES[engine].executables[0];
    if (args.length === 0) return [exe];
    if (args[0].startsWith("-") || (engine === "redis" && args[0].endsWith(".conf"))) return [exe, ...args];
    return args;
}

/** The engine and argument vector of a container that starts a PostgreSQL or Redis server, else undefined. */
export function serverProcess(container: unknown): { engine: Engine; argv?: string[] } | undefined {
    const c = record(container);
    const command = strings(c.command);
    const args = strings(c.args);
    const repo = imageRepository(c.image);
    const name = basename(repo);
    const official = (Object.keys(IMAGES) as Engine[]).find((e) => IMAGES[e].names.includes(name));
    let argv: string[];
    if (command.length > 0) {
        argv = [...command, ...args];
        if (ENTRYPOINTS.includes(basename(argv[0])) && official) argv = entrypointArgv(official, argv.slice(1));
    } else if (official && /(^|\/)bitnami(docker)?\//.test(repo)) {
        return { engine: official };
    } else if (official) {
        argv = entrypointArgv(official, args);
    } else {
        argv = args;
    }
    if (argv.length === 0) return undefined;
    const exe = basename(argv[0]);
    const engine = (Object.keys(IMAGES) as Engine[]).find((e) => IMAGES[e].executables.includes(exe));
    return engine ? { engine, argv } : undefined;
}

/** Every PostgreSQL or Redis server container of a workload (init containers included: a sidecar may be one). */
export function serversOf(obj: K8sObject, engine?: Engine): ServerContainer[] {
    const pod = podTemplate(obj);
    if (!pod) return [];
    const out: ServerContainer[] = [];
    for (const c of containersOf(pod.spec)) {
        if (c.kind === "ephemeralContainer") continue;
        const p = serverProcess(c.container);
        if (p && (engine === undefined || p.engine === engine))
            out.push({ engine: p.engine, pod, container: c, ...(p.argv ? { argv: p.argv } : {}) });
    }
    return out;
}

// An argument reaches postgres as written: `-c ssl='on'` sets ssl to 'on' with its quotes, which it refuses.

/**
 * PostgreSQL's run-time settings from its arguments: `-c name=value`, `-cname=value`, `--name=value`
 * and `-N` (max_connections). Names lower-cased with dashes as underscores, as the server reads them; a
 * later setting wins. Values are kept as written, quotes included (no shell removes them).
 */
export function postgresSettings(argv: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    const put = (assignment: string | undefined) => {
        if (assignment === undefined) return;
        const eq = assignment.indexOf("=");
        if (eq <= 0) return;
        out.set(assignment.slice(0, eq).trim().toLowerCase().replace(/-/g, "_"), assignment.slice(eq + 1).trim());
    };
    for (let i = 1; i < argv.length; i++) {
        const t = argv[i];
        if (t === "-c") put(argv[++i]);
        else if (t.startsWith("-c")) put(t.slice(2));
        else if (t.startsWith("--")) put(t.slice(2));
        else if (t === "-N" && argv[i + 1] !== undefined) out.set("max_connections", argv[++i]);
    }
    return out;
}

/** One client authentication line of a pg_hba.conf. */
export interface HbaEntry {
    /** 1-based line number in the file. */
    readonly line: number;
    /** `local`, `host`, `hostssl`, `hostnossl`, `hostgssenc` or `hostnogssenc`. */
    readonly type: string;
    /** The address field of a `host*` line, with its mask when one follows (`127.0.0.1 255.255.255.255`). */
    readonly address?: string;
    readonly method?: string;
    /** The line's words, as written, without its comment. */
    readonly text: string;
}

const IP = /^(\d+\.\d+\.\d+\.\d+|[0-9a-f]*:[0-9a-f:.]*)$/i;

/**
 * The client authentication lines of a pg_hba.conf: `local DATABASE USER METHOD` and
 * `host* DATABASE USER ADDRESS [MASK] METHOD` (a mask follows an address written without a prefix length).
 * Comments, blank lines and `include` directives are left out.
 */
export function hbaEntries(text: string): HbaEntry[] {
    const out: HbaEntry[] = [];
    text.split(/\r?\n/).forEach((raw, i) => {
        const words = raw.replace(/#.*/, "").trim().split(/\s+/).filter(Boolean);
        const [type] = words;
        if (type === "local") out.push({ line: i + 1, type, method: words[3], text: words.join(" ") });
        else if (type !== undefined && type.startsWith("host")) {
            const masked = words[3] !== undefined && IP.test(words[3]) && words[4] !== undefined && IP.test(words[4]);
            const address = masked ? `${words[3]} ${words[4]}` : words[3];
            out.push({ line: i + 1, type, address, method: words[masked ? 5 : 4], text: words.join(" ") });
        }
    });
    return out;
}

/** PostgreSQL's reading of a boolean setting (on, off, true, false, yes, no, 1, 0, and unique prefixes), else undefined. */
export function pgBoolean(v: string | undefined): boolean | undefined {
    if (v === undefined) return undefined;
    const s = v.trim().toLowerCase();
    if (s === "") return undefined;
    if (["on", "1"].includes(s) || (s.length >= 1 && ("true".startsWith(s) || "yes".startsWith(s)))) return true;
    if (["off", "0"].includes(s) || (s.length >= 2 && "off".startsWith(s)) || "false".startsWith(s) || "no".startsWith(s)) return false;
    return undefined;
}

/** Splits a configuration line into words, as Redis does: double or single quotes group words. */
export function splitWords(line: string): string[] {
    const out: string[] = [];
    const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
    for (const m of line.matchAll(re)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? m[3]));
    return out;
}

/** A mounted file's content, read from the ConfigMap or Secret of the resource set that backs its volume. */
export interface MountedFile {
    readonly path: string;
    /** Where the content comes from (`ConfigMap voting-data/redis-config key redis.conf`), when found. */
    readonly source?: string;
    readonly content?: string;
}

const decodeBase64 = (v: unknown) => (typeof v === "string" ? Buffer.from(v, "base64").toString("utf8") : undefined);

/** The text of one key of a ConfigMap or Secret of the resource set (a Secret's `data` decoded). */
export function keyValue(
    objects: readonly K8sObject[],
    kind: "ConfigMap" | "Secret",
    namespace: string | undefined,
    name: string,
    key: string,
): string | undefined {
    const o = resourceSet(objects).find(kind, namespace, name);
    if (!o) return undefined;
    if (kind === "ConfigMap") return str(record(o.data)[key]);
    return str(record(o.stringData)[key]) ?? decodeBase64(record(o.data)[key]);
}

/** The file at `path` in a container, when a ConfigMap or Secret volume of the resource set provides it. */
export function mountedFile(pod: PodTemplate, container: ContainerRef, path: string, objects: readonly K8sObject[]): MountedFile {
    const mounts = records(container.container.volumeMounts)
        .filter((m) => typeof m.mountPath === "string")
        .filter((m) =>
            str(m.subPath) ? path === m.mountPath : path === m.mountPath || path.startsWith(`${String(m.mountPath).replace(/\/$/, "")}/`),
        )
        .sort((a, b) => String(b.mountPath).length - String(a.mountPath).length);
    const m = mounts[0];
    if (!m) return { path };
    const volume = records(pod.spec?.volumes).find((v) => v.name === m.name);
    if (!volume) return { path };
    const rel = str(m.subPath) ?? path.slice(String(m.mountPath).replace(/\/$/, "").length + 1);
    const sources: { kind: "ConfigMap" | "Secret"; name?: string; items: unknown }[] = [];
    if (isRecord(volume.configMap)) sources.push({ kind: "ConfigMap", name: str(volume.configMap.name), items: volume.configMap.items });
    if (isRecord(volume.secret)) sources.push({ kind: "Secret", name: str(volume.secret.secretName), items: volume.secret.items });
    for (const s of records(record(volume.projected).sources)) {
        if (isRecord(s.configMap)) sources.push({ kind: "ConfigMap", name: str(s.configMap.name), items: s.configMap.items });
        if (isRecord(s.secret)) sources.push({ kind: "Secret", name: str(s.secret.name), items: s.secret.items });
    }
    const ns = namespaceOf(pod.object);
    for (const s of sources) {
        if (!s.name) continue;
        const items = records(s.items);
        const key = items.length > 0 ? str(items.find((i) => i.path === rel)?.key) : rel;
        if (key === undefined) continue;
        const content = keyValue(objects, s.kind, ns, s.name, key);
        if (content !== undefined) return { path, source: `${s.kind} ${ns}/${s.name} key ${key}`, content };
    }
    return { path };
}

/** Redis's configuration: each directive with the words of every time it is given, file first, then arguments. */
export interface RedisConfig {
    readonly directives: ReadonlyMap<string, readonly string[][]>;
    /** The config file named on the command line, and whether the pack could read it. */
    readonly file?: MountedFile;
}

/**
 * The configuration a redis-server process runs with: the config file (when a ConfigMap or Secret of
 * the resource set provides it) and then the `--directive value…` arguments, which override it.
 */
export function redisConfig(server: ServerContainer, objects: readonly K8sObject[]): RedisConfig {
    const directives = new Map<string, string[][]>();
    const add = (name: string, words: string[]) => {
        const key = name.toLowerCase();
        directives.set(key, [...(directives.get(key) ?? []), words]);
    };
    const argv = server.argv ?? [];
    let i = 1;
    let file: MountedFile | undefined;
    if (argv[1] !== undefined && !argv[1].startsWith("-")) {
        file = mountedFile(server.pod, server.container, argv[1], objects);
        for (const line of (file.content ?? "").split(/\r?\n/)) {
            const words = splitWords(line.trim());
            if (words.length === 0 || words[0].startsWith("#")) continue;
            add(words[0], words.slice(1));
        }
        i = 2;
    }
    let current: { name: string; words: string[] } | undefined;
    const flush = () => current && add(current.name, current.words);
    for (; i < argv.length; i++) {
        if (argv[i].startsWith("--")) {
            flush();
            current = { name: argv[i].slice(2), words: [] };
        } else if (current) {
            current.words.push(argv[i]);
        }
    }
    flush();
    return { directives, ...(file ? { file } : {}) };
}

/** The last value given for a Redis directive, its words joined by spaces. */
export function redisValue(cfg: RedisConfig, name: string): string | undefined {
    const all = cfg.directives.get(name);
    return all && all.length > 0 ? all[all.length - 1].join(" ") : undefined;
}

/** Environment variable names a container defines (which `$(NAME)` in its command and args expands). */
export function envNames(container: unknown): Set<string> {
    return new Set(
        records(record(container).env)
            .map((e) => str(e.name))
            .filter((n): n is string => n !== undefined),
    );
}

/** A literal environment value of a container (`value:`), else undefined. */
export function literalEnv(container: unknown, name: string): string | undefined {
    const e = records(record(container).env).find((x) => x.name === name);
    return e ? str(e.value) : undefined;
}

/** Every `$(NAME)` reference in a text that names no variable of the container: Kubernetes leaves those as they are. */
export function unexpandedRefs(text: string, defined: ReadonlySet<string>): string[] {
    return [...text.matchAll(/(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g)].map((m) => m[1]).filter((n) => !defined.has(n));
}
