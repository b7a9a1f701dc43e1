import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { judgeItem, runMutant, stackFacts, type JudgeInputs, type StackFacts } from "../../checklist/evidence";
import { mutant, set, unset } from "../../checklist/mutants";
import type { TestEvidence } from "../../checklist/rehearsals";
import type { ChecklistItem } from "../../checklist/types";
import { kubernetesObjects } from "../../tools/lib/render";
import { PACK_CONFIG_DIR, readPackConfig } from "../../tools/check";
import { PROJECT_ROOT } from "../../tools/lib/stackConfig";
import { toJson } from "../../tools/checklist";
import { rendered } from "../helpers/render";

const API = ["Deployment", "voting-api/api"] as const;
const HEAD = "0123456789abcdef0123456789abcdef01234567";
const OTHER = "fedcba9876543210fedcba9876543210fedcba98";
const TITLE = "stream bootstrap Job (7.3.1, 7.3.2) its shell, against a real Redis creates stream votes with group vote-processors";

/** A compliant policy-enforced item, shaped like 1.1.1. */
const nonRoot: ChecklistItem = {
    id: "1.1.1",
    section: "Security",
    title: "All containers run as non-root",
    enforce: "infra + policy",
    met: { components: ["voting:workloads:Workload"], policies: ["require-non-root"] },
    mutants: [mutant("PostgreSQL runs as root", (s) => set(s.podSpec("StatefulSet", "voting-data/postgres"), "securityContext.runAsUser", 0))],
};

/** A behaviour item, shaped like 7.3.1, with one rehearsal on prod. */
const bootstrap: ChecklistItem = {
    id: "7.3.1",
    section: "Pre-deployment validation",
    title: "Redis stream `votes` exists",
    enforce: "infra (init Job)",
    met: { components: ["voting:jobs:StreamBootstrap"] },
    rehearsals: { prod: [TITLE], staging: "not rehearsed in this test" },
};

const factsOf = async (stack: "prod" | "staging", edit?: (objects: any[]) => void): Promise<StackFacts> => {
    const render = await rendered(stack);
    const objects = structuredClone(kubernetesObjects(render));
    edit?.(objects);
    return stackFacts(stack, render, readPackConfig(path.join(PACK_CONFIG_DIR, `${stack}.json`)), objects);
};

const passed = (commit: string, clean = true): TestEvidence => ({ passed: { [TITLE]: { commit, clean, at: "2025-01-01T00:00:00.000Z" } } });

describe("checklist status from evidence", () => {
    let prod: StackFacts;
    let staging: StackFacts;
    before(async () => {
        prod = await factsOf("prod");
        staging = await factsOf("staging");
    });

    const inputs = (items: readonly ChecklistItem[], over: Partial<JudgeInputs> = {}): JudgeInputs => {
        const stacks = over.stacks ?? { prod, staging };
        return {
            stacks,
            mutants: items.flatMap((i) => (i.mutants ?? []).map((m) => runMutant(i.id, m, stacks.prod))),
            tests: { passed: {} },
            checkout: { commit: HEAD, clean: true },
            root: PROJECT_ROOT,
            ...over,
        };
    };
    const judge = (item: ChecklistItem, over: Partial<JudgeInputs> = {}) => judgeItem(item, inputs([item], over));
    const texts = (item: ChecklistItem, over: Partial<JudgeInputs> = {}) =>
        judge(item, over).evidence.map((e) => `${e.holds ? "ok" : "NO"} ${e.text}`);

    it("calls an item met when its component renders, its policy passes on both stacks and the pack blocks its mutant", () => {
        const r = judge(nonRoot);
        assert.strictEqual(r.status, "met");
        assert.deepStrictEqual(texts(nonRoot), [
            "ok component voting:workloads:Workload: rendered in prod and staging (19 resources in prod)",
            "ok policy require-non-root: passes on prod and staging",
            'ok mutant "PostgreSQL runs as root": blocked by require-non-root (mandatory)',
        ]);
    });

    it("does not call an item met when a policy it lists fails on one stack", async () => {
        const rootStaging = await factsOf("staging", (objects) => {
            objects.find((o) => o.kind === "Deployment" && o.metadata.name === "api").spec.template.spec.securityContext.runAsUser = 0;
        });
        const r = judge(nonRoot, { stacks: { prod, staging: rootStaging } });
        assert.strictEqual(r.status, "partial");
        assert.deepStrictEqual(
            r.evidence.filter((e) => !e.holds).map((e) => e.text),
            [
                'policy require-non-root: 1 mandatory violation(s) on staging (Deployment voting-api/api: container "api" runs as UID 0 (runAsUser: 0); use a non-zero UID)',
            ],
        );
    });

    it("does not call an item met when the pack does not block its mutant", () => {
        const item = { ...nonRoot, mutants: [mutant("the API logs at DEBUG", (s) => set(s.container(...API, "api").env[0], "value", "DEBUG"))] };
        const r = judge(item);
        assert.strictEqual(r.status, "partial");
        assert.deepStrictEqual(texts(item)[2], 'NO mutant "the API logs at DEBUG": NOT blocked: no mandatory violation carries 1.1.1');
    });

    it("says a mutant that only draws an advisory warning is not blocked", async () => {
        const advisory = await factsOf("prod");
        const warnOnly = {
            ...advisory,
            rules: advisory.rules.map((r) => (r.rule.name === "require-non-root" ? { ...r, level: "advisory" as const } : r)),
        };
        const r = runMutant("1.1.1", nonRoot.mutants![0], warnOnly);
        assert.strictEqual(r.outcome, "not blocked");
        // One warning per container of the pod: the server, its password-at-start init container and its password-sync sidecar.
        assert.deepStrictEqual(
            r.warnings.map((v) => [v.policy, v.level]),
            [0, 1, 2].map(() => ["require-non-root", "advisory"]),
        );
    });

    it("counts a mutant whose target is missing as an error, never a pass", () => {
        const item = {
            ...nonRoot,
            mutants: [mutant("the API runs as root", (s) => set(s.podSpec("Deployment", "voting-api/apii"), "securityContext.runAsUser", 0))],
        };
        assert.strictEqual(judge(item).status, "partial");
        assert.strictEqual(texts(item)[2], 'NO mutant "the API runs as root": error: no Deployment voting-api/apii in the rendered stack');
    });

    it("counts a mutant that removes a field the object lacks, or changes nothing, as an error", () => {
        const absent = mutant("the API drops hostNetwork", (s) => unset(s.podSpec(...API), "hostNetwork"));
        const same = mutant("the API runs as UID 65532", (s) => set(s.podSpec(...API), "securityContext.runAsUser", 65532));
        assert.strictEqual(runMutant("1.1.1", absent, prod).error, "no field hostNetwork to remove");
        assert.strictEqual(runMutant("1.1.1", same, prod).error, "it changed nothing in the stack");
    });

    it("leaves the rendered stack as it was after a mutant ran", () => {
        const before = JSON.stringify(prod.objects);
        runMutant("1.1.1", nonRoot.mutants![0], prod);
        assert.strictEqual(JSON.stringify(prod.objects), before);
    });

    it("does not call a policy-enforced item met when it declares no mutant", () => {
        const item = { ...nonRoot, mutants: [] };
        assert.strictEqual(judge(item).status, "partial");
        assert.strictEqual(texts(item)[2], "NO mutant: none declared; nothing shows the pack blocks a change that breaks 1.1.1");
    });

    it("names each kind of evidence the checklist asks for and the item lacks", () => {
        const item: ChecklistItem = { ...nonRoot, enforce: "policy + doc", met: { policies: ["require-non-root"] } };
        assert.deepStrictEqual(texts(item), [
            "NO doc: none named; the checklist asks for doc",
            "ok policy require-non-root: passes on prod and staging",
            'ok mutant "PostgreSQL runs as root": blocked by require-non-root (mandatory)',
        ]);
    });

    it("checks that a named component is rendered, a verify component renders Jobs and a named doc exists", () => {
        const item: ChecklistItem = {
            id: "8.2",
            section: "Post-deployment verification",
            title: "Network policy verification",
            enforce: "infra + verify + doc",
            met: {
                components: ["voting:nowhere:Missing"],
                verify: ["voting:verify:ConnectivityVerification", "voting:namespaces:Namespaces"],
                docs: ["docs/network.md", "docs/missing.md"],
            },
        };
        assert.deepStrictEqual(texts(item), [
            "NO component voting:nowhere:Missing: not rendered in prod",
            "ok verify voting:verify:ConnectivityVerification: renders 3 Job(s) in prod",
            "NO verify voting:namespaces:Namespaces: renders no Job in prod",
            "ok doc docs/network.md: exists",
            "NO doc docs/missing.md: missing",
        ]);
        assert.strictEqual(judge(item).status, "partial");
    });

    it("does not call an item met while a problem found on review is listed", () => {
        const item = { ...nonRoot, problems: ["the data layer runs as root"] };
        assert.strictEqual(judge(item).status, "partial");
        assert.strictEqual(texts(item)[3], "NO problem: the data layer runs as root");
    });

    describe("rehearsals", () => {
        it("does not call a behaviour item met while its rehearsal has no recorded pass", () => {
            assert.strictEqual(judge(bootstrap).status, "partial");
            assert.deepStrictEqual(texts(bootstrap).slice(1), [
                `NO rehearsal on prod: test "${TITLE}": no recorded pass; run npm test`,
                "ok rehearsal on staging: not applicable (not rehearsed in this test)",
            ]);
        });

        it("calls it met once the rehearsal passed at the commit checked out, on a clean tree", () => {
            assert.strictEqual(judge(bootstrap, { tests: passed(HEAD) }).status, "met");
            assert.strictEqual(texts(bootstrap, { tests: passed(HEAD) })[1], `ok rehearsal on prod: test "${TITLE}": passed at 0123456789ab`);
        });

        it("calls a pass at another commit stale", () => {
            assert.strictEqual(judge(bootstrap, { tests: passed(OTHER) }).status, "partial");
            assert.strictEqual(
                texts(bootstrap, { tests: passed(OTHER) })[1],
                `NO rehearsal on prod: test "${TITLE}": passed at fedcba987654, not at HEAD 0123456789ab; run npm test`,
            );
        });

        it("does not trust a pass recorded with uncommitted changes, or a tree changed since", () => {
            assert.strictEqual(
                texts(bootstrap, { tests: passed(HEAD, false) })[1],
                `NO rehearsal on prod: test "${TITLE}": passed at 0123456789ab with uncommitted changes; commit, then run npm test`,
            );
            assert.strictEqual(
                texts(bootstrap, { tests: passed(HEAD), checkout: { commit: HEAD, clean: false } })[1],
                `NO rehearsal on prod: test "${TITLE}": passed at 0123456789ab, but the tree has changed since; commit, then run npm test`,
            );
        });

        it("does not call it met when a stack it applies to names no test", () => {
            const item = { ...bootstrap, rehearsals: { prod: [], staging: [TITLE] } };
            assert.strictEqual(judge(item, { tests: passed(HEAD) }).status, "partial");
            assert.deepStrictEqual(texts(item, { tests: passed(HEAD) }).slice(1), [
                "NO rehearsal on prod: no test named that runs it on prod's path",
                `ok rehearsal on staging: test "${TITLE}": passed at 0123456789ab`,
            ]);
        });
    });

    describe("the project's own test suite", () => {
        /** Shaped like 7.2.4. */
        const unitTests: ChecklistItem = {
            id: "7.2.4",
            section: "Pre-deployment validation",
            title: "Unit tests pass",
            enforce: "infra (the project's own tests)",
            met: { suite: true, docs: ["README.md"] },
        };
        const suiteRun = (commit: string, failed = 0, clean = true): TestEvidence => ({
            passed: {},
            suite: { commit, clean, at: "2025-01-01T00:00:00.000Z", files: 120, passed: 1800, failed, pending: 2 },
        });

        it("calls the item met when every spec file ran at the commit checked out, on a clean tree, with nothing failing", () => {
            assert.strictEqual(judge(unitTests, { tests: suiteRun(HEAD) }).status, "met");
            assert.deepStrictEqual(texts(unitTests, { tests: suiteRun(HEAD) }), [
                "ok suite: every spec file ran at 0123456789ab (1800 passing, 2 pending, 0 failing, 120 spec files)",
                "ok doc README.md: exists",
            ]);
        });

        it("does not call it met when a test failed, the run is stale, or no whole run is recorded", () => {
            assert.strictEqual(judge(unitTests, { tests: suiteRun(HEAD, 1) }).status, "partial");
            assert.strictEqual(
                texts(unitTests, { tests: suiteRun(HEAD, 1) })[0],
                "NO suite: ran at 0123456789ab with failures (1800 passing, 2 pending, 1 failing, 120 spec files)",
            );
            assert.strictEqual(
                texts(unitTests, { tests: suiteRun(OTHER) })[0],
                "NO suite: ran at fedcba987654, not at HEAD 0123456789ab; run npm test (1800 passing, 2 pending, 0 failing, 120 spec files)",
            );
            assert.strictEqual(
                texts(unitTests, { tests: suiteRun(HEAD, 0, false) })[0],
                "NO suite: ran at 0123456789ab with uncommitted changes; commit, then run npm test (1800 passing, 2 pending, 0 failing, 120 spec files)",
            );
            assert.strictEqual(texts(unitTests)[0], "NO suite: no run of every spec file recorded; run npm test");
        });

        it("still asks for infra from an item that names neither components nor the suite", () => {
            const item = { ...unitTests, met: { docs: ["README.md"] } };
            assert.strictEqual(judge(item, { tests: suiteRun(HEAD) }).status, "partial");
            assert.strictEqual(texts(item)[0], "NO component: none named; the checklist asks for infra");
        });
    });

    describe("options", () => {
        const l7: ChecklistItem = {
            id: "9.4",
            section: "Future improvements",
            title: "Cilium L7 policies (HTTP method filtering)",
            enforce: "infra (optional)",
            met: { components: ["voting:network:TrafficPolicies"] },
            option: "features.ciliumL7Policies",
        };

        it("calls an optional item whose flag is off in both stacks optional, whatever it names", () => {
            const r = judge(l7);
            assert.strictEqual(r.status, "optional");
            assert.deepStrictEqual(texts(l7), ["ok option features.ciliumL7Policies: off in prod and staging"]);
        });

        it("judges it on its evidence once the flag is on in one stack", () => {
            const key = `${prod.config.project}:features`;
            const on = JSON.stringify({ ...JSON.parse(prod.config.values[key]), ciliumL7Policies: true });
            const prodOn = { ...prod, config: { ...prod.config, values: { ...prod.config.values, [key]: on } } };
            const r = judge(l7, { stacks: { prod: prodOn, staging } });
            assert.strictEqual(r.status, "met");
            assert.deepStrictEqual(
                r.evidence.map((e) => e.text),
                ["component voting:network:TrafficPolicies: rendered in prod and staging (34 resources in prod)"],
            );
        });

        it("calls an optional item that names nothing optional, not planned", () => {
            const item: ChecklistItem = { id: "9.7", section: "Future improvements", title: "Service mesh", enforce: "infra (optional)", met: {} };
            assert.strictEqual(judge(item).status, "optional");
        });
    });

    describe("npm run checklist -- --format json", () => {
        it('prints {"items":[{"id","status","evidence":[...]}]} with the title and the evidence that did not hold', () => {
            const reports = [judge(nonRoot), judge({ ...nonRoot, problems: ["p"] })];
            const json = toJson(reports);
            assert.deepStrictEqual(Object.keys(json), ["items"]);
            assert.deepStrictEqual(Object.keys(json.items[0]), ["id", "title", "status", "evidence", "gaps"]);
            assert.deepStrictEqual(json.items[1], {
                id: "1.1.1",
                title: "All containers run as non-root",
                status: "partial",
                evidence: [
                    "component voting:workloads:Workload: rendered in prod and staging (19 resources in prod)",
                    "policy require-non-root: passes on prod and staging",
                    'mutant "PostgreSQL runs as root": blocked by require-non-root (mandatory)',
                    "problem: p",
                ],
                gaps: ["problem: p"],
            });
        });

        it("exits 2 with one line on stderr for an unknown format", () => {
            const r = spawnSync(
                process.execPath,
                [require.resolve("ts-node/dist/bin.js"), "--transpile-only", "tools/checklist.ts", "--format", "xml"],
                {
                    cwd: PROJECT_ROOT,
                    encoding: "utf8",
                },
            );
            assert.deepStrictEqual([r.status, r.stdout, r.stderr], [2, "", 'checklist: --format must be text or json, not "xml"\n']);
        });
    });
});
