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

    it("passes over the bindings Kubernetes and the clouds manage, and takes the prefixes from the pack config", () => {
        for (const name of ["system:masters", "gce:x", "eks:x", "aks:x"]) {
            assert.deepStrictEqual(check([{ ...CRB("cluster-admin"), metadata: { name } }]), [], name);
        }
        assert.deepStrictEqual(check([{ ...CRB("cluster-admin"), metadata: { name: "corp:admins" } }], { managedPrefixes: ["corp:"] }), []);
        assert.strictEqual(check([{ ...CRB("cluster-admin"), metadata: { name: "system:masters" } }], { managedPrefixes: ["corp:"] }).length, 1);
    });

    it("takes the name cluster-admin as the built-in role only for a ClusterRole, and judges only bindings", () => {
        assert.deepStrictEqual(check([role("cluster-admin", []), bind("ops", "Role", "cluster-admin")]), []);
        assert.deepStrictEqual(check([{ ...CRB("cluster-admin"), kind: "Lookalike" }]), []);
    });
});
