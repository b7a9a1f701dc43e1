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

describe("settingProblems at the edges", () => {
    const problems = (schema: Record<string, unknown>, value: unknown) => settingProblems(schema as never, value, "x");

    it("derives no settings of its own for a rule that declares none", () => {
        const bare = defineRule({
            scope: "cloud",
            name: "require-nothing",
            description: "A rule with no settings.",
            severity: "low",
            enforcementLevel: "advisory",
            remediationSteps: "None.",
            checklist: [],
            check: () => [],
        });
        assert.deepStrictEqual([bare.settings, bare.defaults, bare.peers], [{}, { waivable: true, exempt: [] }, {}]);
        assert.deepStrictEqual(bucketsVersioned.settings, {});
        assert.deepStrictEqual(bucketsVersioned.defaults, { waivable: true, exempt: [] });
        assert.deepStrictEqual(Object.keys(bucketsVersioned.configSchema.properties), ["waivable", "exempt"]);
        assert.strictEqual(bucketsVersioned.url, "docs/policies.md#require-sample-bucket-versioning");
    });

    it("names a single expected type as such, and a value JSON cannot show as text", () => {
        assert.deepStrictEqual(problems({ type: "boolean" }, "yes"), ['x must be a boolean, not "yes"']);
        assert.deepStrictEqual(problems({ type: ["array"] }, 1), ["x must be a list, not 1"]);
        assert.deepStrictEqual(problems({ type: [] }, 1), []);
        assert.deepStrictEqual(
            problems({ type: "string" }, () => 1),
            ["x must be a string, not () => 1"],
        );
        assert.deepStrictEqual(problems({ type: "integer" }, "a".repeat(59)), [`x must be an integer, not "${"a".repeat(56)}...`]);
    });

    it("compares enum members by value, objects and numbers included", () => {
        assert.deepStrictEqual(problems({ enum: [{ a: 1 }, 2] }, { a: 1 }), []);
        assert.deepStrictEqual(problems({ enum: [{ a: 1 }, 2] }, 2), []);
        assert.deepStrictEqual(problems({ enum: [{ a: 1 }, 2] }, "2"), ['x must be one of {"a":1}, 2, not "2"']);
    });

    it("accepts a number at its bounds and refuses one at an exclusive minimum", () => {
        assert.deepStrictEqual(problems({ minimum: 1, maximum: 3 }, 1), []);
        assert.deepStrictEqual(problems({ minimum: 1, maximum: 3 }, 3), []);
        assert.deepStrictEqual(problems({ minimum: 1, maximum: 3 }, 0.5), ["x must be at least 1, not 0.5"]);
        assert.deepStrictEqual(problems({ minimum: 1, maximum: 3 }, 3.5), ["x must be at most 3, not 3.5"]);
        assert.deepStrictEqual(problems({ exclusiveMinimum: 0 }, 0), ["x must be above 0, not 0"]);
        assert.deepStrictEqual(problems({ exclusiveMinimum: 0 }, 0.1), []);
    });

    it("counts a string's characters and matches its pattern anywhere unless anchored", () => {
        assert.deepStrictEqual(problems({ minLength: 3 }, "ab"), ["x must have at least 3 characters"]);
        assert.deepStrictEqual(problems({ minLength: 3 }, "abc"), []);
        assert.deepStrictEqual(problems({ minLength: 1 }, ""), ["x must not be empty"]);
        assert.deepStrictEqual(problems({ pattern: "b" }, "abc"), []);
        assert.deepStrictEqual(problems({ pattern: "^b" }, "abc"), ['x must match ^b, not "abc"']);
    });

    it("counts a list's items at both bounds and names each bad item by its index", () => {
        assert.deepStrictEqual(problems({ maxItems: 2 }, ["a", "b"]), []);
        assert.deepStrictEqual(problems({ maxItems: 2 }, ["a", "b", "c"]), ["x takes at most 2 item(s)"]);
        assert.deepStrictEqual(problems({ items: { type: "integer", minimum: 0 } }, [1, -1, "a"]), [
            "x[1] must be at least 0, not -1",
            'x[2] must be an integer, not "a"',
        ]);
    });

    it("counts an object's keys, and checks a key its properties name against that schema, not the extra one", () => {
        assert.deepStrictEqual(problems({ minProperties: 2 }, { a: 1 }), ["x needs at least 2 keys"]);
        assert.deepStrictEqual(problems({ minProperties: 2 }, { a: 1, b: 2 }), []);
        assert.deepStrictEqual(
            problems({ properties: { a: { type: "string" } }, additionalProperties: { type: "integer" } }, { a: "s", b: 2, c: "t" }),
            ['x["c"] must be an integer, not "t"'],
        );
        assert.deepStrictEqual(problems({ additionalProperties: false }, { constructor: 1 }), ['x has the unknown key "constructor"']);
        assert.deepStrictEqual(problems({ required: ["toString"] }, {}), ['x needs the key "toString"']);
        assert.deepStrictEqual(problems({ required: "id" }, {}), []);
    });

    it("applies each kind of bound only to values of its kind", () => {
        assert.deepStrictEqual(problems({ minimum: 1, maximum: 0, exclusiveMinimum: 5 }, "0"), []);
        assert.deepStrictEqual(problems({ minLength: 1, pattern: "^a$" }, []), []);
        assert.deepStrictEqual(problems({ minLength: 2, pattern: "^a$" }, 5), []);
        assert.deepStrictEqual(problems({ minItems: 5, maxItems: 0, items: { type: "integer" } }, "ab"), []);
        assert.deepStrictEqual(problems({ minItems: 5, items: { type: "integer" } }, { length: 1, 0: "a" }), []);
        assert.deepStrictEqual(problems({ required: ["length"], minProperties: 3, additionalProperties: false }, ["a"]), []);
        assert.deepStrictEqual(problems({ required: ["a"], minProperties: 3 }, null), []);
        assert.deepStrictEqual(problems({ required: ["a"], minProperties: 3 }, "abcd"), []);
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
