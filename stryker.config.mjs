/**
 * Mutation testing (`npm run mutation`): StrykerJS plants small defects in the pack and the pure builders,
 * one at a time, and runs the fast unit specs against each; a defect no test notices is a survivor.
 * Not part of `npm test` or CI: it is a measurement, run by hand (docs/testing.md says how and lists the
 * survivors judged equivalent). Pass `--mutate <glob>` to measure one directory at a time.
 */
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
    packageManager: "npm",
    testRunner: "mocha",
    // No type checker: on two shared cores it re-checked the whole spec set for each mutant of a rule the
    // pack index imports (minutes per mutant). Mutants run as transpiled JavaScript instead.
    checkers: [],
    tsconfigFile: "tsconfig.mutation.json",
    coverageAnalysis: "perTest",
    incremental: true,
    incrementalFile: "reports/mutation/stryker-incremental.json",
    mutate: [
        "policies/**/*.ts",
        "!policies/index.ts",
        "components/capacity.ts",
        "components/labels.ts",
        "components/release.ts",
        "config/validate.ts",
        "config/workloads.ts",
    ],
    mochaOptions: { config: "test/mutation.mocharc.json" },
    plugins: ["@stryker-mutator/mocha-runner", "./test/mutation/ignoreDocs.mjs"],
    ignorers: ["rule-docs"],
    // Mutants that run only while modules load (rule metadata, module-level tables) need a fresh process
    // and the whole spec set each: hours on two shared cores. They are left out of the score here; the
    // catalogue spec and the per-entry tests pin them instead (docs/testing.md).
    ignoreStatic: true,
    // Two shared cores, shared with other work.
    concurrency: 2,
    // A mocha runner reused for hundreds of mutants grows past 2 GB and slows to a crawl; a fresh one every
    // 40 mutants costs a few seconds of loading.
    maxTestRunnerReuse: 40,
    timeoutMS: 20000,
    reporters: ["html", "json", "clear-text", "progress"],
    htmlReporter: { fileName: "reports/mutation/index.html" },
    jsonReporter: { fileName: "reports/mutation/mutation.json" },
    clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
    tempDirName: ".stryker-tmp",
    cleanTempDir: "always",
    ignorePatterns: ["reports", ".evidence", "bin", "out"],
    thresholds: { high: 90, low: 80, break: null },
};
