import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../../../policies/rules";
import { PROJECT_ROOT } from "../../../tools/lib/stackConfig";

const SPECS = path.join(PROJECT_ROOT, "test", "policies", "rules");

function specFiles(dir: string): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? specFiles(path.join(dir, e.name)) : e.name.endsWith(".spec.ts") ? [path.join(dir, e.name)] : []));
}

/** `require-non-root` → `requireNonRoot`, the name of the rule's variable and of its spec file (compared without case). */
const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

describe("rule specs", () => {
    it("give every rule of the pack a spec file named after it, whose describe names the rule", () => {
        const files = specFiles(SPECS);
        for (const rule of RULES) {
            const file = files.find((f) => path.basename(f).toLowerCase() === `${camel(rule.name)}.spec.ts`.toLowerCase());
            assert.ok(file, `${rule.name} has no spec file ${camel(rule.name)}.spec.ts under test/policies/rules`);
            const text = fs.readFileSync(file, "utf8");
            const variable = path.basename(file, ".spec.ts");
            assert.ok(
                text.includes(`describe(${variable}.name,`) || text.includes(`describe("${rule.name}"`),
                `${path.relative(PROJECT_ROOT, file)} does not describe ${rule.name}`,
            );
        }
    });
});
