/**
 * A mocha root hook plugin (.mocharc.json `require`s it) that records each test that passes in
 * `.evidence/tests.json`, with the commit and whether the tree was clean, for `npm run checklist` to
 * read as rehearsal evidence. A test that fails loses its earlier record; one that is skipped keeps it.
 */
import * as fs from "fs";
import * as path from "path";
import { currentCheckout, readTestEvidence, TEST_EVIDENCE_FILE, type TestPass } from "../../checklist/rehearsals";

/** Writes `passed` and drops `failed` from the evidence file, keeping what other runs recorded. */
export function recordRun(file: string, passed: ReadonlyMap<string, TestPass>, failed: ReadonlySet<string>): void {
    const merged: Record<string, TestPass> = { ...readTestEvidence(file).passed };
    for (const title of failed) delete merged[title];
    for (const [title, pass] of passed) merged[title] = pass;
    const sorted = Object.fromEntries(
        Object.keys(merged)
            .sort()
            .map((k) => [k, merged[k]]),
    );
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ passed: sorted }, null, 2) + "\n");
    fs.renameSync(tmp, file);
}

const passed = new Map<string, TestPass>();
const failed = new Set<string>();
let checkout = { commit: "", clean: false };

export const mochaHooks = {
    beforeAll(): void {
        const now = currentCheckout();
        checkout = { commit: now.commit ?? "unknown", clean: now.clean };
    },
    afterEach(this: Mocha.Context): void {
        const test = this.currentTest;
        if (!test) return;
        if (test.state === "passed") passed.set(test.fullTitle(), { ...checkout, at: new Date().toISOString() });
        else if (test.state === "failed") failed.add(test.fullTitle());
    },
    afterAll(): void {
        recordRun(TEST_EVIDENCE_FILE, passed, failed);
    },
};
