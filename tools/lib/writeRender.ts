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

const RENDER_MARK = "resources.json";

/** Writes a render: one YAML per namespace plus cluster.yaml, cloud.json, resources.json, outputs.json. */
export function writeRender(result: RenderResult, outDir: string, extraFiles: Record<string, string> = {}): string[] {
    if (fs.existsSync(outDir)) {
        const entries = fs.readdirSync(outDir);
        if (entries.length > 0 && !entries.includes(RENDER_MARK)) {
            throw new InputError(`refusing to write into ${outDir}: it is not empty and holds no earlier render (${RENDER_MARK})`);
        }
        for (const e of entries) if (/\.(ya?ml|json|mmd)$/.test(e)) fs.rmSync(path.join(outDir, e));
    }
    fs.mkdirSync(outDir, { recursive: true });

    const files = new Map<string, K8sObject[]>();
    for (const obj of sortObjects(kubernetesObjects(result, { redacted: true }))) {
        const f = fileFor(obj);
        if (!files.has(f)) files.set(f, []);
        files.get(f)!.push(redact(obj));
    }
    const written: string[] = [];
    const write = (name: string, text: string) => {
        fs.writeFileSync(path.join(outDir, name), text);
        written.push(name);
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
    write(RENDER_MARK, JSON.stringify(all, null, 2) + "\n");
    const outputs = Object.fromEntries(
        Object.entries(result.outputs).map(([k, v]) => [k, result.secretOutputs.includes(k) ? SECRET_PLACEHOLDER : v]),
    );
    write("outputs.json", JSON.stringify(outputs, null, 2) + "\n");
    for (const [name, text] of Object.entries(extraFiles)) write(name, text);
    return written;
}
