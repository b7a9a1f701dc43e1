import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { enforceReadOnlyAccess } from "../../../../policies/rules/rbac/enforceReadOnlyAccess";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const CFG = { readOnlySubjects: ["Group:voting-developers"] };
const READ = ["get", "list", "watch"];
const developerRole = (extra: unknown[] = []): K8sObject => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: "voting-developer", namespace: "voting-api" },
    rules: [
        { apiGroups: [""], resources: ["pods", "services", "configmaps"], verbs: READ },
        { apiGroups: ["apps"], resources: ["deployments"], verbs: READ },
        { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
        ...extra,
    ],
});
const binding = (
    roleKind: string,
    roleName: string,
    subjects: unknown[] = [{ kind: "Group", name: "voting-developers" }],
    kind = "RoleBinding",
): K8sObject => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind,
    metadata: kind === "RoleBinding" ? { name: "voting-developers", namespace: "voting-api" } : { name: "voting-developers" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: roleKind, name: roleName },
    subjects,
});
const check = (objects: K8sObject[], cfg: Record<string, unknown> = CFG) => violations(enforceReadOnlyAccess, objects, cfg);
const GIVES = (what: string, via = "Role voting-developer", kind = "RoleBinding voting-api/voting-developers") =>
    `${kind}: gives Group:voting-developers ${what} through ${via}; read-only subjects get only get, list, watch, and not on secrets, pods/exec, pods/attach, pods/portforward, pods/proxy, services/proxy, nodes/proxy, serviceaccounts/token`;

describe(enforceReadOnlyAccess.name, () => {
    it("accepts developers bound to a role that gets, lists and watches, or to the built-in view", () => {
        assert.deepStrictEqual(check([developerRole(), binding("Role", "voting-developer")]), []);
        assert.deepStrictEqual(check([binding("ClusterRole", "view")]), []);
    });

    it("refuses each verb that writes, one at a time, and a wildcard verb", () => {
        for (const verb of ["create", "update", "patch", "delete", "deletecollection", "escalate", "impersonate", "*"]) {
            const role = developerRole([{ apiGroups: [""], resources: ["pods"], verbs: [verb] }]);
            assert.deepStrictEqual(check([role, binding("Role", "voting-developer")]), [GIVES(`${verb} on pods`)], verb);
        }
    });

    it("refuses reading Secrets and opening exec, attach, port-forward or proxy, also through wildcards", () => {
        for (const resource of ["secrets", "pods/exec", "pods/attach", "pods/portforward"]) {
            const role = developerRole([{ apiGroups: [""], resources: [resource], verbs: ["get"] }]);
            assert.deepStrictEqual(check([role, binding("Role", "voting-developer")]), [GIVES(`get on ${resource}`)], resource);
        }
        const wildcard = developerRole([{ apiGroups: ["*"], resources: ["*/exec", "*/proxy"], verbs: ["get"] }]);
        assert.deepStrictEqual(check([wildcard, binding("Role", "voting-developer")]), [
            GIVES("get on pods/exec, pods/proxy, services/proxy, nodes/proxy"),
        ]);
        const everything = developerRole([{ apiGroups: [""], resources: ["*"], verbs: ["list"] }]);
        assert.deepStrictEqual(check([everything, binding("Role", "voting-developer")]), [
            GIVES("list on secrets, pods/exec, pods/attach, pods/portforward, pods/proxy, services/proxy, nodes/proxy, serviceaccounts/token"),
        ]);
        const otherGroup = developerRole([{ apiGroups: ["example.com"], resources: ["secrets"], verbs: ["get"] }]);
        assert.deepStrictEqual(check([otherGroup, binding("Role", "voting-developer")]), []);
    });

    it("names every write and every forbidden read of the role, rule by rule, and only rules that name resources", () => {
        const role = developerRole([
            { apiGroups: [""], resources: ["pods", "services"], verbs: ["get", "create", "delete"] },
            { apiGroups: ["apps", ""], resources: ["secrets"], verbs: ["list", "watch"] },
            { apiGroups: [""], resources: [], verbs: ["delete"] },
        ]);
        assert.deepStrictEqual(check([role, binding("Role", "voting-developer")]), [
            GIVES("create, delete on pods, services; list, watch on secrets"),
        ]);
    });

    it("reads only * and */<subresource> as wildcards, as RBAC does", () => {
        const role = developerRole([{ apiGroups: [""], resources: ["*s", "*/token"], verbs: ["get"] }]);
        assert.deepStrictEqual(check([role, binding("Role", "voting-developer")]), [GIVES("get on serviceaccounts/token")]);
    });

    it("judges a role of the resource set by its rules, also when it bears a built-in role's name", () => {
        const view = withChange(developerRole([{ apiGroups: [""], resources: ["pods"], verbs: ["delete"] }]), (x) => {
            x.kind = "ClusterRole";
            x.metadata = { name: "view" };
        });
        assert.deepStrictEqual(check([view, binding("ClusterRole", "view")]), [GIVES("delete on pods", "ClusterRole view")]);
        const edit = withChange(developerRole(), (x) => (x.metadata!.name = "edit"));
        assert.deepStrictEqual(check([edit, binding("Role", "edit")]), []);
    });

    it("leaves a binding to a role that does not exist to restrict-role-bindings", () => {
        assert.deepStrictEqual(check([binding("Role", "voting-developer")]), []);
        assert.deepStrictEqual(check([binding("Role", "edit")]), []);
        assert.deepStrictEqual(check([binding("ClusterRole", "gone")]), []);
    });

    it("refuses the built-in roles that write, through a RoleBinding or a ClusterRoleBinding", () => {
        for (const name of ["edit", "admin", "cluster-admin"]) {
            assert.deepStrictEqual(check([binding("ClusterRole", name)]), [GIVES("write access", `ClusterRole ${name}`)], name);
        }
        assert.deepStrictEqual(check([binding("ClusterRole", "edit", undefined, "ClusterRoleBinding")]), [
            GIVES("write access", "ClusterRole edit", "ClusterRoleBinding voting-developers"),
        ]);
    });

    it("judges RoleBindings and ClusterRoleBindings only, not another kind that carries subjects and a roleRef", () => {
        // Only the two binding kinds grant anything, whatever fields another kind carries.
        const template = { ...binding("ClusterRole", "edit"), apiVersion: "example.com/v1", kind: "BindingTemplate" };
        assert.deepStrictEqual(check([template]), []);
        assert.deepStrictEqual(check([template, binding("ClusterRole", "edit")]), [GIVES("write access", "ClusterRole edit")]);
    });

    it("judges only bindings of read-only subjects, among several subjects too", () => {
        const writer = developerRole([{ apiGroups: [""], resources: ["pods"], verbs: ["delete"] }]);
        assert.deepStrictEqual(check([writer, binding("Role", "voting-developer", [{ kind: "Group", name: "voting-sre" }])]), []);
        const both = binding("Role", "voting-developer", [
            { kind: "Group", name: "voting-sre" },
            { kind: "Group", name: "voting-developers" },
        ]);
        assert.deepStrictEqual(check([writer, both]), [GIVES("delete on pods")]);
        const two = binding("Role", "voting-developer", [
            { kind: "Group", name: "voting-developers" },
            { kind: "User", name: "dana" },
        ]);
        assert.deepStrictEqual(check([writer, two], { readOnlySubjects: ["Group:voting-developers", "User:dana"] }), [
            GIVES("delete on pods").replace("Group:voting-developers", "Group:voting-developers, User:dana"),
        ]);
        assert.deepStrictEqual(check([writer, binding("Role", "voting-developer")], { readOnlySubjects: [] }), []);
    });

    it("judges a binding of a read-only subject even when it is named system:, since anyone may choose that name", () => {
        const writer = developerRole([{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["*"] }]);
        const named = withChange(binding("Role", "voting-developer"), (x) => (x.metadata!.name = "system:developers"));
        assert.deepStrictEqual(check([writer, named]), [
            GIVES("* on deployments", "Role voting-developer", "RoleBinding voting-api/system:developers"),
        ]);
    });

    it("takes the read verbs and the forbidden resources from the settings", () => {
        const lister = withChange(developerRole(), (x) => (x.rules = [{ apiGroups: [""], resources: ["configmaps"], verbs: ["list"] }]));
        assert.deepStrictEqual(
            check([lister, binding("Role", "voting-developer")], { ...CFG, readVerbs: ["get"], forbiddenResources: ["configmaps"] }),
            [
                "RoleBinding voting-api/voting-developers: gives Group:voting-developers list on configmaps through Role voting-developer; read-only subjects get only get, and not on configmaps",
            ],
        );
    });

    it("blocks the registry's mutants of 6.5.1 and 4.4.1 on the rendered prod stack", async () => {
        const FORBIDDEN = "not on secrets, pods/exec, pods/attach, pods/portforward, pods/proxy, services/proxy, nodes/proxy, serviceaccounts/token";
        assert.deepStrictEqual(await registryMutantBlockers("6.5.1", "the developer role may delete pods"), [
            `enforce-read-only-access: RoleBinding voting-api/voting-developers: gives Group:voting-developers delete on pods through Role voting-developer; read-only subjects get only get, list, watch, and ${FORBIDDEN}`,
        ]);
        assert.ok(
            (await registryMutantBlockers("6.5.1", "developers are bound to the built-in edit role")).includes(
                `enforce-read-only-access: RoleBinding voting-consumer/voting-developers: gives Group:voting-developers write access through ClusterRole edit; read-only subjects get only get, list, watch, and ${FORBIDDEN}`,
            ),
        );
        assert.deepStrictEqual(await registryMutantBlockers("4.4.1", "developers may read Secrets in voting-data"), [
            `enforce-read-only-access: RoleBinding voting-data/voting-developers: gives Group:voting-developers get, list on secrets through Role voting-developer; read-only subjects get only get, list, watch, and ${FORBIDDEN}`,
        ]);
    });
});
