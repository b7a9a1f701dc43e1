/**
 * Rehearsal evidence: which tests passed, at which commit. `npm test` records every passed test in
 * `.evidence/tests.json` (test/helpers/recordPasses.ts); the checklist reads it and trusts a pass only
 * when it was recorded at the commit checked out now, on a tree with no uncommitted changes.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../tools/lib/stackConfig";

export const TEST_EVIDENCE_FILE = path.join(PROJECT_ROOT, ".evidence", "tests.json");

/** One recorded pass. */
export interface TestPass {
    /** The commit checked out when the test passed. */
    readonly commit: string;
    /** Whether the working tree had no uncommitted changes when the run started. */
    readonly clean: boolean;
    /** When it passed (ISO 8601). */
    readonly at: string;
}

/**
 * The last run of the whole suite: every spec file under test/ loaded and every test in it run (no
 * `--grep`, no single file). A focused run leaves the record as it was.
 */
export interface SuiteRun extends TestPass {
    /** Spec files the run loaded; every one under test/. */
    readonly files: number;
    readonly passed: number;
    readonly failed: number;
    /** Tests skipped by `it.skip` or `this.skip()` (a server binary missing outside CI, say). */
    readonly pending: number;
}

/** Passed tests by full title (mocha's `fullTitle()`: describe titles and the test title, joined by spaces). */
export interface TestEvidence {
    readonly passed: Readonly<Record<string, TestPass>>;
    /** The last run of the whole suite, when one was recorded. */
    readonly suite?: SuiteRun;
    /** Set when the evidence file exists but cannot be read: no pass in it is trusted. */
    readonly unreadable?: string;
}

/** The commit checked out and whether the tree has uncommitted changes; commit undefined outside a git checkout. */
export interface Checkout {
    readonly commit?: string;
    readonly clean: boolean;
}

export function currentCheckout(root = PROJECT_ROOT): Checkout {
    const git = (...args: string[]) => spawnSync("git", args, { cwd: root, encoding: "utf8" });
    const head = git("rev-parse", "HEAD");
    if (head.status !== 0) return { clean: false };
    const status = git("status", "--porcelain");
    return { commit: head.stdout.trim(), clean: status.status === 0 && status.stdout.trim() === "" };
}

export function readTestEvidence(file = TEST_EVIDENCE_FILE): TestEvidence {
    if (!fs.existsSync(file)) return { passed: {} };
    try {
        const doc = JSON.parse(fs.readFileSync(file, "utf8")) as TestEvidence;
        if (!doc || typeof doc.passed !== "object" || doc.passed === null) throw new Error("no `passed` map");
        return doc.suite === undefined ? { passed: doc.passed } : { passed: doc.passed, suite: doc.suite };
    } catch (e) {
        return { passed: {}, unreadable: `${path.relative(PROJECT_ROOT, file)}: ${(e as Error).message}` };
    }
}

const short = (commit: string) => commit.slice(0, 12);

/** Where a recorded pass stands against the checkout: undefined when it holds, else why not. */
function staleness(pass: TestPass, checkout: Checkout): string | undefined {
    if (!checkout.commit) return `at ${short(pass.commit)}, but this is no git checkout to compare it with`;
    if (pass.commit !== checkout.commit) return `at ${short(pass.commit)}, not at HEAD ${short(checkout.commit)}; run npm test`;
    if (!pass.clean) return `at ${short(pass.commit)} with uncommitted changes; commit, then run npm test`;
    if (!checkout.clean) return `at ${short(pass.commit)}, but the tree has changed since; commit, then run npm test`;
    return undefined;
}

/** Whether the whole suite (`npm test`'s mocha run over every spec file) ran at the commit checked out now with no test failing. */
export function judgeSuite(evidence: TestEvidence, checkout: Checkout): { holds: boolean; text: string } {
    if (evidence.unreadable) return { holds: false, text: `suite: evidence unreadable (${evidence.unreadable}); run npm test` };
    const run = evidence.suite;
    if (!run) return { holds: false, text: "suite: no run of every spec file recorded; run npm test" };
    const counts = `${run.passed} passing, ${run.pending} pending, ${run.failed} failing, ${run.files} spec files`;
    const stale = staleness(run, checkout);
    if (stale) return { holds: false, text: `suite: ran ${stale} (${counts})` };
    if (run.failed > 0 || run.passed === 0) return { holds: false, text: `suite: ran at ${short(run.commit)} with failures (${counts})` };
    return { holds: true, text: `suite: every spec file ran at ${short(run.commit)} (${counts})` };
}

/** Whether the test named `title` passed at the commit checked out now, and a line saying so. */
export function judgeTest(title: string, evidence: TestEvidence, checkout: Checkout): { holds: boolean; text: string } {
    const name = `test "${title}"`;
    if (evidence.unreadable) return { holds: false, text: `${name}: evidence unreadable (${evidence.unreadable}); run npm test` };
    const pass = evidence.passed[title];
    if (!pass) return { holds: false, text: `${name}: no recorded pass; run npm test` };
    const stale = staleness(pass, checkout);
    if (stale) return { holds: false, text: `${name}: passed ${stale}` };
    return { holds: true, text: `${name}: passed at ${short(pass.commit)}` };
}
