import * as assert from "assert";
import { toPolicy } from "../../../policies/lib/crossguard";
import { evaluate, resolveRules } from "../../../policies/lib/evaluate";
import { defineRule, settingProblems } from "../../../policies/lib/rule";
import { RULES } from "../../../policies/rules";
import { cloudViolations } from "../../helpers/policy";

const sample = defineRule<{ minReplicas: number; names: string[] }>({
    scope: "resource",
    name: "require-sample",
    description: "A sample rule.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Fix it.",
    checklist: ["2.3.1"],
    settings: {
        minReplicas: { type: "integer", minimum: 1, maximum: 10, description: "Fewest replicas.", default: 2 },
        names: { type: "array", items: { type: "string" }, description: "Names.", default: ["a"] },
    },
    check: (obj, cfg) => ((obj.spec?.replicas ?? 1) < cfg.minReplicas ? [`${obj.kind} has too few replicas`] : []),
});

const bucketsVersioned = defineRule({
    scope: "cloud",
    name: "require-sample-bucket-versioning",
    description: "Sample cloud rule.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Version the bucket.",
    checklist: ["4.2.2"],
    check: (resources) =>
        resources
            .filter((r) => r.type === "aws:s3/bucketV2:BucketV2")
            .filter((b) => !resources.some((v) => v.type === "aws:s3/bucketVersioningV2:BucketVersioningV2" && v.props.bucket === b.name))
            .map((b) => ({ resource: b, message: `bucket ${b.name} is not versioned` })),
});

describe("defineRule", () => {
    it("derives the defaults and CrossGuard's config schema from the settings, with the waiver settings every rule takes", () => {
        assert.deepStrictEqual(sample.defaults, { minReplicas: 2, names: ["a"], waivable: true, exempt: [] });
        assert.deepStrictEqual(Object.keys(sample.configSchema.properties), ["minReplicas", "names", "waivable", "exempt"]);
        assert.deepStrictEqual(Object.keys(sample.settings), ["minReplicas", "names"]);
        assert.deepStrictEqual(sample.peers, {});
    });

    it("gives every rule of the pack defaults equal to its schema's defaults", () => {
        for (const rule of RULES) {
            const fromSchema = Object.fromEntries(Object.entries(rule.configSchema.properties).map(([k, v]) => [k, v.default]));
            assert.deepStrictEqual(rule.defaults, fromSchema, rule.name);
        }
    });

    it("hands CrossGuard the severity, the checklist IDs as tags and the link to the rule's doc, with a description free of them", () => {
        const policy = toPolicy(sample);
        assert.strictEqual(policy.severity, "medium");
        assert.deepStrictEqual(policy.tags, ["checklist:2.3.1"]);
        assert.strictEqual(policy.description, "A sample rule.");
        assert.strictEqual(policy.url, "docs/policies.md#require-sample");
    });

    it("refuses an exemption in the pack config that gives no reason or selects nothing", () => {
        assert.throws(
            () => resolveRules([sample], { "require-sample": { exempt: [{ namespace: "voting-data" }] } }),
            /exempt\[0\] needs the key "reason"; exempt\[0\] needs at least 2 keys/,
        );
        assert.throws(() => resolveRules([sample], { "require-sample": { exempt: [{ reason: "legacy" }] } }), /exempt\[0\] needs at least 2 keys/);
        assert.throws(
            () => resolveRules([sample], { "require-sample": { exempt: [{ name: "x", reason: "" }] } }),
            /exempt\[0\]\["reason"\] must not be empty/,
        );
    });
});

describe("pack settings", () => {
    it("refuses a setting of the wrong type or out of range, naming the policy and the setting", () => {
        assert.throws(
            () => resolveRules([sample], { "require-sample": { minReplicas: "two" } }),
            /^Error: pack config gives policy "require-sample" a bad setting: minReplicas must be an integer, not "two"$/,
        );
        assert.throws(() => resolveRules([sample], { "require-sample": { minReplicas: -1 } }), /minReplicas must be at least 1, not -1/);
        assert.throws(() => resolveRules([sample], { "require-sample": { minReplicas: 11 } }), /minReplicas must be at most 10, not 11/);
        assert.throws(() => resolveRules([sample], { "require-sample": { names: ["a", 3] } }), /names\[1\] must be a string, not 3/);
    });

    it("accepts settings at the ends of their range", () => {
        assert.strictEqual(resolveRules([sample], { "require-sample": { minReplicas: 1 } })[0].config.minReplicas, 1);
        assert.strictEqual(resolveRules([sample], { "require-sample": { minReplicas: 10 } })[0].config.minReplicas, 10);
    });

    it("checks nested objects, enums, patterns and required keys", () => {
        assert.deepStrictEqual(
            settingProblems({ type: "object", additionalProperties: { type: "integer" } }, { "ns/a": 2, "ns/b": 1.5 }, "workloads"),
            ['workloads["ns/b"] must be an integer, not 1.5'],
        );
        assert.deepStrictEqual(settingProblems({ type: "string", enum: ["a", "b"] }, "c", "level"), ['level must be one of "a", "b", not "c"']);
        assert.deepStrictEqual(settingProblems({ type: "string", pattern: "^1\\.\\d+$" }, "v1.30", "version"), [
            'version must match ^1\\.\\d+$, not "v1.30"',
        ]);
        assert.deepStrictEqual(settingProblems({ type: "object", required: ["id"] }, {}, "peer"), ['peer needs the key "id"']);
    });
});

describe("settingProblems", () => {
    it("checks each JSON type, accepting exactly the values of that type", () => {
        const ok = (type: unknown, v: unknown) => settingProblems({ type } as never, v, "x").length === 0;
        const values: unknown[] = ["s", 1, 1.5, Infinity, true, [], {}, null];
        const table = Object.fromEntries(["string", "integer", "number", "boolean", "array", "object"].map((t) => [t, values.map((v) => ok(t, v))]));
        assert.deepStrictEqual(table, {
            string: [true, false, false, false, false, false, false, false],
            integer: [false, true, false, false, false, false, false, false],
            number: [false, true, true, false, false, false, false, false],
            boolean: [false, false, false, false, true, false, false, false],
            array: [false, false, false, false, false, true, false, false],
            object: [false, false, false, false, false, false, true, false],
        });
        assert.strictEqual(ok(["string", "integer"], 3), true, "any of several types");
        assert.strictEqual(ok(undefined, Symbol.iterator), true, "no type, no check");
        assert.strictEqual(ok("date", "x"), true, "a type it does not know");
    });

    it("names the expected types and shows a long value cut at 57 characters", () => {
        assert.deepStrictEqual(settingProblems({ type: ["integer", "array", "boolean"] } as never, "x", "k"), [
            'k must be an integer or a list or a boolean, not "x"',
        ]);
        const long = "a".repeat(70);
        assert.deepStrictEqual(settingProblems({ type: "integer" } as never, long, "k"), [`k must be an integer, not "${"a".repeat(56)}...`]);
        const sixty = "a".repeat(58);
        assert.deepStrictEqual(settingProblems({ type: "integer" } as never, sixty, "k"), [`k must be an integer, not "${sixty}"`]);
        assert.deepStrictEqual(settingProblems({ type: "integer" } as never, undefined, "k"), ["k must be an integer, not undefined"]);
    });

    it("counts list items, checks each item, and refuses unknown keys only where extra keys are forbidden", () => {
        assert.deepStrictEqual(settingProblems({ type: "array", minItems: 2 } as never, ["a"], "l"), ["l needs at least 2 item(s)"]);
        assert.deepStrictEqual(settingProblems({ type: "array", minItems: 2 } as never, ["a", "b"], "l"), []);
        assert.deepStrictEqual(settingProblems({ type: "array", items: [{ type: "string" }] } as never, [1], "l"), [], "tuple items are not checked");
        assert.deepStrictEqual(
            settingProblems({ type: "object", additionalProperties: false, properties: { a: { type: "string" } } } as never, { a: "x", b: 1 }, "o"),
            ['o has the unknown key "b"'],
        );
        assert.deepStrictEqual(settingProblems({ type: "object", properties: { a: { type: "string" } } } as never, { a: 1, b: 1 }, "o"), [
            'o["a"] must be a string, not 1',
        ]);
        assert.deepStrictEqual(settingProblems({ type: "object", required: ["id"] } as never, { id: 0 }, "o"), []);
    });
});

describe("cloud rules", () => {
    const bucket = { type: "aws:s3/bucketV2:BucketV2", name: "backups", props: {} };
    const versioning = { type: "aws:s3/bucketVersioningV2:BucketVersioningV2", name: "backups-versioning", props: { bucket: "backups" } };

    it("judge the stack's cloud resources through CrossGuard and offline alike", () => {
        assert.deepStrictEqual(cloudViolations(bucketsVersioned, [bucket]), ["bucket backups is not versioned"]);
        assert.deepStrictEqual(cloudViolations(bucketsVersioned, [bucket, versioning]), []);
    });

    it("report a cloud finding on the resource, with no namespace", () => {
        const [v] = evaluate(resolveRules([bucketsVersioned]), [], [bucket]);
        assert.strictEqual(v.resource, bucket);
        assert.deepStrictEqual(v.object, { kind: "aws:s3/bucketV2:BucketV2", metadata: { name: "backups" } });
    });
});
