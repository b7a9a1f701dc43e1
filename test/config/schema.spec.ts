import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CONFIG_DEFAULTS, CONFIG_SCHEMA } from "../../config/schema";
import { PROJECT_ROOT } from "../../tools/lib/stackConfig";

describe("Pulumi.yaml config schema", () => {
    const project = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8"));

    it("names the project voting-platform on the nodejs runtime with TypeScript", () => {
        assert.strictEqual(project.name, "voting-platform");
        assert.deepStrictEqual(project.runtime, { name: "nodejs", options: { typescript: true, packagemanager: "npm" } });
    });

    it("declares exactly the keys the program reads, each typed and described", () => {
        assert.deepStrictEqual(
            Object.keys(project.config),
            CONFIG_SCHEMA.map((s) => s.key),
        );
        for (const spec of CONFIG_SCHEMA) {
            const decl = project.config[spec.key];
            assert.strictEqual(decl.type, spec.type, spec.key);
            assert.strictEqual(decl.description, spec.description, spec.key);
            assert.deepStrictEqual(decl.default, spec.default, spec.key);
            assert.strictEqual(decl.secret, spec.secret, spec.key);
            if (spec.type === "array") assert.deepStrictEqual(decl.items, { type: "string" });
        }
    });

    it("keeps each documented default equal to CONFIG_DEFAULTS", () => {
        for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) {
            assert.deepStrictEqual(CONFIG_SCHEMA.find((s) => s.key === key)?.default, value, key);
        }
    });

    it("keeps credentials out of the stack files", () => {
        const keys: string[] = [];
        const walk = (v: unknown, at: string) => {
            if (!v || typeof v !== "object") return;
            for (const [k, x] of Object.entries(v)) {
                keys.push(`${at}.${k}`);
                walk(x, `${at}.${k}`);
            }
        };
        for (const f of ["Pulumi.prod.yaml", "Pulumi.staging.yaml"]) walk(parse(fs.readFileSync(path.join(PROJECT_ROOT, f), "utf8")), f);
        assert.ok(keys.length > 50);
        assert.deepStrictEqual(
            keys.filter((k) => /password|passwd|token|apikey|privatekey|webhook/i.test(k)),
            [],
        );
    });
});
