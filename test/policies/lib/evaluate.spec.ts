import * as assert from "assert";
import { isCloudType, toK8sObject } from "../../../policies/lib/crossguard";
import { evaluate, evaluateAll, judges, resolveRules, RuleError } from "../../../policies/lib/evaluate";
import type { K8sObject } from "../../../policies/lib/k8s";
import { defineRule } from "../../../policies/lib/rule";
import { subjectsOf } from "../../../policies/lib/rbac";
import { disallowPrivileged } from "../../../policies/rules/security/disallowPrivileged";
import { requireReplicas } from "../../../policies/rules/reliability/requireReplicas";
import { compliantDeployment } from "../../helpers/fixtures";
import { withChange } from "../../helpers/policy";

const privileged = withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].securityContext.privileged = true));

describe("pack config resolution and evaluation", () => {
    it("takes a rule's own level over all's, all's over the rule's default, and reports remediate as mandatory", () => {
        const level = (cfg: Record<string, unknown>) => resolveRules([disallowPrivileged], cfg as never)[0].level;
        assert.strictEqual(level({}), "mandatory");
        assert.strictEqual(level({ all: "advisory" }), "advisory");
        assert.strictEqual(level({ all: { enforcementLevel: "advisory" } }), "advisory");
        assert.strictEqual(level({ all: "advisory", "disallow-privileged": "mandatory" }), "mandatory");
        assert.strictEqual(level({ all: "advisory", "disallow-privileged": { enforcementLevel: "disabled" } }), "disabled");
        const run = (cfg: Record<string, unknown>) => evaluate(resolveRules([disallowPrivileged], cfg as never), [privileged]).map((v) => v.level);
        assert.deepStrictEqual(run({ "disallow-privileged": "remediate" }), ["mandatory"]);
        assert.deepStrictEqual(run({ "disallow-privileged": "advisory" }), ["advisory"]);
        assert.deepStrictEqual(run({ "disallow-privileged": "disabled" }), []);
    });

    it("merges a rule's settings over its defaults, and refuses unknown policies, levels and settings", () => {
        const [r] = resolveRules([requireReplicas], { "require-replicas": { enforcementLevel: "advisory", minReplicas: 3 } });
        assert.deepStrictEqual(r.config, { minReplicas: 3, workloads: {}, exempt: [], waivable: true });
        assert.throws(
            () => resolveRules([requireReplicas], { "require-nothing": "advisory" }),
            /^Error: pack config names an unknown policy "require-nothing"$/,
        );
        assert.throws(
            () => resolveRules([requireReplicas], { "require-replicas": "loud" as never }),
            /^Error: pack config gives "require-replicas" the unknown enforcement level "loud"; use one of advisory, mandatory, remediate, disabled$/,
        );
        assert.throws(
            () => resolveRules([requireReplicas], { "require-replicas": { minimum: 2 } }),
            /gives policy "require-replicas" the unknown setting "minimum"/,
        );
        assert.throws(
            () => resolveRules([requireReplicas], { "require-replicas": { minReplicas: 0 } }),
            /gives policy "require-replicas" a bad setting: minReplicas must be at least 1, not 0/,
        );
    });

    it("reports each violation with its policy, checklist IDs and object", () => {
        const [v] = evaluate(resolveRules([disallowPrivileged]), [privileged]);
        assert.deepStrictEqual([v.policy, v.checklist, v.object], ["disallow-privileged", ["1.1.3", "P.14"], privileged]);
        assert.strictEqual(v.resource, undefined);
    });
});

describe("evaluation of resource, stack and cloud rules", () => {
    const configMap = (name: string, annotations: Record<string, string> = {}): K8sObject => ({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name, namespace: "voting-api", annotations },
    });
    const deployment = compliantDeployment();
    const service: K8sObject = { apiVersion: "v1", kind: "Service", metadata: { name: "api", namespace: "voting-api" } };
    const base = { description: "A sample rule.", severity: "low", remediationSteps: "Fix it.", checklist: ["2.1.1"] } as const;
    const calls: string[] = [];
    const everyObject = defineRule({
        ...base,
        scope: "resource",
        name: "require-anything",
        enforcementLevel: "advisory",
        check: (obj) => {
            calls.push(`any ${obj.kind}`);
            return [`${obj.kind} ${obj.metadata?.name} seen`];
        },
    });
    const configMaps = defineRule({
        ...base,
        scope: "resource",
        name: "require-config-maps",
        enforcementLevel: "mandatory",
        kinds: ["ConfigMap"],
        check: (obj) => [`config map ${obj.metadata?.name}`],
    });
    const workloads = defineRule({
        ...base,
        scope: "resource",
        name: "require-workloads",
        enforcementLevel: "mandatory",
        kinds: "workloads",
        check: (obj) => [`workload ${obj.metadata?.name}`],
    });
    const stack = defineRule({
        ...base,
        scope: "stack",
        name: "require-stack",
        enforcementLevel: "mandatory",
        check: (objects) => objects.filter((o) => o.kind === "Service").map((o) => ({ object: o, message: `stack ${o.metadata?.name}` })),
    });
    const cloud = defineRule({
        ...base,
        scope: "cloud",
        name: "require-cloud",
        enforcementLevel: "mandatory",
        check: (resources) => resources.map((r) => ({ resource: r, message: `cloud ${r.name}` })),
    });
    const failing = (scope: "resource" | "stack") =>
        defineRule({
            ...base,
            scope,
            name: `require-${scope}-success`,
            enforcementLevel: "mandatory",
            check: () => {
                throw new Error("cannot read spec");
            },
        } as never);

    it("hands each resource rule only the kinds it declares, and reports in rule order, then object order", () => {
        calls.length = 0;
        const bucket = { type: "aws:s3/bucketV2:BucketV2", name: "backups", props: {} };
        const found = evaluate(
            resolveRules([cloud, stack, configMaps, workloads, everyObject]),
            [service, configMap("b"), deployment, configMap("a")],
            [bucket],
        );
        assert.deepStrictEqual(
            found.map((v) => `${v.policy} ${v.level}: ${v.message}`),
            [
                "require-cloud mandatory: cloud backups",
                "require-stack mandatory: stack api",
                "require-config-maps mandatory: config map b",
                "require-config-maps mandatory: config map a",
                "require-workloads mandatory: workload api",
                "require-anything advisory: Service api seen",
                "require-anything advisory: ConfigMap b seen",
                "require-anything advisory: Deployment api seen",
                "require-anything advisory: ConfigMap a seen",
            ],
        );
        assert.deepStrictEqual(calls, ["any Service", "any ConfigMap", "any Deployment", "any ConfigMap"]);
        assert.deepStrictEqual(found[0].resource, bucket);
        assert.deepStrictEqual(found[0].object, { kind: "aws:s3/bucketV2:BucketV2", metadata: { name: "backups" } });
        assert.ok(!("resource" in found[1]), "a Kubernetes finding names no cloud resource");
    });

    it("hands cloud rules no resources when the set has none", () => {
        assert.deepStrictEqual(evaluate(resolveRules([cloud]), [service]), []);
        assert.deepStrictEqual(evaluateAll(resolveRules([cloud]), [service]), { violations: [], waived: [] });
    });

    it("runs no rule the pack config disables", () => {
        calls.length = 0;
        const found = evaluate(resolveRules([everyObject, stack], { all: "disabled" }), [service]);
        assert.deepStrictEqual([found, calls], [[], []]);
    });

    it("sets apart the findings an object waives, and notes a waiver the pack config does not honour", () => {
        const waiving = configMap("w", { "waiver.voting-platform.io/require-config-maps": "generated by the chart" });
        const result = evaluateAll(resolveRules([configMaps]), [configMap("plain"), waiving]);
        assert.deepStrictEqual(
            result.violations.map((v) => v.message),
            ["config map plain"],
        );
        assert.deepStrictEqual(
            result.waived.map((w) => [w.message, w.waiver]),
            [["config map w", { source: "annotation", reason: "generated by the chart" }]],
        );
        const unwaivable = evaluateAll(resolveRules([configMaps], { "require-config-maps": { waivable: false } }), [waiving]);
        assert.deepStrictEqual(unwaivable.waived, []);
        assert.deepStrictEqual(
            unwaivable.violations.map((v) => v.message),
            ["config map w (its waiver does not apply: this stack's pack config does not let objects waive require-config-maps)"],
        );
    });

    it("reports a rule that throws as a RuleError naming the rule and what it judged", () => {
        assert.throws(
            () => evaluate(resolveRules([failing("resource")]), [configMap("a")]),
            (e: Error) =>
                e instanceof RuleError &&
                e.name === "RuleError" &&
                e.message === "policy require-resource-success failed on ConfigMap voting-api/a: cannot read spec",
        );
        assert.throws(
            () => evaluate(resolveRules([failing("stack")]), [configMap("a")]),
            (e: Error) => e instanceof RuleError && e.message === "policy require-stack-success failed on the resource set: cannot read spec",
        );
        assert.strictEqual(new RuleError("r", "s", "text").message, 'policy r failed on s: "text"');
    });

    it("tells which objects a resource rule judges", () => {
        assert.deepStrictEqual(
            [everyObject, configMaps, workloads].map((r) => [judges(r, service), judges(r, configMap("a")), judges(r, deployment)]),
            [
                [true, true, true],
                [false, true, false],
                [false, false, true],
            ],
        );
    });

    it("refuses a pack config that is no object, an entry of the wrong type, and settings on all", () => {
        assert.throws(() => resolveRules([stack], [] as never), /^Error: pack config is \[\]; it must be a JSON object keyed by policy name$/);
        assert.throws(
            () => resolveRules([stack], { "require-stack": 3 as never }),
            /^Error: pack config gives "require-stack" 3; give an enforcement level or an object of settings$/,
        );
        assert.throws(
            () => resolveRules([stack], { all: "loud" as never }),
            /^Error: pack config gives "all" the unknown enforcement level "loud"; use one of advisory, mandatory, remediate, disabled$/,
        );
        assert.throws(
            () => resolveRules([stack], { all: { enforcementLevel: "advisory", waivable: false } }),
            /^Error: pack config gives "all" the setting "waivable"; "all" takes only enforcementLevel$/,
        );
        assert.throws(
            () => resolveRules([stack], { "require-stack": { constructor: 1 } as never }),
            /gives policy "require-stack" the unknown setting "constructor"/,
        );
    });

    it("falls back to all's level when a rule's entry gives settings but no level", () => {
        const [r] = resolveRules([configMaps], { all: "advisory", "require-config-maps": { waivable: false } });
        assert.deepStrictEqual([r.level, r.config], ["advisory", { waivable: false, exempt: [] }]);
    });
});

describe("CrossGuard resources as Kubernetes objects", () => {
    it("reads apiVersion and kind from the props, else from the type token, and nothing from other types", () => {
        assert.deepStrictEqual(toK8sObject("kubernetes:apps/v1:Deployment", { metadata: { name: "a" } }), {
            metadata: { name: "a" },
            apiVersion: "apps/v1",
            kind: "Deployment",
        });
        assert.deepStrictEqual(toK8sObject("kubernetes:apps/v1:Deployment", { apiVersion: "apps/v1beta1", kind: "Deployment" }), {
            apiVersion: "apps/v1beta1",
            kind: "Deployment",
        });
        assert.strictEqual(toK8sObject("aws:s3/bucket:Bucket", {}), undefined);
        assert.deepStrictEqual(
            [isCloudType("aws:s3/bucket:Bucket"), isCloudType("kubernetes:core/v1:Service"), isCloudType("pulumi:providers:aws")],
            [true, false, false],
        );
    });

    it("names a binding's subjects, a ServiceAccount with its namespace or the binding's", () => {
        const binding = {
            kind: "RoleBinding",
            metadata: { name: "b", namespace: "voting-api" },
            subjects: [
                { kind: "ServiceAccount", name: "ci" },
                { kind: "ServiceAccount", name: "x", namespace: "other" },
                { kind: "Group", name: "sre" },
            ],
        };
        assert.deepStrictEqual(subjectsOf(binding), [
            { kind: "ServiceAccount", name: "ci", id: "ServiceAccount:voting-api/ci" },
            { kind: "ServiceAccount", name: "x", id: "ServiceAccount:other/x" },
            { kind: "Group", name: "sre", id: "Group:sre" },
        ]);
        assert.deepStrictEqual(subjectsOf({ kind: "RoleBinding" }), []);
    });
});
