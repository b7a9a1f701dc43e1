import * as assert from "assert";
import { disallowSecretsInEnv } from "../../../../policies/rules/security/disallowSecretsInEnv";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const env = (entries: unknown[]) => withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].env = entries));
const fromSecret = { secretKeyRef: { name: "app-connections", key: "k" } };

describe(disallowSecretsInEnv.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(disallowSecretsInEnv, asKind(k)), [], k);
    });

    it("accepts plain settings, credentials from a secretKeyRef, an empty credential and a URL without a password", () => {
        const ok = env([
            { name: "LOG_LEVEL", value: "INFO" },
            { name: "DATABASE_URL", valueFrom: fromSecret },
            { name: "REDIS_URL", valueFrom: fromSecret },
            { name: "API_TOKEN", valueFrom: fromSecret },
            { name: "DB_PASSWORD", value: "" },
            { name: "UPSTREAM", value: "https://user@internal.example.com:8443/path" },
            null,
        ]);
        assert.deepStrictEqual(violations(disallowSecretsInEnv, ok), []);
    });

    it("refuses each configured connection variable that does not come from a Secret, whatever its value or source", () => {
        const bad = env([
            { name: "DATABASE_URL", value: "postgresql://postgres:5432/votes" },
            { name: "REDIS_URL", valueFrom: { configMapKeyRef: { name: "c", key: "k" } } },
        ]);
        assert.deepStrictEqual(violations(disallowSecretsInEnv, bad), [
            'Deployment voting-api/api: container "api" sets DATABASE_URL without a secretKeyRef; it carries credentials and must come from a Secret',
            'Deployment voting-api/api: container "api" sets REDIS_URL without a secretKeyRef; it carries credentials and must come from a Secret',
        ]);
    });

    it("takes the connection variables from the pack config", () => {
        const d = env([
            { name: "AMQP_URL", value: "amqp://rabbit:5672" },
            { name: "DATABASE_URL", value: "postgresql://db/votes" },
        ]);
        assert.deepStrictEqual(violations(disallowSecretsInEnv, d, { secretOnlyNames: ["AMQP_URL"] }), [
            'Deployment voting-api/api: container "api" sets AMQP_URL without a secretKeyRef; it carries credentials and must come from a Secret',
        ]);
    });

    it("refuses credential names, private keys and URLs with passwords set literally", () => {
        const bad = env([
            { name: "POSTGRES_PASSWORD", value: "hunter2" },
            { name: "CERT", value: "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----" },
            { name: "UPSTREAM", value: "https://admin:pw@internal.example.com/" },
        ]);
        assert.deepStrictEqual(violations(disallowSecretsInEnv, bad), [
            'Deployment voting-api/api: container "api" env POSTGRES_PASSWORD looks like a credential in plain text; use valueFrom.secretKeyRef',
            'Deployment voting-api/api: container "api" env CERT holds a private key in plain text; use valueFrom.secretKeyRef',
            'Deployment voting-api/api: container "api" env UPSTREAM holds a URL with a password in it in plain text; use valueFrom.secretKeyRef',
        ]);
    });

    it("refuses a literal credential on every kind that runs pods, in init containers too", () => {
        for (const obj of inEveryKind((s) => (s.initContainers = [{ name: "migrate", image: "i:1", env: [{ name: "API_KEY", value: "abc" }] }]))) {
            assert.deepStrictEqual(violations(disallowSecretsInEnv, obj), [
                `${named(obj)}: init container "migrate" env API_KEY looks like a credential in plain text; use valueFrom.secretKeyRef`,
            ]);
        }
    });

    it("names an unnamed variable that holds a private key by its empty name", () => {
        assert.deepStrictEqual(violations(disallowSecretsInEnv, env([{ value: "-----BEGIN PRIVATE KEY-----" }])), [
            'Deployment voting-api/api: container "api" env  holds a private key in plain text; use valueFrom.secretKeyRef',
        ]);
    });
});
