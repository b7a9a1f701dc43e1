import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disableServiceAccountTokenAutomount } from "../../../../policies/rules/security/disableServiceAccountTokenAutomount";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const sa = (automount?: boolean, namespace = "voting-api", name = "api"): K8sObject => ({
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, namespace },
    ...(automount === undefined ? {} : { automountServiceAccountToken: automount }),
});
const podWith = (automount: boolean | undefined, field = "serviceAccountName") =>
    withChange(compliantDeployment(), (x) => {
        x.spec.template.spec[field] = "api";
        if (automount === undefined) delete x.spec.template.spec.automountServiceAccountToken;
        else x.spec.template.spec.automountServiceAccountToken = automount;
    });
const BY_DEFAULT_MISSING = (sa: string) =>
    `Deployment voting-api/api: mounts a ServiceAccount token by default (ServiceAccount ${sa} is not in the resource set to disable it); set automountServiceAccountToken: false`;

describe(disableServiceAccountTokenAutomount.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [asKind(k)]), [], k);
    });

    it("lets the pod's false win, or the ServiceAccount's when the pod says nothing", () => {
        assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [podWith(false), sa(true)]), []);
        assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [podWith(undefined), sa(false)]), []);
    });

    it("refuses a pod that mounts the token, whatever its ServiceAccount says", () => {
        assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [podWith(true), sa(false)]), [
            "Deployment voting-api/api: mounts the ServiceAccount token (automountServiceAccountToken: true); set it to false",
        ]);
    });

    it("refuses a pod that says nothing when its ServiceAccount does not disable the token, or is missing", () => {
        assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [podWith(undefined), sa()]), [
            "Deployment voting-api/api: mounts a ServiceAccount token by default (its ServiceAccount api does not disable it either); set automountServiceAccountToken: false",
        ]);
        assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [podWith(undefined)]), [BY_DEFAULT_MISSING("api")]);
    });

    it("does not let a ServiceAccount of the same name in another namespace decide", () => {
        assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [podWith(undefined), sa(false, "voting-frontend")]), [
            BY_DEFAULT_MISSING("api"),
        ]);
    });

    it("does not let a ServiceAccount of another name decide", () => {
        assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [podWith(undefined), sa(false, "voting-api", "frontend")]), [
            BY_DEFAULT_MISSING("api"),
        ]);
    });

    it("reads the deprecated serviceAccount field, and falls back to the namespace's default ServiceAccount", () => {
        assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [podWith(undefined, "serviceAccount"), sa(false)]), []);
        const none = withChange(compliantDeployment(), (x) => {
            delete x.spec.template.spec.automountServiceAccountToken;
            delete x.spec.template.spec.serviceAccountName;
        });
        assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [none]), [BY_DEFAULT_MISSING("default")]);
        assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [none, sa(false, "voting-api", "default")]), []);
    });

    it("refuses a pod that mounts the token on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.automountServiceAccountToken = true))) {
            assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [obj]), [
                `${named(obj)}: mounts the ServiceAccount token (automountServiceAccountToken: true); set it to false`,
            ]);
        }
    });
});
