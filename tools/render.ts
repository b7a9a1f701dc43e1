/**
 * Renders a stack offline: runs the program under Pulumi's mock runtime and writes what it would deploy.
 *
 *   npm run render -- --stack <staging|prod> --out <dir>
 */
import * as path from "path";
import { parseArgs } from "./lib/args";
import { runCli } from "./lib/cli";
import { kubernetesObjects, renderStack } from "./lib/render";
import { InputError } from "./lib/stackConfig";
import { writeRender } from "./lib/writeRender";

export async function main(argv: readonly string[]): Promise<number> {
    const { values } = parseArgs(argv, { values: ["stack", "out"], flags: [], lists: [] });
    if (!values.stack) throw new InputError("--stack <name> is required");
    if (!values.out) throw new InputError("--out <dir> is required");
    const result = await renderStack(values.stack);
    const written = writeRender(result, values.out);
    const k8s = kubernetesObjects(result).length;
    process.stdout.write(
        `rendered stack ${values.stack}: ${result.resources.length} resources (${k8s} Kubernetes objects) → ${path.resolve(values.out)}\n` +
            written.map((f) => `  ${f}\n`).join(""),
    );
    return 0;
}

if (require.main === module) runCli("render", () => main(process.argv.slice(2)));
