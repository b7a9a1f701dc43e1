import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disallowDeprecatedApis } from "../../../../policies/rules/operations/disallowDeprecatedApis";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations } from "../../../helpers/policy";

/** Every removed API version, the release that removed it and its replacement, written out by hand from the Kubernetes deprecation guide. */
const REMOVED: [string, string, string][] = [
    ["extensions/v1beta1", "1.22", "apps/v1 or networking.k8s.io/v1"],
    ["apps/v1beta1", "1.16", "apps/v1"],
    ["apps/v1beta2", "1.16", "apps/v1"],
    ["networking.k8s.io/v1beta1", "1.22", "networking.k8s.io/v1"],
    ["rbac.authorization.k8s.io/v1beta1", "1.22", "rbac.authorization.k8s.io/v1"],
    ["policy/v1beta1", "1.25", "policy/v1 (PodSecurityPolicy has no successor: use Pod Security Admission)"],
    ["batch/v1beta1", "1.25", "batch/v1"],
    ["autoscaling/v2beta1", "1.25", "autoscaling/v2"],
    ["autoscaling/v2beta2", "1.26", "autoscaling/v2"],
    ["discovery.k8s.io/v1beta1", "1.25", "discovery.k8s.io/v1"],
    ["events.k8s.io/v1beta1", "1.25", "events.k8s.io/v1"],
    ["storage.k8s.io/v1beta1", "1.22", "storage.k8s.io/v1"],
    ["scheduling.k8s.io/v1beta1", "1.22", "scheduling.k8s.io/v1"],
    ["admissionregistration.k8s.io/v1beta1", "1.22", "admissionregistration.k8s.io/v1"],
    ["apiextensions.k8s.io/v1beta1", "1.22", "apiextensions.k8s.io/v1"],
    ["flowcontrol.apiserver.k8s.io/v1beta2", "1.29", "flowcontrol.apiserver.k8s.io/v1"],
    ["flowcontrol.apiserver.k8s.io/v1beta3", "1.32", "flowcontrol.apiserver.k8s.io/v1"],
];
const obj = (apiVersion: string | undefined): K8sObject => ({ apiVersion, kind: "Widget", metadata: { name: "w", namespace: "voting-api" } });
const minorBefore = (v: string) => `1.${Number(v.split(".")[1]) - 1}`;

describe(disallowDeprecatedApis.name, () => {
    it("accepts current API versions, and objects with none", () => {
        assert.deepStrictEqual(violations(disallowDeprecatedApis, compliantDeployment(), { kubernetesVersion: "1.30" }), []);
        assert.deepStrictEqual(violations(disallowDeprecatedApis, obj(undefined), { kubernetesVersion: "1.30" }), []);
    });

    it("refuses each removed API version on the release that removed it, naming the replacement", () => {
        for (const [apiVersion, removedIn, use] of REMOVED) {
            assert.deepStrictEqual(violations(disallowDeprecatedApis, obj(apiVersion), { kubernetesVersion: removedIn }), [
                `Widget voting-api/w: uses ${apiVersion}, removed in Kubernetes ${removedIn}; use ${use}`,
            ]);
        }
    });

    it("accepts each removed API version on the release just before its removal", () => {
        for (const [apiVersion, removedIn] of REMOVED) {
            assert.deepStrictEqual(
                violations(disallowDeprecatedApis, obj(apiVersion), { kubernetesVersion: minorBefore(removedIn) }),
                [],
                apiVersion,
            );
        }
    });

    it("targets Kubernetes 1.28 by default, and compares minor versions as numbers", () => {
        assert.strictEqual(violations(disallowDeprecatedApis, obj("autoscaling/v2beta2")).length, 1);
        assert.deepStrictEqual(violations(disallowDeprecatedApis, obj("flowcontrol.apiserver.k8s.io/v1beta2")), []);
        assert.strictEqual(violations(disallowDeprecatedApis, obj("apps/v1beta1"), { kubernetesVersion: "1.100" }).length, 1);
    });
});
