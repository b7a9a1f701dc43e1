import * as assert from "assert";
import { Secret, unknownCheckingProxy, type ResourceValidationArgs, type ResourceValidationPolicy } from "@pulumi/policy";
import { secretsPreservingProxy } from "@pulumi/policy/secret";
import { toPolicy } from "../../../policies/lib/crossguard";
import { resolveRules } from "../../../policies/lib/evaluate";
import type { K8sObject } from "../../../policies/lib/k8s";
import { remediate } from "../../../policies/lib/remediate";
import type { Rule } from "../../../policies/lib/rule";
import { disableServiceAccountTokenAutomount } from "../../../policies/rules/security/disableServiceAccountTokenAutomount";
import { disallowPrivilegeEscalation } from "../../../policies/rules/security/disallowPrivilegeEscalation";
import { requireDropAllCapabilities } from "../../../policies/rules/security/requireDropAllCapabilities";
import { requireSeccompProfile } from "../../../policies/rules/security/requireSeccompProfile";
import { compliantDeployment } from "../../helpers/fixtures";
import { pulumiType, violations, withChange } from "../../helpers/policy";

const podSpec = (d: any) => d.spec.template.spec;
const container = (d: any) => podSpec(d).containers[0];

/**
 * Runs a rule's remediation as the engine does: the resource's props deserialized with secrets kept as
 * `Secret` values behind the secret-preserving proxy, and the unknown-checking proxy on top. Returns the
 * props the policy hands back (undefined: nothing to change), with proxies and secrets unwrapped as plain
 * values, and the raw target so a test can see that secrets stayed secret.
 */
function remediateViaCrossGuard(rule: Rule, obj: K8sObject, config: Record<string, unknown> = {}) {
    const raw = JSON.parse(JSON.stringify(obj));
    const env = raw.spec?.template?.spec?.containers?.[0]?.env;
    if (Array.isArray(env)) for (const e of env) if (e.name === "API_TOKEN") e.value = new Secret(e.value);
    const props = unknownCheckingProxy(secretsPreservingProxy(raw));
    const policy = toPolicy(rule) as ResourceValidationPolicy;
    assert.ok(policy.remediateResource, `${rule.name} has no remediateResource`);
    const args = {
        type: pulumiType(obj),
        props,
        urn: `urn:pulumi:test::voting-platform::${pulumiType(obj)}::api`,
        name: "api",
        opts: {},
        stackTags: new Map(),
        getConfig: () => ({ ...rule.defaults, ...config }),
        isType: () => false,
        asType: () => undefined,
        notApplicable: () => undefined as never,
    } as unknown as ResourceValidationArgs;
    const result = policy.remediateResource(args) as Record<string, any> | undefined;
    return { result: result ? (JSON.parse(JSON.stringify(raw, (_, v) => (v instanceof Secret ? v.value : v))) as K8sObject) : undefined, raw };
}

/** Runs the same fix offline, as `check` does for a policy at the `remediate` level. */
function remediateOffline(rule: Rule, obj: K8sObject, config: Record<string, unknown> = {}) {
    return remediate(resolveRules([rule], { [rule.name]: { enforcementLevel: "remediate", ...config } }), [obj]);
}

/** Both paths must fix the object the same way; returns the fixed object (undefined when nothing changed) and the offline change lines. */
function fixBothWays(rule: Rule, obj: K8sObject, config: Record<string, unknown> = {}) {
    const before = JSON.stringify(obj);
    const viaPack = remediateViaCrossGuard(rule, obj, config).result;
    const offline = remediateOffline(rule, obj, config);
    assert.strictEqual(JSON.stringify(obj), before, "the offline fix changed its input");
    const fixed = offline.objects[0] === obj ? undefined : offline.objects[0];
    assert.deepStrictEqual(viaPack, fixed, "CrossGuard's remediation and the offline fix disagree");
    return { fixed, changes: offline.fixes.flatMap((f) => f.changes) };
}

describe("automatic fixes", () => {
    describe("require-seccomp-profile", () => {
        const unset = withChange(compliantDeployment(), (d) => delete podSpec(d).securityContext.seccompProfile);

        it("sets RuntimeDefault on a pod that chooses no profile, which then passes", () => {
            const { fixed, changes } = fixBothWays(requireSeccompProfile, unset);
            assert.deepStrictEqual(podSpec(fixed).securityContext, {
                runAsNonRoot: true,
                runAsUser: 65532,
                seccompProfile: { type: "RuntimeDefault" },
            });
            assert.deepStrictEqual(changes, [
                'Deployment voting-api/api: gets spec.template.spec.securityContext.seccompProfile.type: "RuntimeDefault"',
            ]);
            assert.deepStrictEqual(violations(requireSeccompProfile, fixed!), []);
        });

        it("creates the pod's securityContext when there is none", () => {
            const bare = withChange(unset, (d) => delete podSpec(d).securityContext);
            assert.deepStrictEqual(podSpec(fixBothWays(requireSeccompProfile, bare).fixed).securityContext, {
                seccompProfile: { type: "RuntimeDefault" },
            });
        });

        it("leaves an explicit Unconfined profile, and a Windows pod, to a person", () => {
            const unconfined = withChange(compliantDeployment(), (d) => (podSpec(d).securityContext.seccompProfile = { type: "Unconfined" }));
            assert.deepStrictEqual(fixBothWays(requireSeccompProfile, unconfined), { fixed: undefined, changes: [] });
            const windows = withChange(unset, (d) => (podSpec(d).os = { name: "windows" }));
            assert.deepStrictEqual(fixBothWays(requireSeccompProfile, windows), { fixed: undefined, changes: [] });
        });

        it("changes nothing on a compliant Deployment", () => {
            assert.deepStrictEqual(fixBothWays(requireSeccompProfile, compliantDeployment()), { fixed: undefined, changes: [] });
        });

        it("leaves a pod whose every container chooses its own profile, and sets the pod's when one container does not", () => {
            const own = withChange(unset, (d) => (container(d).securityContext.seccompProfile = { type: "Unconfined" }));
            assert.deepStrictEqual(fixBothWays(requireSeccompProfile, own), { fixed: undefined, changes: [] });
            const sidecar = withChange(own, (d) => podSpec(d).containers.push({ name: "proxy", image: "envoyproxy/envoy:v1.31.0" }));
            const { fixed } = fixBothWays(requireSeccompProfile, sidecar);
            assert.deepStrictEqual(podSpec(fixed).securityContext.seccompProfile, { type: "RuntimeDefault" });
            assert.deepStrictEqual(container(fixed).securityContext.seccompProfile, { type: "Unconfined" });
        });
    });

    describe("disallow-privilege-escalation", () => {
        const unset = withChange(compliantDeployment(), (d) => delete container(d).securityContext.allowPrivilegeEscalation);

        it("sets allowPrivilegeEscalation: false where a container leaves it unset", () => {
            const { fixed, changes } = fixBothWays(disallowPrivilegeEscalation, unset);
            assert.strictEqual(container(fixed).securityContext.allowPrivilegeEscalation, false);
            assert.deepStrictEqual(changes, ['Deployment voting-api/api: container "api" gets securityContext.allowPrivilegeEscalation: false']);
            assert.deepStrictEqual(violations(disallowPrivilegeEscalation, fixed!), []);
        });

        it("leaves an explicit true, a privileged container and one adding SYS_ADMIN alone (the API server refuses false with them)", () => {
            const explicit = withChange(compliantDeployment(), (d) => (container(d).securityContext.allowPrivilegeEscalation = true));
            const privileged = withChange(unset, (d) => (container(d).securityContext.privileged = true));
            const sysAdmin = withChange(unset, (d) => (container(d).securityContext.capabilities.add = ["CAP_SYS_ADMIN"]));
            for (const obj of [explicit, privileged, sysAdmin])
                assert.deepStrictEqual(fixBothWays(disallowPrivilegeEscalation, obj), { fixed: undefined, changes: [] });
        });

        it("knows SYS_ADMIN with or without CAP_ and in any case, and no capability that only contains the name or none at all", () => {
            for (const cap of ["SYS_ADMIN", "cap_sys_admin"]) {
                const obj = withChange(unset, (d) => (container(d).securityContext.capabilities.add = ["NET_BIND_SERVICE", cap]));
                assert.deepStrictEqual(fixBothWays(disallowPrivilegeEscalation, obj), { fixed: undefined, changes: [] }, cap);
            }
            for (const cap of ["SYS_ADMIN_X", "X_SYS_ADMIN", "CAP_SYS_ADMINS"]) {
                const obj = withChange(unset, (d) => (container(d).securityContext.capabilities.add = [cap]));
                assert.strictEqual(
                    container(fixBothWays(disallowPrivilegeEscalation, obj).fixed).securityContext.allowPrivilegeEscalation,
                    false,
                    cap,
                );
            }
            const noCapabilities = withChange(unset, (d) => delete container(d).securityContext.capabilities);
            assert.strictEqual(
                container(fixBothWays(disallowPrivilegeEscalation, noCapabilities).fixed).securityContext.allowPrivilegeEscalation,
                false,
            );
        });

        it("keeps a secret value in the resource secret while it fixes the resource", () => {
            const withSecret = withChange(unset, (d) => (container(d).env = [{ name: "API_TOKEN", value: "s3cr3t" }]));
            const { raw } = remediateViaCrossGuard(disallowPrivilegeEscalation, withSecret);
            assert.ok(raw.spec.template.spec.containers[0].env[0].value instanceof Secret, "the secret lost its secrecy");
            assert.strictEqual(raw.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation, false);
        });
    });

    describe("require-drop-all-capabilities", () => {
        const keeps = withChange(
            compliantDeployment(),
            (d) => (container(d).securityContext.capabilities = { drop: ["NET_RAW"], add: ["NET_BIND_SERVICE"] }),
        );

        it('adds "ALL" to what a non-root container drops, and keeps what it adds for a person', () => {
            const { fixed, changes } = fixBothWays(requireDropAllCapabilities, keeps);
            assert.deepStrictEqual(container(fixed).securityContext.capabilities, { drop: ["NET_RAW", "ALL"], add: ["NET_BIND_SERVICE"] });
            assert.deepStrictEqual(changes, ['Deployment voting-api/api: container "api" gets securityContext.capabilities.drop: ["NET_RAW","ALL"]']);
            assert.deepStrictEqual(violations(requireDropAllCapabilities, fixed!), [
                'Deployment voting-api/api: container "api" adds capabilities NET_BIND_SERVICE: remove them from securityContext.capabilities.add',
            ]);
        });

        it("leaves a container that already drops all, in any case, and replaces a drop that is not a list", () => {
            const lower = withChange(keeps, (d) => (container(d).securityContext.capabilities.drop = ["NET_RAW", "all"]));
            assert.deepStrictEqual(fixBothWays(requireDropAllCapabilities, lower), { fixed: undefined, changes: [] });
            const notList = withChange(keeps, (d) => (container(d).securityContext.capabilities.drop = "ALL"));
            assert.deepStrictEqual(container(fixBothWays(requireDropAllCapabilities, notList).fixed).securityContext.capabilities.drop, ["ALL"]);
        });

        it("creates capabilities.drop on a container that sets none, and its securityContext when it has none", () => {
            const none = withChange(compliantDeployment(), (d) => delete container(d).securityContext.capabilities);
            assert.deepStrictEqual(container(fixBothWays(requireDropAllCapabilities, none).fixed).securityContext.capabilities, { drop: ["ALL"] });
            const bare = withChange(compliantDeployment(), (d) => delete container(d).securityContext);
            assert.deepStrictEqual(container(fixBothWays(requireDropAllCapabilities, bare).fixed).securityContext, {
                capabilities: { drop: ["ALL"] },
            });
        });

        it("leaves a container that may run as root alone, since it may rely on the default capabilities", () => {
            const root = withChange(keeps, (d) => (podSpec(d).securityContext = { seccompProfile: { type: "RuntimeDefault" } }));
            assert.deepStrictEqual(fixBothWays(requireDropAllCapabilities, root), { fixed: undefined, changes: [] });
            const uid0 = withChange(keeps, (d) => (container(d).securityContext.runAsUser = 0));
            assert.deepStrictEqual(fixBothWays(requireDropAllCapabilities, uid0), { fixed: undefined, changes: [] });
        });
    });

    describe("disable-service-account-token-automount", () => {
        const unset = withChange(compliantDeployment(), (d) => delete podSpec(d).automountServiceAccountToken);

        it("sets automountServiceAccountToken: false on a pod that leaves it unset, which then passes", () => {
            const { fixed, changes } = fixBothWays(disableServiceAccountTokenAutomount, unset);
            assert.strictEqual(podSpec(fixed).automountServiceAccountToken, false);
            assert.deepStrictEqual(changes, ["Deployment voting-api/api: gets spec.template.spec.automountServiceAccountToken: false"]);
            assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, fixed!), []);
        });

        it("leaves a pod that asks for the token to a person", () => {
            const asks = withChange(compliantDeployment(), (d) => (podSpec(d).automountServiceAccountToken = true));
            assert.deepStrictEqual(fixBothWays(disableServiceAccountTokenAutomount, asks), { fixed: undefined, changes: [] });
        });
    });

    it("does not fix an object that waives the policy", () => {
        const unset = withChange(compliantDeployment(), (d) => {
            delete podSpec(d).securityContext.seccompProfile;
            d.metadata!.annotations = { "waiver.voting-platform.io/require-seccomp-profile": "profiled by the node's own default" };
        });
        assert.deepStrictEqual(fixBothWays(requireSeccompProfile, unset), { fixed: undefined, changes: [] });
    });

    it("does not fix an object the policy's pack config exempts", () => {
        const unset = withChange(compliantDeployment(), (d) => delete podSpec(d).securityContext.seccompProfile);
        const exempt = [{ namespace: "voting-api", reason: "the node pool's runtime applies its own profile" }];
        assert.deepStrictEqual(fixBothWays(requireSeccompProfile, unset, { exempt }), { fixed: undefined, changes: [] });
    });

    it("hands CrossGuard nothing back for a resource that is no Kubernetes object", () => {
        const policy = toPolicy(requireSeccompProfile) as ResourceValidationPolicy;
        for (const type of ["aws:s3/bucketV2:BucketV2", "pulumi:providers:kubernetes", "kubernetes:yaml/v2:ConfigGroup"]) {
            const args = {
                type,
                props: unknownCheckingProxy({ files: ["app.yaml"] }),
                urn: `urn:pulumi:test::voting-platform::${type}::r`,
                name: "r",
                opts: {},
                stackTags: new Map(),
                getConfig: () => ({ ...requireSeccompProfile.defaults }),
                isType: () => false,
                asType: () => undefined,
                notApplicable: () => undefined as never,
            } as unknown as ResourceValidationArgs;
            assert.strictEqual(policy.remediateResource!(args), undefined, type);
        }
    });

    it("fixes offline only at the remediate level, unless asked to fix everything", () => {
        const unset = withChange(compliantDeployment(), (d) => delete podSpec(d).securityContext.seccompProfile);
        const mandatory = resolveRules([requireSeccompProfile]);
        assert.strictEqual(remediate(mandatory, [unset]).objects[0], unset);
        assert.notStrictEqual(remediate(mandatory, [unset], { all: true }).objects[0], unset);
        assert.strictEqual(
            remediate(resolveRules([requireSeccompProfile], { "require-seccomp-profile": "disabled" }), [unset], { all: true }).objects[0],
            unset,
        );
    });
});
