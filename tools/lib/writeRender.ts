import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { namespaceOf, nameOf, type K8sObject } from "../../policies/lib/k8s";
import { cloudResources, kubernetesObjects, type RenderResult } from "./render";
import { InputError, SECRET_PLACEHOLDER } from "./stackConfig";

export const REDACTED = "[redacted]";

/** Apply order of kinds, so a file reads top-down the way a cluster is built. */
const KIND_ORDER = [
    "Namespace",
    "ResourceQuota",
    "LimitRange",
    "PriorityClass",
    "StorageClass",
    "ClusterRole",
    "ClusterRoleBinding",
    "Role",
    "RoleBinding",
    "ServiceAccount",
    "SecretStore",
    "ClusterSecretStore",
    "ExternalSecret",
    "Secret",
    "ConfigMap",
    "PersistentVolumeClaim",
    "Service",
    "StatefulSet",
    "Deployment",
    "Job",
    "CronJob",
    "HorizontalPodAutoscaler",
    "TriggerAuthentication",
    "ScaledObject",
    "PodDisruptionBudget",
    "NetworkPolicy",
    "ClusterIssuer",
    "Certificate",
    "Ingress",
    "ServiceMonitor",
    "PodMonitor",
    "PrometheusRule",
];

const rank = (kind: string) => {
    const i = KIND_ORDER.indexOf(kind);
    return i === -1 ? KIND_ORDER.length : i;
};

export function sortObjects(objects: readonly K8sObject[]): K8sObject[] {
    return [...objects].sort((a, b) => rank(a.kind) - rank(b.kind) || a.kind.localeCompare(b.kind) || nameOf(a).localeCompare(nameOf(b)));
}

/** The file a rendered object is written to: its namespace, or `cluster.yaml`. */
export const fileFor = (obj: K8sObject): string => `${namespaceOf(obj) ?? "cluster"}.yaml`;

/** A copy with Secret payloads replaced: rendered files never carry credentials. */
export function redact(obj: K8sObject): K8sObject {
    if (obj.kind !== "Secret") return obj;
    const out: K8sObject = { ...obj };
    for (const field of ["data", "stringData"]) {
        if (obj[field] && typeof obj[field] === "object") {
            out[field] = Object.fromEntries(Object.keys(obj[field]).map((k) => [k, REDACTED]));
        }
    }
    return out;
}

/** The list of what a render wrote, kept in the output directory: the only files a later render may replace. */
export const RENDER_MANIFEST = ".render-manifest.json";

interface RenderManifest {
    readonly writtenBy: string;
    /** File name → sha256 of the content render wrote. */
    readonly files: Record<string, string>;
}

const WRITTEN_BY = "voting-platform render";
const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

function readManifest(outDir: string): RenderManifest | undefined {
    const file = path.join(outDir, RENDER_MANIFEST);
    if (!fs.existsSync(file)) return undefined;
    try {
        const m = JSON.parse(fs.readFileSync(file, "utf8")) as RenderManifest;
        if (m.writtenBy === WRITTEN_BY && m.files && typeof m.files === "object") return m;
    } catch {
        // Unreadable: treated as absent, so nothing is removed.
    }
    throw new InputError(`refusing to write into ${outDir}: its ${RENDER_MANIFEST} is not one render wrote`);
}

/**
 * The files of an earlier render in `outDir`, which a new render may replace: none when the directory
 * is missing or empty. Anything render did not write (another file, a subdirectory, one of its files
 * changed since) is an InputError; nothing is removed here.
 */
export function earlierRender(outDir: string): string[] {
    let st: fs.Stats;
    try {
        st = fs.statSync(outDir);
    } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new InputError(`cannot use --out ${outDir}: ${(e as NodeJS.ErrnoException).code}`);
        return [];
    }
    if (!st.isDirectory()) throw new InputError(`--out ${outDir} is not a directory; name a new or empty directory`);
    const entries = fs.readdirSync(outDir).sort();
    if (entries.length === 0) return [];
    const manifest = readManifest(outDir);
    if (!manifest) {
        throw new InputError(
            `refusing to write into ${outDir}: it is not empty and holds no earlier render (${RENDER_MANIFEST}); name a new or empty directory`,
        );
    }
    const foreign = entries.filter((e) => e !== RENDER_MANIFEST && !Object.hasOwn(manifest.files, e));
    if (foreign.length > 0) {
        throw new InputError(
            `refusing to write into ${outDir}: it holds ${foreign[0]}${foreign.length > 1 ? ` and ${foreign.length - 1} more` : ""}, which render did not write`,
        );
    }
    for (const name of entries.filter((e) => e !== RENDER_MANIFEST)) {
        const file = path.join(outDir, name);
        const lst = fs.lstatSync(file);
        if (!lst.isFile() || sha256(fs.readFileSync(file)) !== manifest.files[name]) {
            throw new InputError(`refusing to write into ${outDir}: ${name} changed since render wrote it; move it away first`);
        }
    }
    return entries;
}

/**
 * Writes a render: one YAML per namespace plus cluster.yaml, cloud.json, resources.json, outputs.json,
 * and the manifest of what it wrote (with each file's hash), so that the next render replaces exactly these.
 */
export function writeRender(result: RenderResult, outDir: string, extraFiles: Record<string, string> = {}): string[] {
    for (const name of earlierRender(outDir)) fs.rmSync(path.join(outDir, name));
    fs.mkdirSync(outDir, { recursive: true });

    const files = new Map<string, K8sObject[]>();
    for (const obj of sortObjects(kubernetesObjects(result, { redacted: true }))) {
        const f = fileFor(obj);
        if (!files.has(f)) files.set(f, []);
        files.get(f)!.push(redact(obj));
    }
    const written: string[] = [];
    const hashes: Record<string, string> = {};
    const write = (name: string, text: string) => {
        fs.writeFileSync(path.join(outDir, name), text);
        written.push(name);
        hashes[name] = sha256(text);
    };
    for (const [name, objs] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
        write(name, objs.map((o) => stringify(o, { lineWidth: 0 })).join("---\n"));
    }
    const cloud = cloudResources(result).map(({ type, name, parent, redactedInputs, options }) => ({
        type,
        name,
        parent,
        inputs: redactedInputs,
        options,
    }));
    write("cloud.json", JSON.stringify(cloud, null, 2) + "\n");
    const all = result.resources.map(({ type, name, parent, custom, provider, options }) => ({ type, name, parent, custom, provider, options }));
    write("resources.json", JSON.stringify(all, null, 2) + "\n");
    const outputs = Object.fromEntries(
        Object.entries(result.outputs).map(([k, v]) => [k, result.secretOutputs.includes(k) ? SECRET_PLACEHOLDER : v]),
    );
    write("outputs.json", JSON.stringify(outputs, null, 2) + "\n");
    for (const [name, text] of Object.entries(extraFiles)) write(name, text);
    const manifest: RenderManifest = { writtenBy: WRITTEN_BY, files: hashes };
    fs.writeFileSync(path.join(outDir, RENDER_MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
    return written;
}
