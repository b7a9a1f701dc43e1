import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireNamespaceAdminAccess } from "../../../../policies/rules/rbac/requireNamespaceAdminAccess";
import { reportedOn, violations } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const NAMESPACES = ["voting-api", "voting-data"];
const CFG = { adminSubjects: ["Group:voting-sre"], namespaces: NAMESPACES };
const FULL = ["get", "list", "watch", "create", "update", "patch", "delete"];
const binding = (namespace: string | undefined, roleKind: string, roleName: string, subject = "voting-sre"): K8sObject => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: namespace ? "RoleBinding" : "ClusterRoleBinding",
    metadata: namespace ? { name: "voting-sre", namespace } : { name: "voting-sre" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: roleKind, name: roleName },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: subject }],
});
const role = (namespace: string, rules: unknown[]): K8sObject => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: "operator", namespace },
    rules,
});
const check = (objects: K8sObject[], cfg: Record<string, unknown> = CFG) => violations(requireNamespaceAdminAccess, objects, cfg);
const MISSING = (ns: string) =>
    `Namespace ${ns}: Group:voting-sre has no full control here; bind it with a RoleBinding to the built-in admin ClusterRole`;

describe(requireNamespaceAdminAccess.name, () => {
    it("accepts SRE bound to the built-in admin in every platform namespace", () => {
        assert.deepStrictEqual(check(NAMESPACES.map((ns) => binding(ns, "ClusterRole", "admin"))), []);
    });

    it("accepts the built-in edit, or a role with every verb on pods, Deployments and StatefulSets", () => {
        const full = [
            { apiGroups: [""], resources: ["pods"], verbs: FULL },
            { apiGroups: ["apps"], resources: ["deployments", "statefulsets"], verbs: FULL },
        ];
        assert.deepStrictEqual(
            check([binding("voting-api", "ClusterRole", "edit"), role("voting-data", full), binding("voting-data", "Role", "operator")]),
            [],
        );
    });

    it("counts only SRE's own RoleBindings in the namespace to a role that exists", () => {
        // Another subject's admin binding, a cluster-wide binding (more than the platform's namespaces) and a
        // binding to a role that does not exist give SRE nothing here.
        assert.deepStrictEqual(
            check([binding("voting-api", "ClusterRole", "admin"), binding("voting-data", "ClusterRole", "admin", "voting-developers")]),
            [MISSING("voting-data")],
        );
        assert.deepStrictEqual(check([binding("voting-api", "ClusterRole", "admin"), binding(undefined, "ClusterRole", "admin")]), [
            MISSING("voting-data"),
            "ClusterRoleBinding voting-sre: gives Group:voting-sre write access in every namespace through ClusterRole admin; grant it per namespace with RoleBindings",
        ]);
        const template = { ...binding("voting-data", "ClusterRole", "admin"), apiVersion: "example.com/v1", kind: "BindingTemplate" };
        assert.deepStrictEqual(
            check([binding("voting-api", "ClusterRole", "admin"), template]),
            [MISSING("voting-data")],
            "only the two binding kinds grant",
        );
        assert.deepStrictEqual(check([binding("voting-api", "ClusterRole", "admin"), binding("voting-data", "Role", "missing")]), [
            MISSING("voting-data"),
        ]);
    });

    it("refuses a namespace where SRE has no binding, or only one that falls one verb short", () => {
        assert.deepStrictEqual(check([binding("voting-api", "ClusterRole", "admin")]), [MISSING("voting-data")]);
        const short = [
            { apiGroups: [""], resources: ["pods"], verbs: FULL.filter((v) => v !== "delete") },
            { apiGroups: ["apps"], resources: ["deployments", "statefulsets"], verbs: FULL },
        ];
        assert.deepStrictEqual(
            check([binding("voting-api", "ClusterRole", "admin"), role("voting-data", short), binding("voting-data", "Role", "operator")]),
            [MISSING("voting-data")],
        );
        assert.deepStrictEqual(check([binding("voting-api", "ClusterRole", "view"), binding("voting-data", "ClusterRole", "admin")]), [
            MISSING("voting-api"),
        ]);
    });

    it("counts wildcards toward full control, and each verb only on the group and resource it names", () => {
        const admin = (namespace: string) => [
            role(namespace, [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]),
            binding(namespace, "Role", "operator"),
        ];
        assert.deepStrictEqual(check([...admin("voting-api"), ...admin("voting-data")]), []);
        const wrongGroup = [{ apiGroups: [""], resources: ["pods", "deployments", "statefulsets"], verbs: FULL }];
        const otherResources = [{ apiGroups: ["", "apps"], resources: ["configmaps"], verbs: ["*"] }];
        const bothGroups = [{ apiGroups: ["", "apps"], resources: ["pods", "deployments", "statefulsets"], verbs: ["*"] }];
        for (const [rules, verdict] of [
            [wrongGroup, [MISSING("voting-data")]],
            [otherResources, [MISSING("voting-data")]],
            [bothGroups, []],
        ] as const) {
            assert.deepStrictEqual(
                check([binding("voting-api", "ClusterRole", "admin"), role("voting-data", [...rules]), binding("voting-data", "Role", "operator")]),
                verdict,
                JSON.stringify(rules),
            );
        }
    });

    it("reports on the Namespace of the resource set, whose waiver holds, or on a stand-in Namespace of that name", () => {
        assert.deepStrictEqual(reportedOn(requireNamespaceAdminAccess, [binding("voting-api", "ClusterRole", "admin")], CFG), [
            "Namespace /voting-data",
        ]);
        const waived: K8sObject = {
            apiVersion: "v1",
            kind: "Namespace",
            metadata: {
                name: "voting-data",
                annotations: { "waiver.voting-platform.io/require-namespace-admin-access": "the data team runs voting-data" },
            },
        };
        assert.deepStrictEqual(check([binding("voting-api", "ClusterRole", "admin"), waived]), []);
    });

    it("refuses full control of the cluster given through a ClusterRoleBinding, which is not namespace access", () => {
        assert.deepStrictEqual(check([binding(undefined, "ClusterRole", "admin")]), [
            MISSING("voting-api"),
            MISSING("voting-data"),
            "ClusterRoleBinding voting-sre: gives Group:voting-sre write access in every namespace through ClusterRole admin; grant it per namespace with RoleBindings",
        ]);
        assert.deepStrictEqual(
            check([...NAMESPACES.map((ns) => binding(ns, "ClusterRole", "admin")), binding(undefined, "ClusterRole", "view")]),
            [],
        );
        const writer: K8sObject = {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRole",
            metadata: { name: "operator" },
            rules: [
                { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
                { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "patch"] },
            ],
        };
        const admins = NAMESPACES.map((ns) => binding(ns, "ClusterRole", "admin"));
        assert.deepStrictEqual(check([...admins, writer, binding(undefined, "ClusterRole", "operator")]), [
            "ClusterRoleBinding voting-sre: gives Group:voting-sre write access in every namespace through ClusterRole operator; grant it per namespace with RoleBindings",
        ]);
        assert.deepStrictEqual(check([...admins, binding(undefined, "ClusterRole", "gone")]), [], "a dangling binding grants nothing");
    });

    it("asks nothing for subjects and namespaces its settings do not name", () => {
        assert.deepStrictEqual(check([], { adminSubjects: [], namespaces: NAMESPACES }), []);
        assert.deepStrictEqual(
            check([binding("voting-api", "ClusterRole", "admin", "other")], { adminSubjects: ["Group:voting-sre"], namespaces: [] }),
            [],
        );
    });

    it("blocks the registry's mutant of 4.4.1 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("4.4.1", "the SRE group loses its access to voting-data"), [
            `require-namespace-admin-access: ${MISSING("voting-data")}`,
        ]);
    });
});
