import * as assert from "assert";
import {
    containersOf,
    describe as describeObject,
    fromPulumiType,
    integer,
    isEmptySelector,
    namespaceOf,
    nameOf,
    num,
    own,
    podTemplate,
    selectorMatches,
    show,
    strings,
    withObjectCache,
} from "../../../policies/lib/k8s";
import { asKind, POD_KINDS, podSpecOf } from "../../helpers/fixtures";
import { withChange } from "../../helpers/policy";

const LABELS = { app: "api", tier: "backend" };
const expr = (operator: string, values?: string[], key = "tier") => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });

describe("selectorMatches", () => {
    it("matches labels by equality, all of them", () => {
        assert.strictEqual(selectorMatches({ matchLabels: { app: "api" } }, LABELS), true);
        assert.strictEqual(selectorMatches({ matchLabels: { app: "api", tier: "backend" } }, LABELS), true);
        assert.strictEqual(selectorMatches({ matchLabels: { app: "api", tier: "frontend" } }, LABELS), false);
        assert.strictEqual(selectorMatches({ matchLabels: { app: "api" } }, undefined), false);
    });

    it("reads In, NotIn, Exists and DoesNotExist as Kubernetes does, and no other operator", () => {
        assert.deepStrictEqual(
            [
                expr("In", ["backend", "x"]),
                expr("In", ["x"]),
                expr("In", ["backend"], "missing"),
                expr("NotIn", ["x"]),
                expr("NotIn", ["backend"]),
                expr("NotIn", ["x"], "missing"),
                expr("Exists"),
                expr("Exists", undefined, "missing"),
                expr("DoesNotExist", undefined, "missing"),
                expr("DoesNotExist"),
                expr("Equals", ["backend"]),
                expr("In"),
            ].map((s) => selectorMatches(s, LABELS)),
            [true, false, false, true, false, true, true, false, true, false, false, false],
        );
    });

    it("requires every expression and every label together", () => {
        assert.strictEqual(selectorMatches({ matchLabels: { app: "api" }, matchExpressions: [{ key: "tier", operator: "Exists" }] }, LABELS), true);
        assert.strictEqual(selectorMatches({ matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "Exists" }] }, LABELS), false);
        assert.strictEqual(
            selectorMatches(
                {
                    matchExpressions: [
                        { key: "tier", operator: "Exists" },
                        { key: "app", operator: "DoesNotExist" },
                    ],
                },
                LABELS,
            ),
            false,
        );
    });

    it("selects nothing with a malformed selector, and reads null fields as absent", () => {
        for (const s of [
            { matchLabels: "app=api" },
            { matchLabels: ["app", "api"] },
            { matchExpressions: { key: "tier", operator: "Exists" } },
            { matchExpressions: [null] },
            { matchExpressions: [{ key: 5, operator: "Exists" }] },
        ]) {
            assert.strictEqual(selectorMatches(s, LABELS), false, JSON.stringify(s));
        }
        assert.strictEqual(selectorMatches({ matchLabels: null, matchExpressions: null }, LABELS), true);
        assert.strictEqual(isEmptySelector({ matchLabels: null, matchExpressions: null }), true);
        assert.strictEqual(isEmptySelector({ matchLabels: "app=api" }), false);
        assert.strictEqual(isEmptySelector({ matchExpressions: {} }), false);
    });

    it("selects everything with an empty selector and nothing without one", () => {
        assert.strictEqual(selectorMatches({}, LABELS), true);
        for (const s of [undefined, null, "app=api"]) assert.strictEqual(selectorMatches(s, LABELS), false, String(s));
        assert.strictEqual(isEmptySelector({}), true);
        assert.strictEqual(isEmptySelector({ matchLabels: {}, matchExpressions: [] }), true);
        assert.strictEqual(isEmptySelector({ matchLabels: { a: "b" } }), false);
        assert.strictEqual(isEmptySelector({ matchExpressions: [{ key: "a", operator: "Exists" }] }), false);
        for (const s of [undefined, null, "x"]) assert.strictEqual(isEmptySelector(s), false, String(s));
    });
});

describe("podTemplate and containersOf", () => {
    it("find the pod spec of every pod-bearing kind, at its path", () => {
        const paths = Object.fromEntries(POD_KINDS.map((k) => [k, podTemplate(asKind(k))?.path]));
        assert.deepStrictEqual(paths, {
            Pod: "spec",
            Deployment: "spec.template.spec",
            StatefulSet: "spec.template.spec",
            DaemonSet: "spec.template.spec",
            ReplicaSet: "spec.template.spec",
            ReplicationController: "spec.template.spec",
            Job: "spec.template.spec",
            CronJob: "spec.jobTemplate.spec.template.spec",
        });
        for (const k of POD_KINDS) {
            const obj = asKind(k);
            assert.strictEqual(podTemplate(obj)!.spec, podSpecOf(obj), k);
            assert.strictEqual(podTemplate(obj)!.object, obj, k);
        }
    });

    it("give a template's labels and annotations for workloads and the Pod's own for a Pod, string values only, and none for kinds that run no pods", () => {
        const d = asKind("Deployment");
        assert.deepStrictEqual({ ...podTemplate(d)!.metadata.labels }, d.spec.template.metadata.labels);
        const p = asKind("Pod");
        p.metadata!.annotations = { "example.com/a": "1" };
        assert.deepStrictEqual({ ...podTemplate(p)!.metadata.labels }, p.metadata!.labels);
        assert.deepStrictEqual({ ...podTemplate(p)!.metadata.annotations }, { "example.com/a": "1" });
        const mixed = withChange(asKind("Deployment"), (x) => {
            x.spec.template.metadata.labels = { tier: "web", replicas: 3 };
            x.spec.template.metadata.annotations = { note: "yes", count: 2, nested: { a: "b" } };
        });
        assert.deepStrictEqual({ ...podTemplate(mixed)!.metadata.labels }, { tier: "web" });
        assert.deepStrictEqual({ ...podTemplate(mixed)!.metadata.annotations }, { note: "yes" });
        for (const bare of [
            { kind: "Pod", spec: {} },
            { kind: "Deployment", spec: { template: { spec: {} } } },
        ]) {
            const m = podTemplate(bare)!.metadata;
            assert.deepStrictEqual([{ ...m.labels }, { ...m.annotations }], [{}, {}], bare.kind);
        }
        for (const o of [
            { kind: "Service", spec: {} },
            { kind: "Pod" },
            { kind: "Deployment", spec: { template: {} } },
            { kind: "CronJob", spec: { jobTemplate: {} } },
        ]) {
            assert.strictEqual(podTemplate(o), undefined, JSON.stringify(o));
        }
    });

    it("list regular, init and ephemeral containers, naming each by its name or position", () => {
        const refs = containersOf({
            containers: [{ name: "a" }, {}, null, { name: 5 }],
            initContainers: [{ name: "i" }],
            ephemeralContainers: [{ name: "" }],
        });
        assert.deepStrictEqual(
            refs.map((c) => [c.kind, c.label]),
            [
                ["container", 'container "a"'],
                ["container", 'container "#1"'],
                ["container", 'container "#3"'],
                ["initContainer", 'init container "i"'],
                ["ephemeralContainer", 'ephemeral container "#0"'],
            ],
        );
        assert.deepStrictEqual(containersOf(undefined), []);
        assert.deepStrictEqual(
            withObjectCache(() => [containersOf(undefined), containersOf("x")]),
            [[], []],
        );
    });

    it("count the templates of PodTemplates, workload controllers and CronJobs whatever they hold, and other kinds' only with containers", () => {
        const bare = { spec: { nodeSelector: { pool: "a" } } };
        const found = (o: any) => podTemplate(o)?.path;
        assert.deepStrictEqual(
            [
                found({ kind: "PodTemplate", template: bare }),
                found({ kind: "Deployment", spec: { template: bare } }),
                found({ kind: "CronJob", spec: { jobTemplate: { spec: { template: bare } } } }),
                found({ kind: "ScaledJob", spec: { jobTemplate: { spec: { template: bare } } } }),
                found({ kind: "ScaledJob", spec: { jobTemplate: { spec: { template: { spec: { containers: [] } } } } } }),
                found({ kind: "Workflow", spec: { template: bare } }),
                found({ kind: "Workflow", spec: { template: { spec: { containers: [{ name: "w" }] } } } }),
            ],
            [
                "template.spec",
                "spec.template.spec",
                "spec.jobTemplate.spec.template.spec",
                undefined,
                "spec.jobTemplate.spec.template.spec",
                undefined,
                "spec.template.spec",
            ],
        );
    });

    it("remember an object's pod template only while an evaluation runs", () => {
        const d = asKind("Deployment");
        assert.strictEqual(
            withObjectCache(() => podTemplate(d)?.path),
            "spec.template.spec",
        );
        d.spec = {};
        assert.strictEqual(podTemplate(d), undefined);
        assert.strictEqual(
            withObjectCache(() => podTemplate(d)),
            undefined,
        );
    });
});

describe("names and namespaces", () => {
    it("puts a namespaced object without a namespace in default, and cluster-scoped kinds and cloud resources in none", () => {
        assert.strictEqual(namespaceOf({ kind: "ConfigMap", metadata: { name: "c" } }), "default");
        assert.strictEqual(namespaceOf({ kind: "ConfigMap", metadata: { name: "c", namespace: "" } }), "default");
        for (const kind of [
            "Namespace",
            "ClusterRole",
            "ClusterRoleBinding",
            "PriorityClass",
            "StorageClass",
            "IngressClass",
            "aws:s3/bucket:Bucket",
        ]) {
            assert.strictEqual(namespaceOf({ kind, metadata: { name: "x", namespace: "n" } }), undefined, kind);
        }
        assert.strictEqual(describeObject({ kind: "ClusterRole", metadata: { name: "admin" } }), "ClusterRole admin");
        assert.strictEqual(describeObject({ kind: "Pod", metadata: { generateName: "job-" } }), "Pod default/job-");
        assert.strictEqual(nameOf({ kind: "Pod" }), "<unnamed>");
    });

    it("names an object whose name or namespace is a number or a boolean by its text, and one whose name is an object as unnamed", () => {
        assert.strictEqual(describeObject({ kind: "ConfigMap", metadata: { name: 5 as any, namespace: true as any } }), "ConfigMap true/5");
        assert.strictEqual(describeObject({ kind: "ConfigMap", metadata: { name: false as any, namespace: 7 as any } }), "ConfigMap 7/false");
        assert.strictEqual(nameOf({ kind: "ConfigMap", metadata: { name: { a: "b" } as any } }), "<unnamed>");
        assert.strictEqual(namespaceOf({ kind: "ConfigMap", metadata: { name: "c", namespace: ["n"] as any } }), "default");
    });

    it("reads a Pulumi type token as apiVersion and kind, the core group as v1, and no Helm, YAML or Kustomize wrapper of either version", () => {
        assert.deepStrictEqual(fromPulumiType("kubernetes:apps/v1:Deployment"), { apiVersion: "apps/v1", kind: "Deployment" });
        assert.deepStrictEqual(fromPulumiType("kubernetes:core/v1:Service"), { apiVersion: "v1", kind: "Service" });
        assert.deepStrictEqual(fromPulumiType("kubernetes:networking.k8s.io/v1:NetworkPolicy"), {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
        });
        for (const [t, apiVersion, kind] of [
            ["kubernetes:yaml.example.com/v1:Widget", "yaml.example.com/v1", "Widget"],
            ["kubernetes:kustomize.toolkit.fluxcd.io/v1:Kustomization", "kustomize.toolkit.fluxcd.io/v1", "Kustomization"],
            ["kubernetes:charts.helm.sh/v1:Chart", "charts.helm.sh/v1", "Chart"],
        ]) {
            assert.deepStrictEqual(fromPulumiType(t), { apiVersion, kind }, t);
        }
        for (const t of [
            "kubernetes:helm.sh/v3:Release",
            "kubernetes:helm.sh/v4:Chart",
            "kubernetes:yaml:ConfigFile",
            "kubernetes:yaml/v2:ConfigGroup",
            "kubernetes:kustomize:Directory",
            "kubernetes:kustomize/v2:Directory",
            "mycorp-kubernetes:apps/v1:Deployment",
            "aws:s3/bucket:Bucket",
            "pulumi:providers:kubernetes",
        ]) {
            assert.strictEqual(fromPulumiType(t), undefined, t);
        }
    });
});

describe("readers of fields of any type", () => {
    it("keep the strings of a list and nothing else", () => {
        assert.deepStrictEqual(strings(["a", 1, null, { b: "c" }, "d"]), ["a", "d"]);
        assert.deepStrictEqual(strings("a"), []);
    });

    it("read a finite number, and no infinity, NaN or text", () => {
        assert.deepStrictEqual(
            [num(3.5), num(Infinity), num(-Infinity), num(NaN), num("3"), num(null)],
            [3.5, undefined, undefined, undefined, undefined, undefined],
        );
    });

    it("read a whole number from a number or from digits with blanks around them, and nothing else", () => {
        const read = (v: unknown) => integer(v);
        const given = ["20", " 20 ", 20, 2.5, "x20", "20x", "a 20", "2 0", "", "abc", true, ["20"]];
        assert.deepStrictEqual(given.map(read), [20, 20, 20, ...given.slice(3).map(() => undefined)]);
    });

    it("look up only a table's own entries, by a string key", () => {
        const table: Record<string, number> = { api: 1, "5": 2 };
        assert.deepStrictEqual(
            [own(table, "api"), own(table, "5"), own(table, 5), own(table, "constructor"), own(table, "toString")],
            [1, 2, undefined, undefined, undefined],
        );
    });

    it("show any value as text, and one JSON cannot write as unprintable", () => {
        const loop: Record<string, unknown> = {};
        loop.self = loop;
        assert.deepStrictEqual(
            [show("a"), show(5), show(undefined), show({ a: [1] }), show(loop), show(BigInt(1))],
            ['"a"', "5", "undefined", '{"a":[1]}', "<unprintable>", "<unprintable>"],
        );
    });
});
