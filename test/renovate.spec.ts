import * as assert from "assert";
import Ajv from "ajv";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../tools/lib/stackConfig";

/** Renovate's own config schema, from the renovate package at the version named in its title (44.121.2). */
const SCHEMA = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "test", "fixtures", "renovate-schema.json"), "utf8"));
const CONFIG: Record<string, any> = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "renovate.json"), "utf8"));

/** What a regex custom manager extracts from the repository's files, as Renovate applies it. */
function extract(manager: { managerFilePatterns: string[]; matchStrings: string[] }, files: string[]): Record<string, string | undefined>[] {
    const patterns = manager.managerFilePatterns.map((p) => new RegExp(p.slice(1, -1)));
    return files
        .filter((f) => patterns.some((p) => p.test(f)))
        .flatMap((f) => {
            const text = fs.readFileSync(path.join(PROJECT_ROOT, f), "utf8");
            return manager.matchStrings.flatMap((m) => [...text.matchAll(new RegExp(m, "g"))].map((x) => ({ file: f, ...(x.groups ?? {}) })));
        });
}

describe("Renovate config (4.3.3)", () => {
    it("is valid against Renovate's config schema", () => {
        const ajv = new Ajv({ strict: false, allErrors: true });
        const validate = ajv.compile(SCHEMA);
        assert.ok(validate(CONFIG), JSON.stringify(validate.errors, null, 2));
        assert.ok(!validate({ ...CONFIG, schedule: 5 }), "the schema rejects a schedule that is not a list");
    });

    it("finds every image of the stack files, with prod's digests", () => {
        const files = fs.readdirSync(PROJECT_ROOT).filter((f) => /^Pulumi\.[a-z]+\.yaml$/.test(f));
        const found = extract(CONFIG.customManagers[0], files);
        for (const f of files.filter((x) => x !== "Pulumi.yaml")) {
            const images = parse(fs.readFileSync(path.join(PROJECT_ROOT, f), "utf8")).config["voting-platform:images"];
            const expected = Object.values<any>(images)
                .filter((v) => typeof v === "object")
                .map((v) => ({ file: f, depName: v.repository, currentValue: String(v.tag), currentDigest: v.digest }));
            assert.deepStrictEqual(
                found.filter((x) => x.file === f),
                expected,
            );
        }
        assert.deepStrictEqual(
            found.filter((x) => x.file === "Pulumi.prod.yaml" && x.currentDigest).map((x) => x.depName),
            ["voting/frontend", "voting/api", "voting/consumer"],
        );
    });

    it("finds the program's pinned default images", () => {
        const found = extract(CONFIG.customManagers[1], ["config/validate.ts"]).map((x) => `${x.depName}:${x.currentValue}`);
        assert.deepStrictEqual(found, [
            "docker.io/curlimages/curl:8.11.1",
            "docker.io/grafana/k6:0.55.0",
            "docker.io/otel/opentelemetry-collector-contrib:0.114.0",
            "docker.io/library/postgres:16.4-bookworm",
            "docker.io/library/redis:7.4.1-bookworm",
            "docker.io/rclone/rclone:1.68.2",
        ]);
    });

    it("keeps @pulumi/pulumi at the last release that supports Node 20", () => {
        const rule = CONFIG.packageRules.find((r: any) => r.matchPackageNames?.includes("@pulumi/pulumi"));
        assert.strictEqual(rule.allowedVersions, "<=3.248.0");
    });
});
