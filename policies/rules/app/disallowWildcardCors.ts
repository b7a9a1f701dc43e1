import { annotationsOf, describe, forEachContainer, type K8sObject, records } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** Checklist 1.3.3: a wildcard origin lets any site call the API from a visitor's browser. */
export const disallowWildcardCors = defineRule<{ envNames: string[] }>({
    scope: "resource",
    name: "disallow-wildcard-cors",
    description: 'No workload or Ingress allows cross-origin requests from "*": CORS origins are an explicit list.',
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        'Set the origins explicitly (config voting-platform:corsOrigins, e.g. ["https://voting.example.com"]); keep "*" to local development.',
    checklist: ["1.3.3"],
    settings: {
        envNames: {
            type: "array",
            items: { type: "string" },
            description: "Environment variables that carry allowed origins.",
            default: ["CORS_ORIGINS", "CORS_ALLOW_ORIGINS", "ALLOWED_ORIGINS", "ACCESS_CONTROL_ALLOW_ORIGIN"],
        },
    },
    check: (obj: K8sObject, cfg) => {
        if (obj.kind === "Ingress") {
            const a = annotationsOf(obj);
            const origin = a["nginx.ingress.kubernetes.io/cors-allow-origin"];
            const on = a["nginx.ingress.kubernetes.io/enable-cors"] === "true";
            return on && (origin === undefined || origin.split(",").some((o) => o.trim() === "*"))
                ? [`${describe(obj)}: enables CORS for every origin ("*"); set nginx.ingress.kubernetes.io/cors-allow-origin to the explicit list`]
                : [];
        }
        return forEachContainer(obj, (c) =>
            records(c.container.env)
                .filter((e) => typeof e.name === "string" && cfg.envNames.includes(e.name) && typeof e.value === "string")
                .filter((e) => e.value.split(/[,\s]+/).some((o: string) => o === "*"))
                .map((e) => `allows every origin (${e.name}="*"); list the allowed origins explicitly`),
        );
    },
});
