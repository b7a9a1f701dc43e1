import * as assert from "assert";
import { unknownCheckingProxy, type ReportViolation, type StackValidationPolicy } from "@pulumi/policy";
import { toK8sObject, toPolicy } from "../../../policies/lib/crossguard";
import { defineRule } from "../../../policies/lib/rule";
import { restrictRoleBindings } from "../../../policies/rules/rbac/restrictRoleBindings";
import { compliantDeployment } from "../../helpers/fixtures";

/** The engine's view of a stack: Kubernetes objects, a cloud resource, a provider and a YAML component side by side. */
const STACK = [
    { type: "kubernetes:apps/v1:Deployment", name: "api", props: compliantDeployment() },
    {
        type: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
        name: "ci",
        props: {
            kind: "RoleBinding",
            metadata: { name: "ci", namespace: "voting-api" },
            roleRef: { kind: "Role", name: "deployer" },
            subjects: [{ kind: "ServiceAccount", name: "ci" }],
        },
    },
    { type: "aws:s3/bucketV2:BucketV2", name: "backups", props: { bucket: "backups" } },
    { type: "pulumi:providers:kubernetes", name: "cluster", props: { kubeconfig: "{}" } },
    { type: "kubernetes:yaml/v2:ConfigGroup", name: "addons", props: { files: ["addons.yaml"] } },
];

/** Runs a stack or cloud policy over `STACK` as the engine does, props behind `unknownCheckingProxy`. */
function validateStack(policy: StackValidationPolicy, config: Record<string, unknown> = {}): string[] {
    const messages: string[] = [];
    const report: ReportViolation = (message) => {
        messages.push(message);
    };
    const validate = policy.validateStack as (args: unknown, report: ReportViolation) => void;
    validate(
        {
            resources: STACK.map((r) => ({
                ...r,
                props: unknownCheckingProxy(JSON.parse(JSON.stringify(r.props))),
                urn: `urn:pulumi:test::voting-platform::${r.type}::${r.name}`,
                opts: {},
                isType: () => false,
                asType: () => undefined,
            })),
            stackTags: new Map(),
            getConfig: () => config,
            notApplicable: () => undefined,
        },
        report,
    );
    return messages;
}

const rule = { severity: "low", enforcementLevel: "advisory", remediationSteps: "None.", checklist: ["7.2.4"] } as const;

describe("CrossGuard policies", () => {
    it("judge a Patch resource as the kind its props name, and a resource whose kind is empty as its type's kind", () => {
        const patch = toK8sObject("kubernetes:apps/v1:DeploymentPatch", { kind: "Deployment", metadata: { name: "coredns" } });
        assert.deepStrictEqual(patch, { kind: "Deployment", apiVersion: "apps/v1", metadata: { name: "coredns" } });
        assert.strictEqual(toK8sObject("kubernetes:apps/v1:Deployment", { kind: "", metadata: { name: "api" } })?.kind, "Deployment");
        assert.strictEqual(toK8sObject("kubernetes:apps/v1:Deployment", { kind: 5 })?.kind, "Deployment");
    });

    it("hand a stack rule the stack's Kubernetes objects only", () => {
        const everyObject = defineRule({
            ...rule,
            scope: "stack",
            name: "require-sample-objects",
            description: "Reports every object it is handed.",
            check: (objects) => objects.map((o) => ({ object: o, message: `${o.kind} ${o.metadata?.name}` })),
        });
        assert.deepStrictEqual(validateStack(toPolicy(everyObject) as StackValidationPolicy), ["Deployment api", "RoleBinding ci"]);
        assert.deepStrictEqual(validateStack(toPolicy(restrictRoleBindings) as StackValidationPolicy, { ...restrictRoleBindings.defaults }), [
            "RoleBinding voting-api/ci: binds Role deployer, which does not exist; fix roleRef or create the role",
        ]);
    });

    it("hand a cloud rule the stack's cloud resources only", () => {
        const everyResource = defineRule({
            ...rule,
            scope: "cloud",
            name: "require-sample-resources",
            description: "Reports every resource it is handed.",
            check: (resources) => resources.map((r) => ({ resource: r, message: `${r.type} ${r.name}` })),
        });
        assert.deepStrictEqual(validateStack(toPolicy(everyResource) as StackValidationPolicy), ["aws:s3/bucketV2:BucketV2 backups"]);
    });
});
