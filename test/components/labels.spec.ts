import * as assert from "assert";
import { peerSelectorLabels, platformLabels, selectorLabels, standardLabels, versionLabel } from "../../components/labels";
import { selectorMatches } from "../../policies/lib/k8s";
import { RECOMMENDED_LABELS } from "../../policies/rules/hygiene/requireRecommendedLabels";

describe("standardLabels and selectorLabels", () => {
    it("give every recommended label, the instance naming the stack", () => {
        assert.deepStrictEqual(standardLabels({ name: "api", component: "api" }, "prod"), {
            "app.kubernetes.io/name": "api",
            "app.kubernetes.io/instance": "api-prod",
            "app.kubernetes.io/component": "api",
            "app.kubernetes.io/part-of": "voting-app",
            "app.kubernetes.io/managed-by": "pulumi",
        });
        assert.deepStrictEqual(Object.keys(standardLabels({ name: "redis", component: "cache" }, "staging")), RECOMMENDED_LABELS);
    });

    it("select by name and instance only, a subset that matches the labelled pods of its own stack and no other", () => {
        const subject = { name: "postgres", component: "database" };
        assert.deepStrictEqual(selectorLabels(subject, "staging"), {
            "app.kubernetes.io/name": "postgres",
            "app.kubernetes.io/instance": "postgres-staging",
        });
        assert.ok(selectorMatches({ matchLabels: selectorLabels(subject, "staging") }, standardLabels(subject, "staging")));
        assert.ok(!selectorMatches({ matchLabels: selectorLabels(subject, "staging") }, standardLabels(subject, "prod")));
    });

    it("give a second instance of a workload, its canary, an instance of its own that the main selector does not match", () => {
        const api = { name: "api", component: "api" };
        const canary = { ...api, variant: "canary" };
        assert.deepStrictEqual(selectorLabels(canary, "prod"), { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api-canary-prod" });
        assert.ok(!selectorMatches({ matchLabels: selectorLabels(api, "prod") }, standardLabels(canary, "prod")));
        assert.ok(!selectorMatches({ matchLabels: selectorLabels(canary, "prod") }, standardLabels(api, "prod")));
    });

    it("select a workload as a peer by its name, which every instance carries", () => {
        const api = { name: "api", component: "api" };
        assert.deepStrictEqual(peerSelectorLabels(api), { "app.kubernetes.io/name": "api" });
        for (const subject of [api, { ...api, variant: "canary" }]) {
            assert.ok(selectorMatches({ matchLabels: peerSelectorLabels(api) }, standardLabels(subject, "prod")), JSON.stringify(subject));
        }
        assert.ok(!selectorMatches({ matchLabels: peerSelectorLabels(api) }, standardLabels({ name: "consumer", component: "consumer" }, "prod")));
    });

    it("label a platform-wide object as the platform itself, its component naming the concern", () => {
        assert.deepStrictEqual(platformLabels("network", "prod"), {
            "app.kubernetes.io/name": "voting-app",
            "app.kubernetes.io/instance": "voting-app-prod",
            "app.kubernetes.io/component": "network",
            "app.kubernetes.io/part-of": "voting-app",
            "app.kubernetes.io/managed-by": "pulumi",
        });
    });
});

describe("versionLabel", () => {
    it("keeps a tag that is already a label value", () => {
        assert.deepStrictEqual(versionLabel("1.4.2"), { "app.kubernetes.io/version": "1.4.2" });
        assert.deepStrictEqual(versionLabel("16.4-bookworm_x"), { "app.kubernetes.io/version": "16.4-bookworm_x" });
    });

    it("turns each character outside the label grammar into a dash", () => {
        assert.deepStrictEqual(versionLabel("v1.4.2+build.7"), { "app.kubernetes.io/version": "v1.4.2-build.7" });
    });

    it("trims every leading and trailing character that is not a letter or digit", () => {
        assert.deepStrictEqual(versionLabel("__.1.4.2-._"), { "app.kubernetes.io/version": "1.4.2" });
        assert.deepStrictEqual(versionLabel("+1.4.2+"), { "app.kubernetes.io/version": "1.4.2" });
    });

    it("cuts a long tag to 63 characters, then trims what the cut leaves at its end", () => {
        assert.deepStrictEqual(versionLabel("a".repeat(70)), { "app.kubernetes.io/version": "a".repeat(63) });
        assert.deepStrictEqual(versionLabel(`${"b".repeat(62)}.c`), { "app.kubernetes.io/version": "b".repeat(62) });
    });
});
