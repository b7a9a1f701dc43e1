import * as assert from "assert";
import { selectorLabels, standardLabels } from "../../components/labels";
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
});
