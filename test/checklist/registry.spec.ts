import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CHECKLIST } from "../../checklist/registry";
import { RULES } from "../../policies/rules";
import { PROJECT_ROOT } from "../../tools/lib/stackConfig";
import { rendered } from "../helpers/render";

const OWN_COPY = path.join(PROJECT_ROOT, "checklist", "checklist.md");
const SHARED = path.join(PROJECT_ROOT, "..", "shared", "checklist.md");

const idsIn = (md: string) => [...md.matchAll(/^\| (P\.\d+|\d+(?:\.\d+)+) \|/gm)].map((m) => m[1]);

describe("checklist registry", () => {
    it("carries every ID of the checklist, once, in order", () => {
        const ids = idsIn(fs.readFileSync(OWN_COPY, "utf8"));
        assert.strictEqual(ids.length, 124);
        assert.deepStrictEqual(
            CHECKLIST.map((i) => i.id),
            ids,
        );
    });

    it("keeps its copy of the checklist identical to the shared one, where that is present", function () {
        if (!fs.existsSync(SHARED)) {
            console.log(`      skipped: no shared checklist at ${SHARED}; the project's own copy (checklist/checklist.md) is what the tests read`);
            this.skip();
        }
        assert.strictEqual(fs.readFileSync(OWN_COPY, "utf8"), fs.readFileSync(SHARED, "utf8"));
    });

    it("names only policies that exist in the pack", () => {
        const names = new Set(RULES.map((r) => r.name));
        for (const item of CHECKLIST) for (const p of item.met.policies ?? []) assert.ok(names.has(p), `${item.id} names unknown policy ${p}`);
    });

    it("names every rule's checklist IDs, and each rule under every item it enforces", () => {
        const ids = new Set(CHECKLIST.map((i) => i.id));
        for (const rule of RULES) {
            for (const id of rule.checklist) {
                assert.ok(ids.has(id), `${rule.name} cites unknown ID ${id}`);
                assert.ok(CHECKLIST.find((i) => i.id === id)!.met.policies?.includes(rule.name), `${id} does not list ${rule.name}`);
            }
        }
    });

    it("names only components the prod stack renders", async () => {
        const types = new Set((await rendered("prod")).resources.map((r) => r.type));
        for (const item of CHECKLIST)
            for (const c of [...(item.met.components ?? []), ...(item.met.verify ?? [])])
                assert.ok(types.has(c), `${item.id} names ${c}, which is not rendered`);
    });

    it("names only docs that exist", () => {
        for (const item of CHECKLIST)
            for (const d of item.met.docs ?? []) assert.ok(fs.existsSync(path.join(PROJECT_ROOT, d)), `${item.id} names missing ${d}`);
    });
});
