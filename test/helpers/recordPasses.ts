/**
 * A mocha root hook plugin (.mocharc.json `require`s it) that records each test that passes in
 * `.evidence/tests.json`, with the commit and whether the tree was clean, for `npm run checklist` to
 * read as rehearsal evidence. A test that fails loses its earlier record; one that is skipped keeps it.
 * A run of the whole suite (every spec file under test/, every test in it run) is also recorded with its
 * counts, failures included, as the evidence that the project's tests pass (checklist 7.2.4).
 */
import * as fs from "fs";
import * as path from "path";
import { currentCheckout, readTestEvidence, TEST_EVIDENCE_FILE, type SuiteRun, type TestPass } from "../../checklist/rehearsals";
import { PROJECT_ROOT } from "../../tools/lib/stackConfig";

/**
 * Writes `passed` and drops `failed` from the evidence file, keeping what other runs recorded; `suite`,
 * when given, replaces the record of the last whole-suite run.
 */
export function recordRun(file: string, passed: ReadonlyMap<string, TestPass>, failed: ReadonlySet<string>, suite?: SuiteRun): void {
    const previous = readTestEvidence(file);
    const merged: Record<string, TestPass> = { ...previous.passed };
    for (const title of failed) delete merged[title];
    for (const [title, pass] of passed) merged[title] = pass;
    const sorted = Object.fromEntries(
        Object.keys(merged)
            .sort()
            .map((k) => [k, merged[k]]),
    );
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const kept = suite ?? previous.suite;
    fs.writeFileSync(tmp, JSON.stringify(kept ? { suite: kept, passed: sorted } : { passed: sorted }, null, 2) + "\n");
    fs.renameSync(tmp, file);
}

/** Every spec file under `dir`, as absolute paths. */
export function specFilesUnder(dir: string): string[] {
    return fs
        .readdirSync(dir, { withFileTypes: true })
        .flatMap((e) => (e.isDirectory() ? specFilesUnder(path.join(dir, e.name)) : e.name.endsWith(".spec.ts") ? [path.join(dir, e.name)] : []));
}

/**
 * The counts of a run from its root suite, or undefined when the run was not the whole suite: a spec
 * file under `testDir` was not loaded, or a loaded test did not run (`--grep`) while no hook failed. A
 * failed hook counts as a failure, and the tests it kept from running do not make the run partial.
 */
export function wholeSuiteRun(root: Mocha.Suite, testDir: string, checkout: TestPass): SuiteRun | undefined {
    const files = new Set<string>();
    let passedCount = 0;
    let failedCount = 0;
    let pending = 0;
    let notRun = 0;
    let failedHooks = 0;
    const walk = (s: Mocha.Suite) => {
        if (s.file) files.add(path.resolve(s.file));
        const hooks = s as unknown as Record<"_beforeAll" | "_afterAll" | "_beforeEach" | "_afterEach", Mocha.Hook[]>;
        for (const h of [...hooks._beforeAll, ...hooks._afterAll, ...hooks._beforeEach, ...hooks._afterEach]) if (h.state === "failed") failedHooks++;
        for (const t of s.tests) {
            if (t.state === "passed") passedCount++;
            else if (t.state === "failed") failedCount++;
            else if (t.isPending()) pending++;
            else notRun++;
        }
        s.suites.forEach(walk);
    };
    walk(root);
    if ((notRun > 0 && failedHooks === 0) || !specFilesUnder(testDir).every((f) => files.has(f))) return undefined;
    return { ...checkout, files: files.size, passed: passedCount, failed: failedCount + failedHooks, pending };
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
    afterAll(this: Mocha.Context): void {
        let root = this.test?.parent;
        while (root?.parent) root = root.parent;
        const suite = root ? wholeSuiteRun(root, path.join(PROJECT_ROOT, "test"), { ...checkout, at: new Date().toISOString() }) : undefined;
        recordRun(TEST_EVIDENCE_FILE, passed, failed, suite);
    },
};
