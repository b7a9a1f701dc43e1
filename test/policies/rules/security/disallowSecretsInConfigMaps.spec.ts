import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disallowSecretsInConfigMaps } from "../../../../policies/rules/security/disallowSecretsInConfigMaps";
import { violations } from "../../../helpers/policy";

const cm = (data: unknown, kind = "ConfigMap"): K8sObject => ({
    apiVersion: "v1",
    kind,
    metadata: { name: "settings", namespace: "voting-api" },
    data,
});

describe(disallowSecretsInConfigMaps.name, () => {
    it("accepts plain settings, and credential-like keys with an empty value", () => {
        assert.deepStrictEqual(violations(disallowSecretsInConfigMaps, cm({ message: "hello", db_user: "postgres", db_password: "" })), []);
        assert.deepStrictEqual(violations(disallowSecretsInConfigMaps, cm(undefined)), []);
        assert.deepStrictEqual(violations(disallowSecretsInConfigMaps, cm("not-a-map")), []);
    });

    it("refuses credential-like keys that carry a value", () => {
        assert.deepStrictEqual(violations(disallowSecretsInConfigMaps, cm({ db_password: "abc123", AWS_SECRET_ACCESS_KEY: "x", greeting: "hi" })), [
            "ConfigMap voting-api/settings: key db_password looks like a credential; move it to a Secret",
            "ConfigMap voting-api/settings: key AWS_SECRET_ACCESS_KEY looks like a credential; move it to a Secret",
        ]);
    });

    it("refuses credential values under innocent keys: a private key, a URL with a password", () => {
        const data = {
            "tls.pem": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n",
            upstream: "postgresql://voting:s3cret@postgres.voting-data:5432/votes",
            plain: "postgresql://postgres.voting-data:5432/votes",
        };
        assert.deepStrictEqual(violations(disallowSecretsInConfigMaps, cm(data)), [
            "ConfigMap voting-api/settings: key tls.pem holds a private key; move it to a Secret",
            "ConfigMap voting-api/settings: key upstream holds a URL with a password in it; move it to a Secret",
        ]);
    });

    it("judges only ConfigMaps", () => {
        assert.deepStrictEqual(violations(disallowSecretsInConfigMaps, cm({ db_password: "abc123" }, "Secret")), []);
    });
});
