import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { renderStack, type RenderResult } from "../../tools/lib/render";
import { PROJECT_ROOT } from "../../tools/lib/stackConfig";

/** Renders the program with prod's config changed by `edit`, from a stack file in a temporary folder. */
export async function renderVariant(name: string, edit: (config: Record<string, any>) => void): Promise<RenderResult> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
    fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    const doc = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), "utf8"));
    edit(doc.config);
    fs.writeFileSync(path.join(root, `Pulumi.${name}.yaml`), stringify(doc));
    return renderStack(name, PROJECT_ROOT, root);
}
