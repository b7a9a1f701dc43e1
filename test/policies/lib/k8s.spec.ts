import * as assert from "assert";
import {
    containersOf,
    describe as describeObject,
    fromPulumiType,
    isEmptySelector,
    namespaceOf,
    nameOf,
    podTemplate,
    selectorMatches,
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
        const refs = containersOf({ containers: [{ name: "a" }, {}, null], initContainers: [{ name: "i" }], ephemeralContainers: [{ name: "" }] });
        assert.deepStrictEqual(
            refs.map((c) => [c.kind, c.label]),
            [
                ["container", 'container "a"'],
                ["container", 'container "#1"'],
                ["initContainer", 'init container "i"'],
                ["ephemeralContainer", 'ephemeral container "#0"'],
            ],
        );
        assert.deepStrictEqual(containersOf(undefined), []);
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

    it("reads a Pulumi type token as apiVersion and kind, the core group as v1, and no Helm, YAML or Kustomize wrapper of either version", () => {
        assert.deepStrictEqual(fromPulumiType("kubernetes:apps/v1:Deployment"), { apiVersion: "apps/v1", kind: "Deployment" });
        assert.deepStrictEqual(fromPulumiType("kubernetes:core/v1:Service"), { apiVersion: "v1", kind: "Service" });
        assert.deepStrictEqual(fromPulumiType("kubernetes:networking.k8s.io/v1:NetworkPolicy"), {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
        });
        assert.deepStrictEqual(fromPulumiType("kubernetes:yaml.example.com/v1:Widget"), { apiVersion: "yaml.example.com/v1", kind: "Widget" });
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
