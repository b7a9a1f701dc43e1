/**
 * Lists every image a stack runs, for the image scan of CI (checklist 1.1.4): the containers, init
 * containers and ephemeral containers of every object that carries a pod, from the rendered stack.
 *
 *   npm run images -- --stack <staging|prod> [--format json]
 *
 * Text prints one image per line, sorted; JSON prints `{"images":[{"image","workloads":["Kind ns/name"]}]}`.
 */
import { containersOf, podTemplate, str, type K8sObject } from "../policies/lib/k8s";
import { parseArgs } from "./lib/args";
import { runCli } from "./lib/cli";
import { kubernetesObjects, renderStack } from "./lib/render";
import { InputError } from "./lib/stackConfig";

/** Each distinct image of `objects`, sorted, with the workloads that run it. */
export function imagesOf(objects: readonly K8sObject[]): { image: string; workloads: string[] }[] {
    const byImage = new Map<string, Set<string>>();
    for (const obj of objects) {
        const pod = podTemplate(obj);
        if (!pod) continue;
        const where = `${obj.kind} ${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata?.name ?? ""}`;
        for (const c of containersOf(pod.spec)) {
            const image = str(c.container.image);
            if (!image) continue;
            if (!byImage.has(image)) byImage.set(image, new Set());
            byImage.get(image)!.add(where);
        }
    }
    return [...byImage.keys()].sort().map((image) => ({ image, workloads: [...byImage.get(image)!].sort() }));
}

export async function main(argv: readonly string[]): Promise<number> {
    const { values } = parseArgs(argv, { values: ["stack", "format"], flags: [], lists: [] });
    if (!values.stack) throw new InputError("--stack <name> is required");
    const format = values.format ?? "text";
    if (format !== "text" && format !== "json") throw new InputError(`--format ${format}: use text or json`);
    const images = imagesOf(kubernetesObjects(await renderStack(values.stack)) as K8sObject[]);
    process.stdout.write(format === "json" ? `${JSON.stringify({ images }, null, 2)}\n` : images.map((i) => `${i.image}\n`).join(""));
    return 0;
}

if (require.main === module) runCli("images", () => main(process.argv.slice(2)));
