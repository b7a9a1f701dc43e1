import { InputError } from "./stackConfig";

/** Minimal flag parser: `--name value`, `--flag`, and repeated positional values after a flag that takes many. */
export function parseArgs(argv: readonly string[], spec: { values: string[]; flags: string[]; lists: string[] }) {
    const values: Record<string, string> = {};
    const flags = new Set<string>();
    const lists: Record<string, string[]> = {};
    let current: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a.startsWith("--")) {
            const [name, inline] = a.slice(2).split("=", 2);
            current = undefined;
            if (spec.flags.includes(name)) flags.add(name);
            else if (spec.values.includes(name)) {
                const v = inline ?? argv[++i];
                if (v === undefined || v.startsWith("--")) throw new InputError(`--${name} needs a value`);
                values[name] = v;
            } else if (spec.lists.includes(name)) {
                lists[name] = inline ? [inline] : [];
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
