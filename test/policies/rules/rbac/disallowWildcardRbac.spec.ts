import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disallowWildcardRbac } from "../../../../policies/rules/rbac/disallowWildcardRbac";
import { violations } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const role = (rules: unknown[], kind = "Role", name = "app"): K8sObject => ({
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind,
    metadata: kind === "Role" ? { name, namespace: "voting-api" } : { name },
    rules,
});
const check = (obj: K8sObject) => violations(disallowWildcardRbac, obj);

describe(disallowWildcardRbac.name, () => {
    it("accepts roles that list their verbs and resources", () => {
        assert.deepStrictEqual(
            check(role([{ apiGroups: ["", "apps"], resources: ["pods", "deployments", "pods/log"], verbs: ["get", "list", "watch"] }])),
            [],
        );
    });

    it("refuses a wildcard verb in a Role and in a ClusterRole", () => {
        assert.deepStrictEqual(check(role([{ apiGroups: [""], resources: ["pods", "services"], verbs: ["get", "*"] }])), [
            "Role voting-api/app: rule 1 grants every verb (*) on pods, services; list the verbs it needs",
        ]);
        assert.deepStrictEqual(check(role([{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["*"] }], "ClusterRole")), [
            "ClusterRole app: rule 1 grants every verb (*) on deployments; list the verbs it needs",
        ]);
    });

    it("refuses a wildcard resource and a wildcard subresource, naming the groups they cover", () => {
        assert.deepStrictEqual(check(role([{ apiGroups: ["", "apps"], resources: ["*"], verbs: ["get"] }])), [
            "Role voting-api/app: rule 1 grants every resource (*) of the core group, apps; list the resources it needs",
        ]);
        assert.deepStrictEqual(
            check(
                role([
                    { apiGroups: [""], resources: ["pods"], verbs: ["get"] },
                    { apiGroups: [""], resources: ["*/exec"], verbs: ["create"] },
                ]),
            ),
            ["Role voting-api/app: rule 2 grants exec of every resource (*/exec) of the core group; list the resources it needs"],
        );
    });

    it("leaves a named subresource and Kubernetes' own system: roles alone", () => {
        assert.deepStrictEqual(check(role([{ apiGroups: [""], resources: ["pods/*"], verbs: ["get"] }])), []);
        assert.deepStrictEqual(check(role([{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }], "ClusterRole", "system:controller:foo")), []);
        assert.deepStrictEqual(
            check({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "voting-api" }, rules: [{ verbs: ["*"] }] }),
            [],
        );
    });

    it("blocks the registry's mutants of 6.5.2 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("6.5.2", "the developer role grants every verb"), [
            "disallow-wildcard-rbac: Role voting-api/voting-developer: rule 1 grants every verb (*) on pods, services, endpoints, configmaps, events, persistentvolumeclaims, resourcequotas, limitranges; list the verbs it needs",
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("6.5.2", "the deployer role grants every resource of the core group"), [
            "disallow-wildcard-rbac: Role voting-frontend/voting-deployer: rule 1 grants every resource (*) of the core group; list the resources it needs",
        ]);
    });
});
