import * as assert from "assert";
import * as path from "path";
import { describeMutant, runMutants, stackFacts, type MutantResult } from "../../checklist/evidence";
import { MutantError, StackCopy } from "../../checklist/mutants";
import { CHECKLIST } from "../../checklist/registry";
import { policyEnforced } from "../../checklist/types";
import { RULES } from "../../policies/rules";
import { PACK_CONFIG_DIR, readPackConfig } from "../../tools/check";
import { kubernetesObjects } from "../../tools/lib/render";
import { rendered } from "../helpers/render";

describe("checklist mutants", () => {
    // Renders prod once and runs every mutant in-process over deep copies of it.
    let results: MutantResult[];
    before(async () => {
        const prod = stackFacts("prod", await rendered("prod"), readPackConfig(path.join(PACK_CONFIG_DIR, "prod.json")));
        results = runMutants(CHECKLIST, prod);
    });

    it("gives every item the pack enforces, or whose evidence names a policy, at least one mutant", () => {
        const enforced = new Set(RULES.flatMap((r) => r.checklist));
        const without = CHECKLIST.filter(
            (i) => ((policyEnforced(i) && enforced.has(i.id)) || (i.met.policies ?? []).length > 0) && (i.mutants ?? []).length === 0,
        ).map((i) => i.id);
        assert.deepStrictEqual(without, []);
    });

    it("has the pack block every mutant declared, with a mandatory violation carrying the item's ID", () => {
        const unexpected = results.filter((r) => !r.mutant.notBlockedYet && r.outcome !== "blocked").map((r) => `${r.item} ${describeMutant(r)}`);
        assert.deepStrictEqual(unexpected, []);
    });

    it("keeps a mutant marked not blocked yet only while the pack really lets it through", () => {
        const stale = results
            .filter((r) => r.mutant.notBlockedYet && r.outcome !== "not blocked")
            .map((r) => `${r.item} ${describeMutant(r)}: remove notBlockedYet`);
        assert.deepStrictEqual(stale, []);
    });

    it("names each mutant once per item", () => {
        for (const item of CHECKLIST) {
            const names = (item.mutants ?? []).map((m) => m.name);
            assert.deepStrictEqual(names, [...new Set(names)], item.id);
        }
    });
});

describe("a stack copy for a mutant", () => {
    const bucket = { type: "aws:s3/bucket:Bucket", name: "voting-backups", props: { forceDestroy: false } };
    let copy: StackCopy;
    before(async () => {
        copy = new StackCopy(kubernetesObjects(await rendered("prod")), [bucket]);
    });

    it("finds objects by kind and namespace/name, and cluster-scoped ones by name", () => {
        assert.strictEqual(copy.object("Deployment", "voting-api/api").metadata?.name, "api");
        assert.strictEqual(copy.object("Namespace", "voting-data").kind, "Namespace");
    });

    it("throws a MutantError naming what is missing", () => {
        assert.throws(() => copy.object("Deployment", "voting-api/web"), new MutantError("no Deployment voting-api/web in the rendered stack"));
        assert.throws(
            () => copy.container("Deployment", "voting-api/api", "sidecar"),
            new MutantError("Deployment voting-api/api has no container sidecar"),
        );
        assert.throws(() => copy.podSpec("Service", "voting-api/api"), new MutantError("Service voting-api/api has no pod spec"));
        assert.throws(
            () => copy.env(copy.container("Deployment", "voting-api/api", "api"), "NOPE"),
            new MutantError("container api has no env NOPE"),
        );
        assert.throws(
            () => copy.cloudResource("aws:eks/cluster:Cluster", "voting"),
            new MutantError("no aws:eks/cluster:Cluster voting in the rendered stack"),
        );
    });

    it("holds deep copies of the cloud resources, for mutants of rules that judge them", () => {
        copy.cloudResource("aws:s3/bucket:Bucket", "voting-backups").props.forceDestroy = true;
        assert.deepStrictEqual([copy.cloud[0].props.forceDestroy, bucket.props.forceDestroy], [true, false]);
    });
});
