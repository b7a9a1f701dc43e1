import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disallowWildcardCors } from "../../../../policies/rules/app/disallowWildcardCors";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const env = (entries: unknown[]) => withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].env = entries));
const ingress = (annotations?: Record<string, string>): K8sObject => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: "voting", namespace: "voting-frontend", ...(annotations ? { annotations } : {}) },
    spec: {},
});
const ANY = (name = "CORS_ORIGINS") =>
    `Deployment voting-api/api: container "api" allows every origin (${name}="*"); list the allowed origins explicitly`;
const INGRESS_ANY =
    'Ingress voting-frontend/voting: enables CORS for every origin ("*"); set nginx.ingress.kubernetes.io/cors-allow-origin to the explicit list';
const ON = { "nginx.ingress.kubernetes.io/enable-cors": "true" };

describe(disallowWildcardCors.name, () => {
    it("accepts the compliant pod on every kind that runs pods, and explicit origins", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(disallowWildcardCors, asKind(k)), [], k);
        assert.deepStrictEqual(
            violations(disallowWildcardCors, env([{ name: "CORS_ORIGINS", value: "https://voting.example.com,https://*.example.com" }])),
            [],
        );
    });

    it("refuses * in the app's env, alone or in a list separated by commas or spaces", () => {
        for (const value of ["*", "https://a.example.com, *", "https://a.example.com *", "*,https://a.example.com"]) {
            assert.deepStrictEqual(violations(disallowWildcardCors, env([{ name: "CORS_ORIGINS", value }])), [ANY()], value);
        }
    });

    it("reads each configured variable name, and only string values", () => {
        for (const name of ["CORS_ORIGINS", "CORS_ALLOW_ORIGINS", "ALLOWED_ORIGINS", "ACCESS_CONTROL_ALLOW_ORIGIN"]) {
            assert.deepStrictEqual(violations(disallowWildcardCors, env([{ name, value: "*" }])), [ANY(name)], name);
        }
        assert.deepStrictEqual(violations(disallowWildcardCors, env([{ name: "ORIGINS", value: "*" }])), []);
        assert.deepStrictEqual(violations(disallowWildcardCors, env([{ name: "ORIGINS", value: "*" }]), { envNames: ["ORIGINS"] }), [ANY("ORIGINS")]);
        assert.deepStrictEqual(
            violations(disallowWildcardCors, env([{ name: "CORS_ORIGINS", valueFrom: { configMapKeyRef: { name: "c", key: "k" } } }, null])),
            [],
        );
    });

    it("refuses an Ingress that enables CORS with no origin list, or with * in it", () => {
        assert.deepStrictEqual(violations(disallowWildcardCors, ingress(ON)), [INGRESS_ANY]);
        assert.deepStrictEqual(
            violations(disallowWildcardCors, ingress({ ...ON, "nginx.ingress.kubernetes.io/cors-allow-origin": "https://a.example.com, *" })),
            [INGRESS_ANY],
        );
    });

    it("accepts an Ingress with an explicit origin list, or without CORS enabled", () => {
        assert.deepStrictEqual(
            violations(disallowWildcardCors, ingress({ ...ON, "nginx.ingress.kubernetes.io/cors-allow-origin": "https://voting.example.com" })),
            [],
        );
        assert.deepStrictEqual(
            violations(disallowWildcardCors, ingress({ ...ON, "nginx.ingress.kubernetes.io/cors-allow-origin": "https://*.example.com" })),
            [],
        );
        assert.deepStrictEqual(violations(disallowWildcardCors, ingress({ "nginx.ingress.kubernetes.io/cors-allow-origin": "*" })), []);
        assert.deepStrictEqual(violations(disallowWildcardCors, ingress({ "nginx.ingress.kubernetes.io/enable-cors": "false" })), []);
        assert.deepStrictEqual(violations(disallowWildcardCors, ingress()), []);
    });

    it("refuses a wildcard origin on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.containers[0].env = [{ name: "CORS_ORIGINS", value: "*" }]))) {
            assert.deepStrictEqual(violations(disallowWildcardCors, obj), [
                `${named(obj)}: container "api" allows every origin (CORS_ORIGINS="*"); list the allowed origins explicitly`,
            ]);
        }
    });
});
