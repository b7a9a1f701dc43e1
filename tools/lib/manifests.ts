/**
 * Reads Kubernetes manifests as kubectl reads them, or refuses what kubectl would read differently.
 *
 * kubectl parses YAML 1.1 (through go-yaml v2): `yes`, `on` and `y` are booleans, `<<` merges a map,
 * `0777` is octal, while `12:30` and `2001-12-14` stay strings. Duplicate keys are refused, as kubectl
 * refuses them. Whatever is ambiguous (a merge that overrides a key written before it, on which
 * parsers disagree) or cannot become JSON (`.inf`, a map as a key, an alias that contains itself) is
 * refused with one line naming the file and the line. No message quotes a value from the file: a
 * Secret's data never reaches the terminal.
 */
import * as fs from "fs";
import * as path from "path";
import {
    isAlias,
    isMap,
    isPair,
    isScalar,
    isSeq,
    LineCounter,
    Composer,
    Parser,
    Scalar,
    type Document,
    type Node,
    type Tags,
    type YAMLMap,
} from "yaml";
import type { K8sObject } from "../../policies/lib/k8s";
import { InputError } from "./stackConfig";

export interface LoadedObject {
    readonly object: K8sObject;
    readonly file: string;
    /** The line the object starts on in its file (1-based): its document, or its item of a List. */
    readonly line: number;
}

export interface LoadedFile {
    readonly file: string;
    readonly objects: LoadedObject[];
    /** Documents that are not Kubernetes objects (no kind), passed over. */
    readonly skipped: number;
}

const MANIFEST = /\.(ya?ml|json)$/i;
/** Deeper than any Kubernetes object: a document nested further is refused rather than walked. */
const MAX_DEPTH = 256;
/** Alias expansions allowed per document, weighted by size as the yaml package counts them (a billion laughs stops here). */
const MAX_ALIAS_COUNT = 1000;

const errnoMessage = (e: unknown): string => {
    const code = (e as NodeJS.ErrnoException).code;
    switch (code) {
        case "ENOENT":
            return "no such file or directory";
        case "EACCES":
        case "EPERM":
            return "permission denied";
        case "ELOOP":
            return "a symbolic link loop";
        case "EISDIR":
            return "a directory";
        default:
            return code ?? "unreadable";
    }
};

function kindOf(st: fs.Stats): string | undefined {
    if (st.isFIFO()) return "a FIFO";
    if (st.isSocket()) return "a socket";
    if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
    return undefined;
}

/** Stats a path, following links; a link that leads nowhere or into a loop is an InputError. */
function statOf(p: string): fs.Stats {
    try {
        return fs.statSync(p);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "ENOENT") {
            let isLink = false;
            try {
                isLink = fs.lstatSync(p).isSymbolicLink();
            } catch {
                // Neither the link nor its target exists.
            }
            throw new InputError(`cannot read ${p}: ${isLink ? "a symbolic link to nothing" : "no such file or directory"}`);
        }
        throw new InputError(`cannot read ${p}: ${errnoMessage(e)}`);
    }
}

/**
 * Files named on the command line, and the manifests (`.yaml`, `.yml`, `.json`) of directories walked
 * recursively in a stable order. A file reached twice (two paths, or links) is read once. FIFOs,
 * sockets and devices are refused (reading one could block forever); so are links that lead nowhere,
 * links that loop back into a directory being walked, and directories holding no manifest.
 */
export function expandPaths(paths: readonly string[]): string[] {
    const out: string[] = [];
    const seenFiles = new Set<string>();
    const addFile = (p: string, st: fs.Stats) => {
        const id = `${st.dev}:${st.ino}`;
        if (seenFiles.has(id)) return;
        seenFiles.add(id);
        out.push(p);
    };
    const walk = (dir: string, ancestors: Map<string, string>): number => {
        let entries: string[];
        try {
            entries = fs.readdirSync(dir).sort();
        } catch (e) {
            throw new InputError(`cannot read ${dir}: ${errnoMessage(e)}`);
        }
        let found = 0;
        for (const name of entries) {
            const child = path.join(dir, name);
            const manifest = MANIFEST.test(name);
            let st: fs.Stats;
            try {
                st = fs.statSync(child);
            } catch (e) {
                // A broken entry that would not be read anyway (README.lnk) is no concern; a manifest is.
                if (!manifest && (e as NodeJS.ErrnoException).code === "ENOENT") continue;
                st = statOf(child);
            }
            if (st.isDirectory()) {
                const id = `${st.dev}:${st.ino}`;
                const loop = ancestors.get(id);
                if (loop !== undefined) throw new InputError(`cannot read ${child}: a symbolic link cycle (it leads back to ${loop})`);
                found += walk(child, new Map(ancestors).set(id, child));
            } else if (manifest) {
                const special = kindOf(st);
                if (special) throw new InputError(`cannot read ${child}: it is ${special}, not a regular file`);
                addFile(child, st);
                found++;
            }
        }
        return found;
    };
    for (const p of paths) {
        const st = statOf(p);
        if (st.isDirectory()) {
            if (walk(p, new Map([[`${st.dev}:${st.ino}`, p]])) === 0) {
                throw new InputError(`${p}: holds no manifest (no .yaml, .yml or .json file under it)`);
            }
        } else {
            const special = kindOf(st);
            if (special) throw new InputError(`cannot read ${p}: it is ${special}, not a regular file`);
            addFile(p, st);
        }
    }
    return out;
}

/** The file's text as UTF-8, or an InputError for anything kubectl would not read as such. */
function decode(file: string, bytes: Buffer): string {
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
        throw new InputError(`${file}: is UTF-16 encoded; kubectl splits documents only in UTF-8: convert it (iconv -f UTF-16 -t UTF-8)`);
    }
    const nul = bytes.indexOf(0);
    if (nul !== -1) {
        throw new InputError(`${file}: holds a NUL byte at offset ${nul}; it is UTF-16 without a byte-order mark, or not text`);
    }
    try {
        const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
        return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    } catch {
        throw new InputError(`${file}: is not valid UTF-8`);
    }
}

/** What each parse error means, in words that quote nothing from the file. */
const YAML_ERRORS: Readonly<Record<string, string>> = {
    ALIAS_PROPS: "an alias cannot carry an anchor or a tag",
    BAD_ALIAS: "an alias is not allowed here",
    BAD_COLLECTION_TYPE: "a collection does not fit its tag",
    BAD_DIRECTIVE: "a directive is not valid",
    BAD_DQ_ESCAPE: "a double-quoted string holds an invalid escape",
    BAD_INDENT: "the indentation is wrong",
    BAD_PROP_ORDER: "an anchor and a tag are in the wrong order",
    BAD_SCALAR_START: "a plain value starts with a reserved character (@ or `); quote it",
    BLOCK_AS_IMPLICIT_KEY: "a block collection cannot be a key",
    BLOCK_IN_FLOW: "a block collection cannot be inside a flow collection",
    DUPLICATE_KEY: "a mapping key is repeated",
    IMPOSSIBLE: "the document cannot be parsed",
    KEY_OVER_1024_CHARS: "a key is longer than 1024 characters",
    MISSING_CHAR: "a closing quote, bracket or brace is missing",
    MULTILINE_IMPLICIT_KEY: "a key spans more than one line",
    MULTIPLE_ANCHORS: "a node has more than one anchor",
    MULTIPLE_DOCS: "a document holds more than one root",
    MULTIPLE_TAGS: "a node has more than one tag",
    TAB_AS_INDENT: "a tab is used for indentation",
    UNEXPECTED_TOKEN: "a token is out of place",
};

/** The YAML 1.1 types go-yaml v2 resolves: booleans, nulls, ints (0b, 0x, octal), floats, merge keys; no timestamps, no sexagesimal numbers, no binary, sets or ordered maps. */
const GO_YAML_TAGS = (tags: Tags): Tags =>
    tags.filter((t) => typeof t !== "object" || (t.format !== "TIME" && !/:(timestamp|binary|omap|pairs|set)$/.test(t.tag)));

const isMergeKey = (key: unknown): boolean =>
    isScalar(key) &&
    key.type === Scalar.PLAIN &&
    (key.value === "<<" || (typeof key.value === "symbol" && (key.value as symbol).description === "<<"));

/** A scalar key as the JSON object kubectl builds names it. */
const jsonKey = (key: Scalar): string => (key.value === null ? "" : typeof key.value === "symbol" ? "<<" : String(key.value));

const clip = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s);

/**
 * Checks one document's tree before it becomes JSON, in document order and without recursion:
 * duplicate and non-scalar keys, aliases to no anchor or to a node that contains them, merges that
 * override a key written before them, values JSON cannot carry, nesting beyond any object's.
 */
function checkTree(doc: Document, at: (offset: number | undefined) => string): void {
    const anchors = new Map<string, Node>();
    const mergeKeys = (source: unknown, seen = new Set<unknown>()): string[] => {
        const node = isAlias(source) ? anchors.get(source.source) : source;
        if (!isMap(node) || seen.has(node)) return [];
        seen.add(node);
        const keys: string[] = [];
        for (const p of node.items) {
            if (isMergeKey(p.key)) {
                for (const s of isSeq(p.value) ? p.value.items : [p.value]) for (const k of mergeKeys(s, seen)) keys.push(k);
            } else if (isScalar(p.key)) keys.push(jsonKey(p.key));
        }
        return keys;
    };
    type Frame = { node: unknown; depth: number; exit?: boolean; merge?: { map: YAMLMap; index: number } };
    const open = new Set<unknown>();
    const stack: Frame[] = [{ node: doc.contents, depth: 1 }];
    while (stack.length > 0) {
        const { node, depth, exit, merge } = stack.pop()!;
        if (exit) {
            open.delete(node);
            continue;
        }
        if (merge) {
            // Reached in document order, once every anchor written before the merge is known.
            const pair = merge.map.items[merge.index];
            const where = at((pair.key as Node).range?.[0]);
            for (const s of isSeq(pair.value) ? pair.value.items : [pair.value]) {
                if (!isMap(isAlias(s) ? anchors.get(s.source) : s))
                    throw new InputError(`${where}: invalid YAML: a merge key (<<) takes a map or a list of maps`);
            }
            const before = merge.map.items.slice(0, merge.index).flatMap((p) => (isScalar(p.key) && !isMergeKey(p.key) ? [jsonKey(p.key)] : []));
            const overridden = mergeKeys(pair.value).filter((k) => before.includes(k));
            if (overridden.length > 0) {
                throw new InputError(
                    `${where}: ambiguous YAML: the merge (<<) would override ${JSON.stringify(clip(overridden[0]))} written before it, and YAML parsers disagree on which wins; put << first`,
                );
            }
            continue;
        }
        if (node === null || node === undefined) continue;
        // Where the node is, worked out only for a message: a line lookup per node would cost more than the walk.
        const where = () => at((node as Node).range?.[0]);
        if (depth > MAX_DEPTH) throw new InputError(`${where()}: the document nests deeper than ${MAX_DEPTH} levels`);
        if (isAlias(node)) {
            const target = anchors.get(node.source);
            if (!target) {
                throw new InputError(`${where()}: invalid YAML: an alias (*) names no anchor defined before it; quote a value that starts with *`);
            }
            if (open.has(target)) throw new InputError(`${where()}: invalid YAML: an alias refers to a node that contains it`);
            continue;
        }
        if ((isMap(node) || isSeq(node) || isScalar(node)) && node.anchor) anchors.set(node.anchor, node);
        if (isScalar(node)) {
            if (typeof node.value === "number" && !Number.isFinite(node.value)) {
                // go-yaml keeps an overflowing number such as 1e400 as the string it is; .inf and .nan cannot become JSON.
                if (/^[-+]?\.(inf|nan)$/i.test(node.source ?? "")) {
                    throw new InputError(`${where()}: invalid YAML: .inf and .nan are not JSON numbers; kubectl cannot send them`);
                }
                node.value = node.source ?? String(node.value);
            }
            continue;
        }
        const children: Frame[] = [];
        if (isMap(node)) {
            const keys = new Map<string, number | undefined>();
            node.items.forEach((pair, i) => {
                const key = pair.key;
                if (!isScalar(key)) {
                    throw new InputError(
                        `${at((key as Node | null)?.range?.[0] ?? (pair.value as Node | null)?.range?.[0])}: invalid YAML: a key is a map, a list or an alias, which JSON cannot carry`,
                    );
                }
                const name = jsonKey(key);
                if (keys.has(name)) {
                    const first = at(keys.get(name)).replace(/^.*:(\d+)$/, "line $1");
                    throw new InputError(
                        `${at(key.range?.[0])}: invalid YAML: mapping key ${JSON.stringify(clip(name))} already defined at ${first}; kubectl refuses duplicate keys`,
                    );
                }
                keys.set(name, key.range?.[0]);
                if (isMergeKey(key)) children.push({ node, depth, merge: { map: node, index: i } });
                children.push({ node: pair.value, depth: depth + 1 });
            });
        } else if (isSeq(node)) {
            for (const item of node.items) children.push({ node: isPair(item) ? item.value : item, depth: depth + 1 });
        }
        open.add(node);
        stack.push({ node, depth, exit: true });
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
}

/** Whether a value looks like a Kubernetes object (a map with a kind). */
const hasKind = (v: unknown): v is K8sObject =>
    typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as K8sObject).kind === "string" && (v as K8sObject).kind !== "";

/** The node of `items[i]` of a List document, for its line. */
function itemNode(node: unknown, i: number): Node | undefined {
    if (!isMap(node)) return undefined;
    const items = node.items.find((p) => isScalar(p.key) && p.key.value === "items")?.value;
    return isSeq(items) ? (items.items[i] as Node | undefined) : undefined;
}

/** Spreads `List` kinds (and `kind: XList`) into their items, each with the line it starts on. */
function flatten(
    doc: unknown,
    node: unknown,
    line: (node: unknown, fallback: number) => number,
    fallback: number,
    file: string,
    into: LoadedObject[],
): number {
    if (doc === null || doc === undefined) return 0;
    if (Array.isArray(doc)) {
        if (doc.some(hasKind)) {
            throw new InputError(
                `${file}:${line(node, fallback)}: a document is a list of objects, which kubectl does not read; put them under the items of a kind: List, or in documents separated by ---`,
            );
        }
        return 1;
    }
    if (!hasKind(doc)) return 1;
    const at = line(node, fallback);
    if (/List$/.test(doc.kind) && Array.isArray(doc.items)) {
        return doc.items.reduce((n: number, item: unknown, i: number) => n + flatten(item, itemNode(node, i), line, at, file, into), 0);
    }
    into.push({ object: doc, file, line: at });
    return 0;
}

/** Parses one manifest file: multi-document YAML, JSON, `List` kinds. Bad input is an InputError naming the file and line. */
export function loadManifestFile(file: string): LoadedFile {
    let bytes: Buffer;
    try {
        bytes = fs.readFileSync(file);
    } catch (e) {
        throw new InputError(`cannot read ${file}: ${errnoMessage(e)}`);
    }
    const text = decode(file, bytes);
    const lines = new LineCounter();
    const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lines.linePos(offset).line);
    const at = (offset: number | undefined) => `${file}:${lineOf(offset)}`;
    const objects: LoadedObject[] = [];
    let skipped = 0;
    // Documents are composed one at a time and dropped once read: a large file never holds all its syntax trees at once.
    const composer = new Composer({ version: "1.1", customTags: GO_YAML_TAGS, merge: true, uniqueKeys: false, logLevel: "silent" });
    const stream = composer.compose(new Parser(lines.addNewLine).parse(text));
    const next = (): Document.Parsed | undefined => {
        try {
            const r = stream.next();
            return r.done ? undefined : r.value;
        } catch (e) {
            throw new InputError(`${file}: invalid YAML: it cannot be parsed (${e instanceof RangeError ? "nested too deeply" : "parser error"})`);
        }
    };
    let count = 0;
    for (let doc = next(); doc !== undefined; doc = next(), count++) {
        const err = doc.errors[0];
        if (err) {
            const { line, col } = lines.linePos(err.pos[0]);
            throw new InputError(`${file}:${line}: invalid YAML: ${YAML_ERRORS[err.code] ?? err.code} (column ${col})`);
        }
        checkTree(doc, at);
        const start = lineOf(doc.contents?.range?.[0] ?? doc.range?.[0]);
        let value: unknown;
        try {
            value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
        } catch (e) {
            const why = e instanceof ReferenceError ? `its aliases expand past ${MAX_ALIAS_COUNT} nodes` : "it cannot be converted to JSON";
            throw new InputError(`${file}:${start}: invalid YAML: ${why}`);
        }
        const nodeLine = (node: unknown, fallback: number) => {
            const offset = (node as Node | undefined)?.range?.[0];
            return offset === undefined ? fallback : lineOf(offset);
        };
        skipped += flatten(value, doc.contents, nodeLine, start, file, objects);
    }
    // A stream with no document still reports its errors (a stray directive).
    const streamError = count === 0 ? composer.streamInfo().errors[0] : undefined;
    if (streamError) throw new InputError(`${at(streamError.pos[0])}: invalid YAML: ${YAML_ERRORS[streamError.code] ?? streamError.code}`);
    return { file, objects, skipped };
}
