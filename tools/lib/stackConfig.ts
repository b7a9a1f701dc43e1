import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** Bad input from the user (missing file, unreadable YAML, unknown stack): the CLIs exit 2 on it. */
export class InputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InputError";
    }
}

/** What a secret config value becomes offline: only the Pulumi CLI can decrypt `secure:` values. */
export const SECRET_PLACEHOLDER = "[secret]";

export interface StackConfig {
    readonly project: string;
    readonly stack: string;
    /** `project:key` → value as the language host passes it: strings, objects and arrays as JSON. */
    readonly values: Record<string, string>;
    readonly secretKeys: string[];
    readonly file: string;
}

/** The project's directory (the one holding Pulumi.yaml), whether this runs from the sources or from the compiled bin/. */
export const PROJECT_ROOT = ((): string => {
    const here = path.resolve(__dirname, "..", "..");
    for (let dir = here; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        if (path.dirname(dir) === dir) return here;
    }
})();

export function listStacks(root = PROJECT_ROOT): string[] {
    return fs
        .readdirSync(root)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

function readYaml(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    try {
        return parse(text, { prettyErrors: true });
    } catch (e) {
        const err = e as { linePos?: { line: number }[]; message: string };
        const line = err.linePos?.[0]?.line;
        throw new InputError(`${file}${line ? `:${line}` : ""}: invalid YAML: ${err.message.split("\n")[0]}`);
    }
}

const encode = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

/** Reads `Pulumi.yaml` defaults and `Pulumi.<stack>.yaml` values as the CLI would hand them to the program. */
export function loadStackConfig(stack: string, root = PROJECT_ROOT): StackConfig {
    const project = readYaml(path.join(root, "Pulumi.yaml")) as { name: string; config?: Record<string, { default?: unknown }> };
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!/^[A-Za-z0-9_.-]+$/.test(stack) || !fs.existsSync(file)) {
        throw new InputError(`unknown stack "${stack}": no Pulumi.${stack}.yaml (stacks here: ${listStacks(root).join(", ")})`);
    }
    const doc = (readYaml(file) ?? {}) as { config?: Record<string, unknown> };
    const values: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, decl] of Object.entries(project.config ?? {})) {
        if (decl && typeof decl === "object" && "default" in decl) values[`${project.name}:${key}`] = encode(decl.default);
    }
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        const full = key.includes(":") ? key : `${project.name}:${key}`;
        if (value && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
            values[full] = SECRET_PLACEHOLDER;
            secretKeys.push(full);
        } else {
            values[full] = encode(value);
        }
    }
    return { project: project.name, stack, values, secretKeys, file };
}
