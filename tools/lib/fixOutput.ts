/**
 * Writes manifests with the pack's fixes applied (`check --fix --out <dir>`): every input file is written
 * under the output directory at its path relative to the inputs' common directory. A document with no fixed
 * object keeps its text, comments included; a fixed one is written anew. Inputs are never overwritten.
 */
import * as fs from "fs";
import * as path from "path";
import { Document, parseAllDocuments } from "yaml";
import type { K8sObject } from "../../policies/lib/k8s";
import { InputError } from "./stackConfig";

/** The directory every file is under. */
function commonDir(files: readonly string[]): string {
    const dirs = files.map((f) => path.dirname(path.resolve(f)).split(path.sep));
    const first = dirs[0] ?? [];
    let n = first.length;
    for (const d of dirs) {
        let i = 0;
        while (i < n && i < d.length && d[i] === first[i]) i++;
        n = i;
    }
    return first.slice(0, n).join(path.sep) || path.sep;
}

/** Where each input file goes under `out`; refuses any target that is an input file. */
export function fixTargets(files: readonly string[], out: string): Map<string, string> {
    const base = commonDir(files);
    const inputs = new Set(files.map((f) => path.resolve(f)));
    const targets = new Map<string, string>();
    for (const f of files) {
        const target = path.join(path.resolve(out), path.relative(base, path.resolve(f)));
        if (inputs.has(target)) throw new InputError(`--out ${out} would overwrite the input ${f}; write the fixed files to another directory`);
        targets.set(f, target);
    }
    return targets;
}

/** Rebuilds a document's value with its Kubernetes objects, in order, taken from `next` (List items included). */
function rebuild(value: unknown, next: () => K8sObject): unknown {
    if (!value || typeof value !== "object" || Array.isArray(value)) return value;
    const obj = value as K8sObject;
    if (typeof obj.kind !== "string" || obj.kind === "") return value;
    if (/List$/.test(obj.kind) && Array.isArray(obj.items)) return { ...obj, items: obj.items.map((i: unknown) => rebuild(i, next)) };
    return next();
}

/**
 * The text of a manifest file with its objects replaced, in load order, by `objects` (the same objects where
 * nothing changed). Each document keeps its own text unless one of its objects changed; a changed one keeps
 * its document marker and the comments above it.
 */
export function fixedText(text: string, originals: readonly K8sObject[], objects: readonly K8sObject[], json: boolean): string {
    if (!objects.some((o, i) => o !== originals[i])) return text;
    let i = 0;
    const docs = parseAllDocuments(text, { uniqueKeys: false });
    const out: string[] = [];
    docs.forEach((doc, k) => {
        const start = i;
        const value = rebuild(doc.toJS({ maxAliasCount: 1000 }), () => objects[i++]);
        const changed = objects.slice(start, i).some((o, n) => o !== originals[start + n]);
        const from = k === 0 ? 0 : doc.range[0];
        const to = k === docs.length - 1 ? text.length : docs[k + 1].range[0];
        if (json) out.push(changed ? JSON.stringify(value, null, 2) + "\n" : text.slice(from, to));
        else if (!changed) out.push(text.slice(from, to));
        else out.push(text.slice(from, doc.contents?.range?.[0] ?? from) + new Document(value).toString());
    });
    return out.join("");
}

export function writeFixed(target: string, text: string): void {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
}
