import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disallowWildcardGrants } from "../../../../policies/rules/rbac/disallowWildcardGrants";
import { violations } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";
import { readOnly, role } from "./fixtures";

describe("disallow-wildcard-grants", () => {
    it("accepts a role that lists its verbs, groups, resources and non-resource URLs, and pods/*, which names no resource", () => {
        assert.deepStrictEqual(violations(disallowWildcardGrants, readOnly), []);
        assert.deepStrictEqual(violations(disallowWildcardGrants, role("odd", [{ apiGroups: [""], resources: ["pods/*"], verbs: ["get"] }])), []);
        const probes = role("probes", [{ nonResourceURLs: ["/healthz", "/metrics"], verbs: ["get"] }], "ClusterRole");
        assert.deepStrictEqual(violations(disallowWildcardGrants, probes), []);
    });

    it("refuses a wildcard verb, API group, resource, subresource of every resource, or non-resource URL, naming the rule", () => {
        assert.deepStrictEqual(violations(disallowWildcardGrants, role("dev", [{ apiGroups: [""], resources: ["pods"], verbs: ["*"] }])), [
            'Role voting-api/dev: rules[0] grants verbs "*"; list what the role needs instead of a wildcard',
        ]);
        assert.deepStrictEqual(
            violations(
                disallowWildcardGrants,
                role(
                    "ops",
                    [
                        readOnly.rules[0],
                        { apiGroups: ["*"], resources: ["*", "*/scale"], verbs: ["get"] },
                        { nonResourceURLs: ["/metrics*"], verbs: ["get"] },
                    ],
                    "ClusterRole",
                ),
            ),
            [
                'ClusterRole ops: rules[1] grants apiGroups "*", resources "*", resources "*/scale"; list what the role needs instead of a wildcard',
                'ClusterRole ops: rules[2] grants nonResourceURLs "/metrics*"; list what the role needs instead of a wildcard',
            ],
        );
    });

    it("lets the pack config allow a role by namespace/name, or a ClusterRole by name, and nothing else", () => {
        const wild = role("operator", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]);
        assert.deepStrictEqual(violations(disallowWildcardGrants, wild, { allowedRoles: ["voting-api/operator"] }), []);
        assert.deepStrictEqual(violations(disallowWildcardGrants, wild, { allowedRoles: ["operator"] }).length, 1);
        assert.deepStrictEqual(
            violations(disallowWildcardGrants, { ...wild, kind: "ClusterRole", metadata: { name: "operator" } }, { allowedRoles: ["operator"] }),
            [],
        );
        // A Role without a namespace is created in the default namespace, and is allowed by that name only.
        const unplaced = { ...wild, metadata: { name: "operator" } };
        assert.deepStrictEqual(violations(disallowWildcardGrants, unplaced, { allowedRoles: ["default/operator"] }), []);
        for (const allowed of ["/operator", "operator", "voting-api/operator"])
            assert.deepStrictEqual(violations(disallowWildcardGrants, unplaced, { allowedRoles: [allowed] }).length, 1, allowed);
    });

    it("judges rules that are not objects, or fields that are not lists, as granting nothing", () => {
        assert.deepStrictEqual(violations(disallowWildcardGrants, role("odd", ["*", null, { verbs: "*", resources: { "*": 1 } }])), []);
    });

    it("refuses a wildcard verb among listed ones, in a Role and in a ClusterRole alike", () => {
        assert.deepStrictEqual(
            violations(disallowWildcardGrants, role("app", [{ apiGroups: [""], resources: ["pods", "services"], verbs: ["get", "*"] }])),
            ['Role voting-api/app: rules[0] grants verbs "*"; list what the role needs instead of a wildcard'],
        );
        assert.deepStrictEqual(
            violations(disallowWildcardGrants, role("app", [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["*"] }], "ClusterRole")),
            ['ClusterRole app: rules[0] grants verbs "*"; list what the role needs instead of a wildcard'],
        );
    });

    it("refuses exec of every resource (*/exec) in a later rule, and names that rule alone", () => {
        const rules = [
            { apiGroups: [""], resources: ["pods"], verbs: ["get"] },
            { apiGroups: [""], resources: ["*/exec"], verbs: ["create"] },
        ];
        assert.deepStrictEqual(violations(disallowWildcardGrants, role("app", rules)), [
            'Role voting-api/app: rules[1] grants resources "*/exec"; list what the role needs instead of a wildcard',
        ]);
    });

    it("refuses a system: role that is not listed in allowedRoles, since anyone may choose that prefix", () => {
        const controller = role("system:controller:foo", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }], "ClusterRole");
        assert.deepStrictEqual(violations(disallowWildcardGrants, controller), [
            'ClusterRole system:controller:foo: rules[0] grants verbs "*", apiGroups "*", resources "*"; list what the role needs instead of a wildcard',
        ]);
        assert.deepStrictEqual(violations(disallowWildcardGrants, controller, { allowedRoles: ["system:controller:foo"] }), []);
    });

    it("judges only Roles and ClusterRoles", () => {
        const configMap: K8sObject = {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "x", namespace: "voting-api" },
            rules: [{ verbs: ["*"] }],
        };
        assert.deepStrictEqual(violations(disallowWildcardGrants, configMap), []);
    });

    it("blocks the registry's wildcard mutants of 6.5.2 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("6.5.2", "the developer role grants every verb"), [
            'disallow-wildcard-grants: Role voting-api/voting-developer: rules[0] grants verbs "*"; list what the role needs instead of a wildcard',
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("6.5.2", "the deployer role grants every resource of the core group"), [
            'disallow-wildcard-grants: Role voting-frontend/voting-deployer: rules[0] grants resources "*"; list what the role needs instead of a wildcard',
        ]);
    });
});
