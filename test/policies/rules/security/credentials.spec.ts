import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disableServiceAccountTokenAutomount } from "../../../../policies/rules/security/disableServiceAccountTokenAutomount";
import { disallowSecretsInConfigMaps } from "../../../../policies/rules/security/disallowSecretsInConfigMaps";
import { disallowSecretsInEnv } from "../../../../policies/rules/security/disallowSecretsInEnv";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const sa = (automount?: boolean): K8sObject => ({
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name: "api", namespace: "voting-api" },
    ...(automount === undefined ? {} : { automountServiceAccountToken: automount }),
});
const podWith = (automount: boolean | undefined) =>
    withChange(compliantDeployment(), (x) => {
        x.spec.template.spec.serviceAccountName = "api";
        if (automount === undefined) delete x.spec.template.spec.automountServiceAccountToken;
        else x.spec.template.spec.automountServiceAccountToken = automount;
    });
const env = (entries: unknown[]) => withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].env = entries));

describe("credential policies (6.5.3, 6.1.1)", () => {
    it("disable-service-account-token-automount lets the pod's false win, or the ServiceAccount's when the pod says nothing", () => {
        assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [podWith(false), sa(true)]), []);
        assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [podWith(undefined), sa(false)]), []);
    });

    it("disable-service-account-token-automount reports a pod that mounts the token", () => {
        assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [podWith(true), sa(false)]), [
            "Deployment voting-api/api: mounts the ServiceAccount token (automountServiceAccountToken: true); set it to false",
        ]);
        assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [podWith(undefined), sa()]), [
            "Deployment voting-api/api: mounts a ServiceAccount token by default (its ServiceAccount api does not disable it either); set automountServiceAccountToken: false",
        ]);
        assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, [podWith(undefined)]), [
            "Deployment voting-api/api: mounts a ServiceAccount token by default (ServiceAccount api is not in the resource set to disable it); set automountServiceAccountToken: false",
        ]);
    });

    it("disallow-secrets-in-env accepts plain settings and secretKeyRef", () => {
        const ok = env([
            { name: "LOG_LEVEL", value: "INFO" },
            { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "app-connections", key: "DATABASE_URL" } } },
            { name: "API_TOKEN", valueFrom: { secretKeyRef: { name: "t", key: "t" } } },
        ]);
        assert.deepStrictEqual(violations(disallowSecretsInEnv, ok), []);
    });

    it("disallow-secrets-in-env reports credential names, private keys, URLs with passwords and connection variables set literally", () => {
        const bad = env([
            { name: "POSTGRES_PASSWORD", value: "hunter2" },
            { name: "CERT", value: "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----" },
            { name: "UPSTREAM", value: "https://admin:pw@internal.example.com/" },
            { name: "REDIS_URL", value: "redis://redis:6379/0" },
        ]);
        assert.deepStrictEqual(violations(disallowSecretsInEnv, bad), [
            'Deployment voting-api/api: container "api" env POSTGRES_PASSWORD looks like a credential in plain text; use valueFrom.secretKeyRef',
            'Deployment voting-api/api: container "api" env CERT holds a private key in plain text; use valueFrom.secretKeyRef',
            'Deployment voting-api/api: container "api" env UPSTREAM holds a URL with a password in it in plain text; use valueFrom.secretKeyRef',
            'Deployment voting-api/api: container "api" sets REDIS_URL without a secretKeyRef; it carries credentials and must come from a Secret',
        ]);
    });

    it("disallow-secrets-in-config-maps reports credential keys and values", () => {
        const cm = (data: Record<string, string>): K8sObject => ({
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "settings", namespace: "voting-api" },
            data,
        });
        assert.deepStrictEqual(violations(disallowSecretsInConfigMaps, cm({ message: "hello", db_user: "postgres" })), []);
        assert.deepStrictEqual(violations(disallowSecretsInConfigMaps, cm({ db_password: "abc123", AWS_SECRET_ACCESS_KEY: "x", greeting: "hi" })), [
            "ConfigMap voting-api/settings: key db_password looks like a credential; move it to a Secret",
            "ConfigMap voting-api/settings: key AWS_SECRET_ACCESS_KEY looks like a credential; move it to a Secret",
        ]);
    });
});
