import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disallowDebugLogging } from "../../../../policies/rules/app/disallowDebugLogging";
import { disallowWildcardCors } from "../../../../policies/rules/app/disallowWildcardCors";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const env = (entries: unknown[]) => withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].env = entries));
const ingress = (annotations: Record<string, string>): K8sObject => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name: "voting", namespace: "voting-frontend", annotations },
    spec: {},
});

describe("application policies (1.3.3, 3.1.3)", () => {
    it("disallow-wildcard-cors accepts explicit origins", () => {
        assert.deepStrictEqual(
            violations(disallowWildcardCors, env([{ name: "CORS_ORIGINS", value: "https://voting.example.com,https://admin.example.com" }])),
            [],
        );
        assert.deepStrictEqual(
            violations(
                disallowWildcardCors,
                ingress({
                    "nginx.ingress.kubernetes.io/enable-cors": "true",
                    "nginx.ingress.kubernetes.io/cors-allow-origin": "https://voting.example.com",
                }),
            ),
            [],
        );
    });

    it("disallow-wildcard-cors refuses * in the app's env or at the Ingress", () => {
        assert.deepStrictEqual(violations(disallowWildcardCors, env([{ name: "CORS_ORIGINS", value: "https://a.example.com, *" }])), [
            'Deployment voting-api/api: container "api" allows every origin (CORS_ORIGINS="*"); list the allowed origins explicitly',
        ]);
        assert.deepStrictEqual(violations(disallowWildcardCors, ingress({ "nginx.ingress.kubernetes.io/enable-cors": "true" })), [
            'Ingress voting-frontend/voting: enables CORS for every origin ("*"); set nginx.ingress.kubernetes.io/cors-allow-origin to the explicit list',
        ]);
    });

    it("disallow-debug-logging refuses DEBUG and TRACE, whatever the case", () => {
        assert.deepStrictEqual(violations(disallowDebugLogging, env([{ name: "LOG_LEVEL", value: "INFO" }])), []);
        assert.deepStrictEqual(violations(disallowDebugLogging, env([{ name: "LOG_LEVEL", value: "debug" }])), [
            'Deployment voting-api/api: container "api" logs at debug (LOG_LEVEL); use INFO in production',
        ]);
    });
});
