import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { restrictRoleBindings } from "../../../../policies/rules/rbac/restrictRoleBindings";
import { violations } from "../../../helpers/policy";
import { bind, readOnly, role } from "./fixtures";

const B = "RoleBinding voting-api/devs";
const check = (objs: K8sObject[], cfg?: Record<string, unknown>) => violations(restrictRoleBindings, objs, cfg);
const execRole = role("debug", [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }]);

describe(restrictRoleBindings.name, () => {
    it("accepts a binding to a read-only role of the resource set, or to the built-in view role", () => {
        assert.deepStrictEqual(check([readOnly, bind("devs", "Role", "reader")]), []);
        assert.deepStrictEqual(check([bind("devs", "ClusterRole", "view")]), []);
    });

    it("refuses a binding to a role that does not exist, or exists only in another namespace", () => {
        const missing = `${B}: binds Role reader, which does not exist; fix roleRef or create the role`;
        assert.deepStrictEqual(check([bind("devs", "Role", "reader")]), [missing]);
        assert.deepStrictEqual(check([role("reader", [], "Role", "voting-frontend"), bind("devs", "Role", "reader")]), [missing]);
        assert.deepStrictEqual(
            check([bind("devs", "Role", "admin")]),
            [`${B}: binds Role admin, which does not exist; fix roleRef or create the role`],
            "built-ins are ClusterRoles",
        );
        assert.deepStrictEqual(check([bind("devs", "ClusterRole", "gone")]), [
            `${B}: binds ClusterRole gone, which does not exist; fix roleRef or create the role`,
        ]);
    });

    it("refuses exec through the built-in admin and edit roles, or a role of the set, for subjects not allowed it", () => {
        for (const r of ["admin", "edit"]) {
            assert.deepStrictEqual(check([bind("devs", "ClusterRole", r)]), [
                `${B}: gives Group:voting-developers exec/attach into pods through ClusterRole ${r}; bind a role without pods/exec`,
            ]);
        }
        assert.deepStrictEqual(check([execRole, bind("devs", "Role", "debug")]), [
            `${B}: gives Group:voting-developers exec/attach into pods through Role debug; bind a role without pods/exec`,
        ]);
    });

    it("accepts exec for the allowed subjects only, naming each subject that is not", () => {
        const subjects = [
            { kind: "Group", name: "voting-sre" },
            { kind: "ServiceAccount", name: "deployer" },
            { kind: "ServiceAccount", name: "ci", namespace: "ci" },
            { kind: "User", name: "alice" },
        ];
        const cfg = { execSubjects: ["Group:voting-sre", "ServiceAccount:voting-api/deployer"] };
        assert.deepStrictEqual(check([bind("devs", "ClusterRole", "admin", subjects)], cfg), [
            `${B}: gives ServiceAccount:ci/ci, User:alice exec/attach into pods through ClusterRole admin; bind a role without pods/exec`,
        ]);
        assert.deepStrictEqual(check([bind("devs", "ClusterRole", "admin", subjects.slice(0, 2))], cfg), []);
        assert.deepStrictEqual(check([bind("devs", "ClusterRole", "admin", [])]), []);
    });

    it("takes a ClusterRole absent from the set as built in only under each default prefix, whatever the binding is named", () => {
        for (const name of ["system:controller:endpoint", "gce:x", "eks:x", "aks:x"])
            assert.deepStrictEqual(check([bind("x", "ClusterRole", name, undefined, "ClusterRoleBinding")]), [], name);
        assert.deepStrictEqual(check([bind("system:x", "ClusterRole", "gone", undefined, "ClusterRoleBinding")]), [
            "ClusterRoleBinding system:x: binds ClusterRole gone, which does not exist; fix roleRef or create the role",
        ]);
        assert.strictEqual(check([bind("x", "ClusterRole", "kube-x", undefined, "ClusterRoleBinding")]).length, 1);
    });

    it("takes only ClusterRoles as managed: a missing Role with a managed name, or a roleRef without a name, is dangling", () => {
        assert.deepStrictEqual(check([bind("devs", "Role", "system:x")]), [
            `${B}: binds Role system:x, which does not exist; fix roleRef or create the role`,
        ]);
        const unnamed = bind("x", "ClusterRole", "system:x", undefined, "ClusterRoleBinding");
        delete (unnamed.roleRef as Record<string, unknown>).name;
        assert.deepStrictEqual(check([unnamed]), [
            "ClusterRoleBinding x: binds ClusterRole undefined, which does not exist; fix roleRef or create the role",
        ]);
    });

    it("once secretReaders is set, names every other subject that may read every Secret, and every allowed reader", () => {
        const subjects = [
            { kind: "Group", name: "voting-sre" },
            { kind: "User", name: "alice" },
            { kind: "User", name: "bob" },
        ];
        const cfg = { execSubjects: ["Group:voting-sre", "User:alice", "User:bob"], secretReaders: ["Group:voting-sre", "Group:voting-oncall"] };
        assert.deepStrictEqual(check([bind("devs", "ClusterRole", "edit", subjects)], cfg), [
            `${B}: lets User:alice, User:bob read the value of every Secret through ClusterRole edit; only Group:voting-sre, Group:voting-oncall may, others get named Secrets at most`,
        ]);
    });

    it("judges a system:-named binding by its subjects: a user is refused exec, the control plane's own groups are not", () => {
        assert.deepStrictEqual(check([bind("system:evil", "ClusterRole", "edit", [{ kind: "User", name: "mallory" }])]), [
            "RoleBinding voting-api/system:evil: gives User:mallory exec/attach into pods through ClusterRole edit; bind a role without pods/exec",
        ]);
        assert.deepStrictEqual(check([bind("system:masters-edit", "ClusterRole", "edit", [{ kind: "Group", name: "system:masters" }])]), []);
        assert.deepStrictEqual(check([bind("x", "ClusterRole", "edit", [{ kind: "Group", name: "system:authenticated" }])]), [
            "RoleBinding voting-api/x: gives Group:system:authenticated exec/attach into pods through ClusterRole edit; bind a role without pods/exec",
        ]);
    });

    it("judges ClusterRoleBindings, which find ClusterRoles of the set", () => {
        const cr = role("debug", [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }], "ClusterRole");
        assert.deepStrictEqual(check([cr, bind("devs", "ClusterRole", "debug", undefined, "ClusterRoleBinding")]), [
            "ClusterRoleBinding devs: gives Group:voting-developers exec/attach into pods through ClusterRole debug; bind a role without pods/exec",
        ]);
    });
});
