import * as assert from "assert";
import { isCloudType, toK8sObject } from "../../../policies/lib/crossguard";
import { evaluate, resolveRules } from "../../../policies/lib/evaluate";
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
