import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { RULES } from "../../policies/rules";
import { packConfigs } from "../../tools/lib/listPolicies";
import { PEER_CATALOG, PEER_TOOLS, type PeerTool } from "../../tools/lib/peerCatalog";
import { POLICY_DOCS_FILE, renderPolicyDocs, sourcesOf } from "../../tools/lib/policyDocs";
import { PROJECT_ROOT } from "../../tools/lib/stackConfig";

const TOOLS = Object.keys(PEER_TOOLS) as PeerTool[];
/** The shared conformance corpus: beside the clone (CI), or beside the worktrees. */
const CORPUS = [path.join(PROJECT_ROOT, "..", "shared", "conformance"), path.join(PROJECT_ROOT, "..", "..", "shared", "conformance")].find((d) =>
    fs.existsSync(d),
);

describe("docs/policies.md", () => {
    it("is what npm run docs generates from the rules and the pack configs", () => {
        const expected = renderPolicyDocs(RULES, packConfigs(path.join(PROJECT_ROOT, "policies", "config")), PROJECT_ROOT);
        assert.ok(
            fs.readFileSync(path.join(PROJECT_ROOT, POLICY_DOCS_FILE), "utf8") === expected,
            "docs/policies.md is out of date: run npm run docs",
        );
    });

    it("has a section for every policy, which the CrossGuard policy links to", () => {
        const text = fs.readFileSync(path.join(PROJECT_ROOT, POLICY_DOCS_FILE), "utf8");
        for (const rule of RULES) {
            assert.strictEqual(rule.url, `${POLICY_DOCS_FILE}#${rule.name}`);
            assert.ok(text.includes(`\n### ${rule.name}\n\n${rule.description}\n`), rule.name);
        }
    });

    it("names each policy's source file and at least one spec that tests it", () => {
        for (const [name, where] of sourcesOf(RULES, PROJECT_ROOT)) {
            assert.ok(where.source.startsWith("policies/rules/"), `${name} has no source file`);
            assert.ok(where.tests.length > 0, `${name} has no spec`);
        }
    });
});

describe("peers declared on the rules", () => {
    it("name only checks the peer catalog knows, each at most once per rule", () => {
        for (const rule of RULES) {
            for (const tool of TOOLS) {
                const declared = rule.peers[tool] ?? [];
                assert.strictEqual(new Set(declared).size, declared.length, `${rule.name} repeats a ${tool} check`);
                for (const check of declared)
                    assert.ok(
                        PEER_CATALOG[tool].some((c) => c.check === check),
                        `${rule.name} declares unknown ${tool} check ${check}`,
                    );
            }
        }
    });

    it("leave no check of the catalog without a rule or a reason, and none with both", () => {
        for (const tool of TOOLS) {
            for (const c of PEER_CATALOG[tool]) {
                const covered = RULES.some((r) => (r.peers[tool] ?? []).includes(c.check));
                assert.ok(
                    covered !== (c.notCovered !== undefined),
                    `${tool} ${c.check}: ${covered ? "covered, yet says why not" : "neither covered nor explained"}`,
                );
                assert.ok(!(c.note && !covered), `${tool} ${c.check} has a note but no rule`);
            }
            assert.strictEqual(new Set(PEER_CATALOG[tool].map((c) => c.check)).size, PEER_CATALOG[tool].length, `${tool} lists a check twice`);
        }
    });

    it("cover every Polaris check that the conformance mapping scores", function () {
        if (!CORPUS) return this.skip();
        const mapping = path.join(CORPUS, "polaris", "MAPPING.tsv");
        const checks = fs
            .readFileSync(mapping, "utf8")
            .trim()
            .split("\n")
            .slice(1)
            .map((l) => l.split("\t")[0]);
        const declared = new Set(RULES.flatMap((r) => r.peers.polaris ?? []));
        assert.deepStrictEqual(
            checks.filter((c) => !declared.has(c)),
            [],
        );
    });

    it("agree with Polaris on its own fixtures: every failure flagged, and only the documented successes flagged", function () {
        if (!CORPUS) return this.skip();
        const scorer = path.join(CORPUS, "polaris.mjs");
        const r = spawnSync(process.execPath, [scorer, "--verbose"], { cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        const lines = r.stdout.trim().split("\n");
        // Stricter by design (docs/conformance.md): the pack requires CPU as well as memory, and judges a
        // system- or cloud-prefixed binding by what it binds rather than by its name.
        assert.deepStrictEqual(lines.slice(0, -1), [
            "flagged  clusterrolebindingClusterAdmin/success.gce_calico_binding.yaml (should pass 6.5.2)",
            "flagged  clusterrolebindingClusterAdmin/success.system_prefix_binding.yaml (should pass 6.5.2)",
            "flagged  memoryLimitsMissing/success.yaml (should pass 2.2.2)",
            "flagged  memoryRequestsMissing/success.yaml (should pass 2.2.1)",
            "flagged  rolebindingClusterAdminClusterRole/success.gce_calico_binding.yaml (should pass 6.5.2)",
            "flagged  rolebindingClusterAdminClusterRole/success.system_prefix_binding.yaml (should pass 6.5.2)",
            "flagged  rolebindingClusterAdminRole/success.gce_calico_binding.yaml (should pass 6.5.2)",
            "flagged  rolebindingClusterAdminRole/success.system_prefix_binding.yaml (should pass 6.5.2)",
        ]);
        assert.match(
            lines[lines.length - 1],
            /^polaris conformance by policy: 198\/206 fixtures agree \(failures flagged 155\/155, successes clean 43\/51\)$/,
        );
    });
});
