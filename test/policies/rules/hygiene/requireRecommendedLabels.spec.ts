import * as assert from "assert";
import { requireRecommendedLabels } from "../../../../policies/rules/hygiene/requireRecommendedLabels";
import { asKind, compliantDeployment, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const ALL = [
    "app.kubernetes.io/name",
    "app.kubernetes.io/instance",
    "app.kubernetes.io/component",
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/managed-by",
];

describe(requireRecommendedLabels.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(requireRecommendedLabels, asKind(k)), [], k);
    });

    it("refuses each recommended label missing from the object, on its own", () => {
        for (const label of ALL) {
            const d = withChange(compliantDeployment(), (x) => (x.metadata!.labels = { ...x.metadata!.labels, [label]: "" }));
            assert.deepStrictEqual(violations(requireRecommendedLabels, d), [`Deployment voting-api/api: lacks labels ${label}`]);
        }
    });

    it("refuses labels missing from the object and from its pod template, separately", () => {
        const bare = withChange(compliantDeployment(), (x) => {
            x.metadata!.labels = { "app.kubernetes.io/name": "api" };
            delete x.spec.template.metadata.labels["app.kubernetes.io/part-of"];
        });
        assert.deepStrictEqual(violations(requireRecommendedLabels, bare), [
            "Deployment voting-api/api: lacks labels app.kubernetes.io/instance, app.kubernetes.io/component, app.kubernetes.io/part-of, app.kubernetes.io/managed-by",
            "Deployment voting-api/api: its pod template lacks labels app.kubernetes.io/part-of",
        ]);
        const none = withChange(compliantDeployment(), (x) => {
            delete x.metadata!.labels;
            delete x.spec.template.metadata;
        });
        assert.deepStrictEqual(violations(requireRecommendedLabels, none), [
            `Deployment voting-api/api: lacks labels ${ALL.join(", ")}`,
            `Deployment voting-api/api: its pod template lacks labels ${ALL.join(", ")}`,
        ]);
    });

    it("refuses unlabelled pod templates on every kind with a template, and judges a bare Pod's own labels once", () => {
        for (const k of POD_KINDS.filter((k) => k !== "Pod" && k !== "CronJob")) {
            const obj = withChange(asKind(k), (x) => delete x.spec.template.metadata.labels);
            assert.deepStrictEqual(violations(requireRecommendedLabels, obj), [`${named(obj)}: its pod template lacks labels ${ALL.join(", ")}`]);
        }
        const cron = withChange(asKind("CronJob"), (x) => delete x.spec.jobTemplate.spec.template.metadata.labels);
        assert.deepStrictEqual(violations(requireRecommendedLabels, cron), [`${named(cron)}: its pod template lacks labels ${ALL.join(", ")}`]);
        const pod = withChange(asKind("Pod"), (x) => delete x.metadata!.labels);
        assert.deepStrictEqual(violations(requireRecommendedLabels, pod), [`${named(pod)}: lacks labels ${ALL.join(", ")}`]);
    });
});
