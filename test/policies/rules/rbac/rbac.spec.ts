import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disallowClusterAdminBindings } from "../../../../policies/rules/rbac/disallowClusterAdminBindings";
import { disallowPodExecGrants } from "../../../../policies/rules/rbac/disallowPodExecGrants";
import { restrictRoleBindings } from "../../../../policies/rules/rbac/restrictRoleBindings";
import { violations } from "../../../helpers/policy";

const role = (name: string, rules: unknown[], kind = "Role"): K8sObject => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind,
    metadata: kind === "Role" ? { name, namespace: "voting-api" } : { name },
    rules,
});
const bind = (
    name: string,
    roleKind: string,
    roleName: string,
    subject = { kind: "Group", name: "voting-developers" },
    kind = "RoleBinding",
): K8sObject => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind,
    metadata: kind === "RoleBinding" ? { name, namespace: "voting-api" } : { name },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: roleKind, name: roleName },
    subjects: [subject],
});
const readOnly = role("reader", [{ apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list", "watch"] }]);

describe("RBAC policies (4.4.2, 6.5.1, 6.5.2)", () => {
    it("disallow-pod-exec-grants accepts a read-only role and refuses exec or attach, however it is spelled", () => {
        assert.deepStrictEqual(violations(disallowPodExecGrants, readOnly), []);
        for (const rules of [
            [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }],
            [{ apiGroups: ["*"], resources: ["pods/attach"], verbs: ["get"] }],
            [{ apiGroups: [""], resources: ["*"], verbs: ["*"] }],
        ]) {
            assert.deepStrictEqual(violations(disallowPodExecGrants, role("debug", rules)), [
                "Role voting-api/debug: grants pods/exec or pods/attach; remove them (pods/log is enough to read logs)",
            ]);
        }
        assert.deepStrictEqual(
            violations(disallowPodExecGrants, role("debug", [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["list"] }])),
            [],
        );
        // RBAC's own wildcards: */exec is the exec subresource of every resource; pods/* names no subresource at all.
        assert.deepStrictEqual(violations(disallowPodExecGrants, role("debug", [{ apiGroups: [""], resources: ["*/exec"], verbs: ["create"] }])), [
            "Role voting-api/debug: grants pods/exec or pods/attach; remove them (pods/log is enough to read logs)",
        ]);
        assert.deepStrictEqual(violations(disallowPodExecGrants, role("debug", [{ apiGroups: [""], resources: ["pods/*"], verbs: ["*"] }])), []);
        // verbs as a string is refused by the API server; it grants nothing.
        assert.deepStrictEqual(
            violations(disallowPodExecGrants, role("debug", [{ apiGroups: [""], resources: ["pods/exec"], verbs: "create" }])),
            [],
        );
        assert.deepStrictEqual(
            violations(disallowPodExecGrants, role("voting-sre", [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }]), {
                allowedRoles: ["voting-sre"],
            }),
            [],
        );
    });

    it("restrict-role-bindings refuses a binding to a missing role, and exec through admin for anyone but SRE", () => {
        assert.deepStrictEqual(violations(restrictRoleBindings, [readOnly, bind("devs", "Role", "reader")]), []);
        assert.deepStrictEqual(violations(restrictRoleBindings, [bind("devs", "Role", "missing")]), [
            "RoleBinding voting-api/devs: binds Role missing, which does not exist; fix roleRef or create the role",
        ]);
        assert.deepStrictEqual(violations(restrictRoleBindings, [bind("devs", "ClusterRole", "edit")]), [
            "RoleBinding voting-api/devs: gives Group:voting-developers exec/attach into pods through ClusterRole edit; bind a role without pods/exec",
        ]);
        const sre = bind("sre", "ClusterRole", "admin", { kind: "Group", name: "voting-sre" });
        assert.deepStrictEqual(violations(restrictRoleBindings, [sre], { execSubjects: ["Group:voting-sre"] }), []);
    });

    it("restrict-role-bindings takes a roleRef of another kind as dangling, even when a Role of that name exists", () => {
        assert.deepStrictEqual(violations(restrictRoleBindings, [readOnly, bind("devs", "Roles", "reader")]), [
            "RoleBinding voting-api/devs: binds Roles reader, which does not exist; fix roleRef or create the role",
        ]);
    });

    it("restrict-role-bindings judges a system: binding by what it binds, and takes a system: ClusterRole absent from the set as built in", () => {
        assert.deepStrictEqual(violations(restrictRoleBindings, [bind("system:x", "ClusterRole", "gone", undefined, "ClusterRoleBinding")]), [
            "ClusterRoleBinding system:x: binds ClusterRole gone, which does not exist; fix roleRef or create the role",
        ]);
        const controller = { kind: "ServiceAccount", name: "endpoint-controller", namespace: "kube-system" };
        assert.deepStrictEqual(
            violations(restrictRoleBindings, [
                bind("system:controller:endpoint", "ClusterRole", "system:controller:endpoint", controller as never, "ClusterRoleBinding"),
            ]),
            [],
        );
        assert.deepStrictEqual(violations(restrictRoleBindings, [bind("system:evil", "ClusterRole", "edit", { kind: "User", name: "mallory" })]), [
            "RoleBinding voting-api/system:evil: gives User:mallory exec/attach into pods through ClusterRole edit; bind a role without pods/exec",
        ]);
        assert.deepStrictEqual(
            violations(restrictRoleBindings, [bind("system:masters-edit", "ClusterRole", "edit", { kind: "Group", name: "system:masters" })]),
            [],
        );
    });

    describe("restrict-role-bindings (4.4.2, 6.5.1)", () => {
        const access = { execSubjects: ["Group:voting-sre"], readOnlySubjects: ["Group:voting-developers"], secretReaders: ["Group:voting-sre"] };
        const deployer = { kind: "ServiceAccount", name: "voting-deployer", namespace: "voting-api" };
        const deploy = (rules: unknown[]) => [role("voting-deployer", rules), bind("deployer", "Role", "voting-deployer", deployer)];
        const apply = { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] };

        it("accepts the access model: read-only developers, admin SRE, a deployer that reads only the Secrets it writes", () => {
            const objs = [
                readOnly,
                bind("devs", "Role", "reader"),
                bind("sre", "ClusterRole", "admin", { kind: "Group", name: "voting-sre" }),
                ...deploy([apply, { apiGroups: [""], resources: ["secrets"], resourceNames: ["app-connections"], verbs: ["get", "patch"] }]),
            ];
            assert.deepStrictEqual(violations(restrictRoleBindings, objs, access), []);
        });

        it("leaves what read-only subjects are given to enforce-read-only-access: writes, exec through edit, Secret reads", () => {
            const writer = role("reader", [{ apiGroups: [""], resources: ["pods", "secrets"], verbs: ["get", "delete"] }]);
            assert.deepStrictEqual(violations(restrictRoleBindings, [writer, bind("devs", "Role", "reader")], access), []);
            assert.deepStrictEqual(violations(restrictRoleBindings, [bind("devs", "ClusterRole", "edit")], access), []);
            const mixed = {
                ...bind("devs", "ClusterRole", "edit"),
                subjects: [
                    { kind: "Group", name: "voting-developers" },
                    { kind: "User", name: "mallory" },
                ],
            };
            assert.deepStrictEqual(violations(restrictRoleBindings, [mixed], access), [
                "RoleBinding voting-api/devs: gives User:mallory exec/attach into pods through ClusterRole edit; bind a role without pods/exec",
                "RoleBinding voting-api/devs: lets User:mallory read the value of every Secret through ClusterRole edit; only Group:voting-sre may, others get named Secrets at most",
            ]);
        });

        it("refuses a deployer that reads every Secret: list, watch, or get without names", () => {
            const every =
                "RoleBinding voting-api/deployer: lets ServiceAccount:voting-api/voting-deployer read the value of every Secret through Role voting-deployer; only Group:voting-sre may, others get named Secrets at most";
            for (const rule of [
                { apiGroups: [""], resources: ["secrets"], verbs: ["get"] },
                { apiGroups: [""], resources: ["secrets"], resourceNames: ["app-connections"], verbs: ["list"] },
                { apiGroups: [""], resources: ["*"], verbs: ["watch"] },
                { apiGroups: ["*"], resources: ["secrets"], verbs: ["*"] },
            ]) {
                assert.deepStrictEqual(violations(restrictRoleBindings, deploy([apply, rule]), access), [every], JSON.stringify(rule));
            }
        });

        it("counts the Secret reads of the built-in admin and edit roles", () => {
            const ci = bind("ci", "ClusterRole", "edit", deployer);
            assert.deepStrictEqual(
                violations(restrictRoleBindings, [ci], { ...access, execSubjects: ["ServiceAccount:voting-api/voting-deployer"] }),
                [
                    "RoleBinding voting-api/ci: lets ServiceAccount:voting-api/voting-deployer read the value of every Secret through ClusterRole edit; only Group:voting-sre may, others get named Secrets at most",
                ],
            );
        });

        it("judges no Secret reads and no read-only subjects until the pack config names them", () => {
            const objs = [...deploy([{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "delete"] }])];
            assert.deepStrictEqual(violations(restrictRoleBindings, objs), []);
        });
    });

    it("disallow-cluster-admin-bindings refuses cluster-admin and wildcard roles, and accepts narrower ones", () => {
        const wildcard = role(
            "everything",
            [{ apiGroups: ["*"], resources: ["*"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] }],
            "ClusterRole",
        );
        assert.deepStrictEqual(
            violations(disallowClusterAdminBindings, [wildcard, bind("ops", "ClusterRole", "everything", undefined, "ClusterRoleBinding")]),
            ["ClusterRoleBinding ops: grants full control through ClusterRole everything (every verb on every resource); bind a narrower role"],
        );
        assert.deepStrictEqual(violations(disallowClusterAdminBindings, [bind("ops", "ClusterRole", "cluster-admin")]), [
            "RoleBinding voting-api/ops: grants full control through ClusterRole cluster-admin (every verb on every resource); bind a narrower role",
        ]);
        const explicit = role("apps", [{ apiGroups: ["apps"], resources: ["*"], verbs: ["*"] }], "ClusterRole");
        assert.deepStrictEqual(
            violations(disallowClusterAdminBindings, [explicit, bind("ops", "ClusterRole", "apps", undefined, "ClusterRoleBinding")]),
            [],
        );
    });

    it("disallow-cluster-admin-bindings never takes a ServiceAccount, or a binding with an entry that is no subject, as the control plane's", () => {
        const ops = { kind: "ServiceAccount", name: "eks-ops", namespace: "kube-system" };
        const sa = bind("eks-ops", "ClusterRole", "cluster-admin", ops as never, "ClusterRoleBinding");
        assert.deepStrictEqual(violations(disallowClusterAdminBindings, [sa], { managedPrefixes: ["system:", "eks-"] }), [
            "ClusterRoleBinding eks-ops: grants full control through ClusterRole cluster-admin (every verb on every resource); bind a narrower role",
        ]);
        const masters = bind("masters", "ClusterRole", "cluster-admin", { kind: "Group", name: "system:masters" }, "ClusterRoleBinding");
        assert.deepStrictEqual(violations(disallowClusterAdminBindings, [masters]), []);
        const mixed = { ...masters, subjects: [...masters.subjects, "mallory"] };
        assert.deepStrictEqual(violations(disallowClusterAdminBindings, [mixed]), [
            "ClusterRoleBinding masters: grants full control through ClusterRole cluster-admin (every verb on every resource); bind a narrower role",
        ]);
    });

    it("disallow-cluster-admin-bindings refuses a system:-named binding of cluster-admin to a user, and exempts only bindings of control-plane identities", () => {
        const evil = bind("system:evil", "ClusterRole", "cluster-admin", { kind: "User", name: "mallory" }, "ClusterRoleBinding");
        assert.deepStrictEqual(violations(disallowClusterAdminBindings, [evil]), [
            "ClusterRoleBinding system:evil: grants full control through ClusterRole cluster-admin (every verb on every resource); bind a narrower role",
        ]);
        const masters = bind("cluster-admin", "ClusterRole", "cluster-admin", { kind: "Group", name: "system:masters" }, "ClusterRoleBinding");
        assert.deepStrictEqual(violations(disallowClusterAdminBindings, [masters]), []);
        const eks = bind(
            "eks:addon-cluster-admin",
            "ClusterRole",
            "cluster-admin",
            { kind: "User", name: "eks:addon-manager" },
            "ClusterRoleBinding",
        );
        assert.deepStrictEqual(violations(disallowClusterAdminBindings, [eks]), []);
        for (const broad of [
            { kind: "Group", name: "system:authenticated" },
            { kind: "Group", name: "system:serviceaccounts" },
            { kind: "User", name: "system:serviceaccount:default:evil" },
            { kind: "Group", name: "system:nodes" },
            { kind: "ServiceAccount", name: "default", namespace: "kube-system" },
        ]) {
            assert.deepStrictEqual(
                violations(disallowClusterAdminBindings, [bind("system:ops", "ClusterRole", "cluster-admin", broad, "ClusterRoleBinding")]),
                [
                    "ClusterRoleBinding system:ops: grants full control through ClusterRole cluster-admin (every verb on every resource); bind a narrower role",
                ],
            );
        }
    });
});
