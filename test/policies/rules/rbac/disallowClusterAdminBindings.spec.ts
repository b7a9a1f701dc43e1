import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disallowClusterAdminBindings } from "../../../../policies/rules/rbac/disallowClusterAdminBindings";
import { violations } from "../../../helpers/policy";
import { bind, role, STANDARD_VERBS } from "./fixtures";

const full = (b: string, through: string) => `${b}: grants full control through ${through} (every verb on every resource); bind a narrower role`;
const check = (objs: K8sObject[], cfg?: Record<string, unknown>) => violations(disallowClusterAdminBindings, objs, cfg);
const wildcard = (verbs: string[], apiGroups = ["*"], resources = ["*"]) => role("everything", [{ apiGroups, resources, verbs }], "ClusterRole");
const CRB = (roleName = "everything") => bind("ops", "ClusterRole", roleName, undefined, "ClusterRoleBinding");

describe(disallowClusterAdminBindings.name, () => {
    it("refuses a binding to cluster-admin, by RoleBinding or ClusterRoleBinding", () => {
        assert.deepStrictEqual(check([bind("ops", "ClusterRole", "cluster-admin")]), [
            full("RoleBinding voting-api/ops", "ClusterRole cluster-admin"),
        ]);
        assert.deepStrictEqual(check([CRB("cluster-admin")]), [full("ClusterRoleBinding ops", "ClusterRole cluster-admin")]);
    });

    it("refuses cluster-admin even when the resource set defines a harmless role of that name", () => {
        assert.deepStrictEqual(check([role("cluster-admin", [], "ClusterRole"), CRB("cluster-admin")]), [
            full("ClusterRoleBinding ops", "ClusterRole cluster-admin"),
        ]);
    });

    it("refuses a role with every verb on everything, as * or as every standard verb", () => {
        assert.deepStrictEqual(check([wildcard(["*"]), CRB()]), [full("ClusterRoleBinding ops", "ClusterRole everything")]);
        assert.deepStrictEqual(check([wildcard(STANDARD_VERBS), CRB()]), [full("ClusterRoleBinding ops", "ClusterRole everything")]);
    });

    it("accepts a wildcard role missing any one standard verb, one API group, or one resource", () => {
        for (const v of STANDARD_VERBS) assert.deepStrictEqual(check([wildcard(STANDARD_VERBS.filter((x) => x !== v)), CRB()]), [], v);
        assert.deepStrictEqual(check([wildcard(["*"], ["apps"]), CRB()]), []);
        assert.deepStrictEqual(check([wildcard(["*"], ["*"], ["pods"]), CRB()]), []);
    });

    it("refuses a namespaced Role with full control, found in the binding's namespace only", () => {
        const admin = role("boss", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]);
        assert.deepStrictEqual(check([admin, bind("ops", "Role", "boss")]), [full("RoleBinding voting-api/ops", "Role boss")]);
        assert.deepStrictEqual(
            check([role("boss", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }], "Role", "voting-data"), bind("ops", "Role", "boss")]),
            [],
        );
    });

    it("accepts the built-in admin, edit and view roles, and a binding to a missing role", () => {
        for (const r of ["admin", "edit", "view", "gone"]) assert.deepStrictEqual(check([bind("ops", "ClusterRole", r)]), [], r);
    });

    it("passes over bindings of only the users and groups Kubernetes and the clouds manage, with the prefixes from the pack config", () => {
        const admin = (subjects: unknown[], name = "ops") => bind(name, "ClusterRole", "cluster-admin", subjects, "ClusterRoleBinding");
        for (const name of ["system:masters", "gce:x", "eks:addon-manager", "aks:x"]) {
            assert.deepStrictEqual(check([admin([{ kind: "Group", name }])]), [], name);
            assert.deepStrictEqual(check([admin([{ kind: "User", name }])]), [], name);
        }
        const corp = admin([{ kind: "Group", name: "corp:admins" }]);
        assert.deepStrictEqual(check([corp], { managedPrefixes: ["corp:"] }), []);
        assert.deepStrictEqual(check([corp]), [full("ClusterRoleBinding ops", "ClusterRole cluster-admin")]);
        assert.deepStrictEqual(check([admin([{ kind: "Group", name: "system:masters" }])], { managedPrefixes: ["corp:"] }), [
            full("ClusterRoleBinding ops", "ClusterRole cluster-admin"),
        ]);
    });

    it("judges a binding by what it binds, never by its own name: system:evil binding a user is refused", () => {
        assert.deepStrictEqual(
            check([bind("system:evil", "ClusterRole", "cluster-admin", [{ kind: "User", name: "mallory" }], "ClusterRoleBinding")]),
            [full("ClusterRoleBinding system:evil", "ClusterRole cluster-admin")],
        );
    });

    it("refuses a managed-looking binding with no subjects, with one unmanaged subject among managed ones, or with a ServiceAccount", () => {
        const admin = (subjects: unknown[]) => bind("system:ops", "ClusterRole", "cluster-admin", subjects, "ClusterRoleBinding");
        const refused = [full("ClusterRoleBinding system:ops", "ClusterRole cluster-admin")];
        assert.deepStrictEqual(check([admin([])]), refused);
        assert.deepStrictEqual(
            check([
                admin([
                    { kind: "Group", name: "system:masters" },
                    { kind: "User", name: "mallory" },
                ]),
            ]),
            refused,
        );
        assert.deepStrictEqual(check([admin([{ kind: "ServiceAccount", name: "default", namespace: "kube-system" }])]), refused);
    });

    it("never exempts the system groups and users that stand for many principals", () => {
        for (const subject of [
            { kind: "Group", name: "system:authenticated" },
            { kind: "Group", name: "system:unauthenticated" },
            { kind: "User", name: "system:anonymous" },
            { kind: "Group", name: "system:serviceaccounts" },
            { kind: "Group", name: "system:serviceaccounts:voting-api" },
            { kind: "User", name: "system:serviceaccount:default:evil" },
            { kind: "Group", name: "system:nodes" },
            { kind: "User", name: "system:node:worker-1" },
            { kind: "Group", name: "system:bootstrappers" },
        ]) {
            assert.deepStrictEqual(
                check([bind("system:ops", "ClusterRole", "cluster-admin", [subject], "ClusterRoleBinding")]),
                [full("ClusterRoleBinding system:ops", "ClusterRole cluster-admin")],
                subject.name,
            );
        }
    });

    it("takes the name cluster-admin as the built-in role only for a ClusterRole, and judges only bindings", () => {
        assert.deepStrictEqual(check([role("cluster-admin", []), bind("ops", "Role", "cluster-admin")]), []);
        assert.deepStrictEqual(check([{ ...CRB("cluster-admin"), kind: "Lookalike" }]), []);
    });
});
