import * as assert from "assert";
import { requireSelectorMatchesTemplate } from "../../../../policies/rules/hygiene/requireSelectorMatchesTemplate";
import { asKind, compliantDeployment, named } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const NO_SELECTOR = "has no selector; set spec.selector.matchLabels to the template's stable labels";
const selector = (s: unknown) => withChange(compliantDeployment(), (x) => (x.spec.selector = s));

describe(requireSelectorMatchesTemplate.name, () => {
    it("accepts a selector that is a subset of the template's labels, by labels or expressions", () => {
        assert.deepStrictEqual(violations(requireSelectorMatchesTemplate, compliantDeployment()), []);
        const expr = selector({ matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["api"] }] });
        assert.deepStrictEqual(violations(requireSelectorMatchesTemplate, expr), []);
    });

    it("refuses a missing or empty selector", () => {
        for (const s of [undefined, {}, { matchLabels: {} }, { matchLabels: {}, matchExpressions: [] }]) {
            assert.deepStrictEqual(
                violations(requireSelectorMatchesTemplate, selector(s)),
                [`Deployment voting-api/api: ${NO_SELECTOR}`],
                JSON.stringify(s),
            );
        }
    });

    it("refuses a selector the template's labels do not satisfy, naming its labels or itself", () => {
        assert.deepStrictEqual(violations(requireSelectorMatchesTemplate, selector({ matchLabels: { app: "web" } })), [
            'Deployment voting-api/api: selector {"app":"web"} does not match its pod template labels',
        ]);
        const expr = { matchExpressions: [{ key: "tier", operator: "Exists" }] };
        assert.deepStrictEqual(violations(requireSelectorMatchesTemplate, selector(expr)), [
            `Deployment voting-api/api: selector ${JSON.stringify(expr)} does not match its pod template labels`,
        ]);
    });

    it("judges Deployments, StatefulSets, DaemonSets and ReplicaSets, and no other kind", () => {
        for (const k of ["StatefulSet", "DaemonSet", "ReplicaSet"] as const) {
            const obj = withChange(asKind(k), (x) => delete x.spec.selector);
            assert.deepStrictEqual(violations(requireSelectorMatchesTemplate, obj), [`${named(obj)}: ${NO_SELECTOR}`]);
        }
        for (const k of ["Pod", "Job", "CronJob"] as const) assert.deepStrictEqual(violations(requireSelectorMatchesTemplate, asKind(k)), [], k);
        assert.deepStrictEqual(
            violations(
                requireSelectorMatchesTemplate,
                withChange(compliantDeployment(), (x) => delete x.spec),
            ),
            [],
        );
    });

    it("refuses a selector when there is no template, or no template metadata, to match", () => {
        for (const change of [(x: any) => delete x.spec.template, (x: any) => delete x.spec.template.metadata]) {
            assert.deepStrictEqual(violations(requireSelectorMatchesTemplate, withChange(compliantDeployment(), change)), [
                'Deployment voting-api/api: selector {"app.kubernetes.io/name":"api"} does not match its pod template labels',
            ]);
        }
    });

    it("judges an Argo Rollout with its own template, and passes over one that points at a Deployment's template", () => {
        const rollout = (change: (x: any) => void) =>
            withChange({ ...compliantDeployment(), apiVersion: "argoproj.io/v1alpha1", kind: "Rollout" }, change);
        assert.deepStrictEqual(
            violations(
                requireSelectorMatchesTemplate,
                rollout(() => undefined),
            ),
            [],
        );
        assert.deepStrictEqual(
            violations(
                requireSelectorMatchesTemplate,
                rollout((x) => (x.spec.selector = { matchLabels: { app: "web" } })),
            ),
            ['Rollout voting-api/api: selector {"app":"web"} does not match its pod template labels'],
        );
        const ref = rollout((x) => {
            delete x.spec.template;
            x.spec.workloadRef = { apiVersion: "apps/v1", kind: "Deployment", name: "api" };
        });
        assert.deepStrictEqual(violations(requireSelectorMatchesTemplate, ref), []);
    });
});
