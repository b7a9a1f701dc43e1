import * as fs from "fs";
import * as path from "path";
import { isMap, isSeq, LineCounter, parseAllDocuments, type Node } from "yaml";
import type { K8sObject } from "../../policies/lib/k8s";
import { InputError } from "./stackConfig";

export interface LoadedObject {
    readonly object: K8sObject;
    readonly file: string;
    /** The line where the object starts in its file (YAML and JSON alike), when known. */
    readonly line?: number;
}

export interface LoadedFile {
    readonly file: string;
    readonly objects: LoadedObject[];
    /** Documents that are not Kubernetes objects (no kind), passed over. */
    readonly skipped: number;
}

const MANIFEST = /\.(ya?ml|json)$/i;

/** Files named on the command line, directories walked recursively in a stable order. */
export function expandPaths(paths: readonly string[]): string[] {
    const out: string[] = [];
    const walk = (p: string) => {
        let st: fs.Stats;
        try {
            st = fs.statSync(p);
        } catch {
            throw new InputError(`cannot read ${p}: no such file or directory`);
        }
        if (st.isDirectory()) {
            for (const e of fs.readdirSync(p).sort()) {
                const child = path.join(p, e);
                if (fs.statSync(child).isDirectory() || MANIFEST.test(e)) walk(child);
            }
        } else {
            out.push(p);
        }
    };
    for (const p of paths) walk(p);
    return out;
}

/** Spreads `List` kinds (and `kind: XList`) into their items; `node` is the value's YAML node, for its line. */
function flatten(
    doc: unknown,
    file: string,
    into: LoadedObject[],
    node: Node | null | undefined,
    lineOf: (n: Node | null | undefined) => number | undefined,
): number {
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) return doc === null || doc === undefined ? 0 : 1;
    const obj = doc as K8sObject;
    if (typeof obj.kind !== "string" || obj.kind === "") return 1;
    if (/List$/.test(obj.kind) && Array.isArray(obj.items)) {
        const items = isMap(node) ? node.get("items", true) : undefined;
        return obj.items.reduce(
            (n: number, item: unknown, i: number) => n + flatten(item, file, into, isSeq(items) ? (items.items[i] as Node) : undefined, lineOf),
            0,
        );
    }
    const line = lineOf(node);
    into.push({ object: obj, file, ...(line ? { line } : {}) });
    return 0;
}

/** Parses one manifest file: multi-document YAML, JSON, `List` kinds. Invalid YAML is an InputError naming the line. */
export function loadManifestFile(file: string): LoadedFile {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    const objects: LoadedObject[] = [];
    let skipped = 0;
    const lines = new LineCounter();
    const lineOf = (n: Node | null | undefined) => (n?.range ? lines.linePos(n.range[0]).line : undefined);
    for (const doc of parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false, lineCounter: lines })) {
        const err = doc.errors[0];
        if (err) {
            const line = err.linePos?.[0]?.line;
            throw new InputError(`${file}${line ? `:${line}` : ""}: invalid YAML: ${err.message.split("\n")[0]}`);
        }
        skipped += flatten(doc.toJS({ maxAliasCount: 1000 }), file, objects, doc.contents as Node | null, lineOf);
    }
    return { file, objects, skipped };
}
