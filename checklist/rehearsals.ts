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

/** Passed tests by full title (mocha's `fullTitle()`: describe titles and the test title, joined by spaces). */
export interface TestEvidence {
    readonly passed: Readonly<Record<string, TestPass>>;
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
        return { passed: doc.passed };
    } catch (e) {
        return { passed: {}, unreadable: `${path.relative(PROJECT_ROOT, file)}: ${(e as Error).message}` };
    }
}

const short = (commit: string) => commit.slice(0, 12);

/** Whether the test named `title` passed at the commit checked out now, and a line saying so. */
export function judgeTest(title: string, evidence: TestEvidence, checkout: Checkout): { holds: boolean; text: string } {
    const name = `test "${title}"`;
    if (evidence.unreadable) return { holds: false, text: `${name}: evidence unreadable (${evidence.unreadable}); run npm test` };
    const pass = evidence.passed[title];
    if (!pass) return { holds: false, text: `${name}: no recorded pass; run npm test` };
    if (!checkout.commit) return { holds: false, text: `${name}: passed at ${short(pass.commit)}, but this is no git checkout to compare it with` };
    if (pass.commit !== checkout.commit)
        return { holds: false, text: `${name}: passed at ${short(pass.commit)}, not at HEAD ${short(checkout.commit)}; run npm test` };
    if (!pass.clean) return { holds: false, text: `${name}: passed at ${short(pass.commit)} with uncommitted changes; commit, then run npm test` };
    if (!checkout.clean)
        return { holds: false, text: `${name}: passed at ${short(pass.commit)}, but the tree has changed since; commit, then run npm test` };
    return { holds: true, text: `${name}: passed at ${short(pass.commit)}` };
}
