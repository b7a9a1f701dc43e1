/**
 * Renders a stack offline: runs the program under Pulumi's mock runtime and writes what it would deploy.
 *
 *   npm run render -- --stack <staging|prod> --out <dir>
 */
import * as fs from "fs";
import * as path from "path";
import type { MatrixConfig } from "../policies/lib/matrix";
import { PACK_CONFIG_DIR, readPackConfig } from "./check";
import { effectiveMatrix, matrixMermaid } from "./lib/matrixOutput";
import { parseArgs } from "./lib/args";
import { runCli } from "./lib/cli";
import { kubernetesObjects, renderStack } from "./lib/render";
import { InputError } from "./lib/stackConfig";
import { earlierRender, writeRender } from "./lib/writeRender";

export async function main(argv: readonly string[]): Promise<number> {
    const { values } = parseArgs(argv, { values: ["stack", "out"], flags: [], lists: [] });
    if (!values.stack) throw new InputError("--stack <name> is required");
    if (!values.out) throw new InputError("--out <dir> is required");
    // Refuse an --out that is not render's before spending the time to render.
    earlierRender(values.out);
    const result = await renderStack(values.stack);
    const packConfigFile = path.join(PACK_CONFIG_DIR, `${values.stack}.json`);
    const extra: Record<string, string> = {};
    if (fs.existsSync(packConfigFile)) {
        const matrix = readPackConfig(packConfigFile)["enforce-traffic-matrix"] as unknown as MatrixConfig | undefined;
        if (matrix?.allowed) extra["network.mmd"] = matrixMermaid(effectiveMatrix(kubernetesObjects(result), matrix));
    }
    const written = writeRender(result, values.out, extra);
    const k8s = kubernetesObjects(result).length;
    process.stdout.write(
        `rendered stack ${values.stack}: ${result.resources.length} resources (${k8s} Kubernetes objects) → ${path.resolve(values.out)}\n` +
            written.map((f) => `  ${f}\n`).join(""),
    );
    return 0;
}

if (require.main === module) runCli("render", () => main(process.argv.slice(2)));
