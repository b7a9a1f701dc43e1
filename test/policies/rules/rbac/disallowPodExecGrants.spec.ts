import * as assert from "assert";
import { disallowPodExecGrants } from "../../../../policies/rules/rbac/disallowPodExecGrants";
import { violations } from "../../../helpers/policy";
import { readOnly, role } from "./fixtures";

const GRANTS = "grants pods/exec or pods/attach; remove them (pods/log is enough to read logs)";
const debug = (rule: Record<string, unknown>, kind = "Role") =>
    role("debug", [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"], ...rule }], kind);

describe(disallowPodExecGrants.name, () => {
    it("accepts a read-only role", () => {
        assert.deepStrictEqual(violations(disallowPodExecGrants, readOnly), []);
    });

    it("refuses exec or attach in the core or any API group, by name, */exec, */attach or *, with create, get or *", () => {
        for (const apiGroups of [[""], ["*"]])
            for (const resources of [["pods/exec"], ["pods/attach"], ["*/exec"], ["*/attach"], ["*"]])
                for (const verbs of [["create"], ["get"], ["*"]]) {
                    assert.deepStrictEqual(
                        violations(disallowPodExecGrants, debug({ apiGroups, resources, verbs })),
                        [`Role voting-api/debug: ${GRANTS}`],
                        JSON.stringify({ apiGroups, resources, verbs }),
                    );
                }
    });

    it("accepts exec named with verbs that do not open it, in another API group, or only pods and logs", () => {
        for (const rule of [
            { verbs: ["list", "watch"] },
            { apiGroups: ["apps"] },
            { resources: ["pods", "pods/log"] },
            { apiGroups: undefined },
            { resources: undefined },
            { verbs: undefined },
        ]) {
            assert.deepStrictEqual(violations(disallowPodExecGrants, debug(rule)), [], JSON.stringify(rule));
        }
    });

    it("refuses a ClusterRole that grants exec too", () => {
        assert.deepStrictEqual(violations(disallowPodExecGrants, debug({}, "ClusterRole")), [`ClusterRole debug: ${GRANTS}`]);
    });

    it("accepts the roles the pack config allows, and Kubernetes' own system: roles", () => {
        assert.deepStrictEqual(violations(disallowPodExecGrants, debug({}), { allowedRoles: ["debug"] }), []);
        assert.deepStrictEqual(
            violations(
                disallowPodExecGrants,
                role("system:aggregate-to-edit", [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }], "ClusterRole"),
            ),
            [],
        );
        assert.deepStrictEqual(
            violations(disallowPodExecGrants, role("sre:debug", [{ apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] }], "ClusterRole"), {
                managedPrefixes: ["sre:"],
            }),
            [],
        );
    });

    it("judges only Roles and ClusterRoles", () => {
        const notARole = { ...debug({}), kind: "RoleBinding" };
        assert.deepStrictEqual(violations(disallowPodExecGrants, notARole), []);
        assert.deepStrictEqual(violations(disallowPodExecGrants, { ...debug({}), rules: "everything" }), []);
    });

    it("reads pods/* as RBAC does, naming no subresource, and a verbs string as granting nothing", () => {
        assert.deepStrictEqual(violations(disallowPodExecGrants, debug({ apiGroups: [""], resources: ["pods/*"], verbs: ["*"] })), []);
        assert.deepStrictEqual(violations(disallowPodExecGrants, debug({ apiGroups: [""], resources: ["*/log"], verbs: ["*"] })), []);
        assert.deepStrictEqual(violations(disallowPodExecGrants, debug({ apiGroups: [""], resources: ["pods/exec"], verbs: "create" })), []);
    });
});
