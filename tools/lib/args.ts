import { InputError } from "./stackConfig";

/**
 * Minimal flag parser: `--name value` (or `--name=value`), `--flag`, and flags that take many values
 * (`--manifests a b --manifests c`), which accumulate. A value option given twice is an error rather
 * than a silent override.
 */
export function parseArgs(argv: readonly string[], spec: { values: string[]; flags: string[]; lists: string[] }) {
    const values: Record<string, string> = {};
    const flags = new Set<string>();
    const lists: Record<string, string[]> = {};
    let current: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a.startsWith("--")) {
            const eq = a.indexOf("=");
            const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
            const inline = eq === -1 ? undefined : a.slice(eq + 1);
            current = undefined;
            if (spec.flags.includes(name)) {
                if (inline !== undefined) throw new InputError(`--${name} takes no value`);
                flags.add(name);
            } else if (spec.values.includes(name)) {
                const v = inline ?? argv[++i];
                if (v === undefined || v.startsWith("--")) throw new InputError(`--${name} needs a value`);
                if (name in values) throw new InputError(`--${name} is given twice`);
                values[name] = v;
            } else if (spec.lists.includes(name)) {
                lists[name] ??= [];
                if (inline) lists[name].push(inline);
                current = name;
            } else throw new InputError(`unknown option ${a}`);
        } else if (current) {
            lists[current].push(a);
        } else {
            throw new InputError(`unexpected argument ${JSON.stringify(a)}`);
        }
    }
    return { values, flags, lists };
}
