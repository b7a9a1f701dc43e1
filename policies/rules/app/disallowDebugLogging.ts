import { forEachContainer } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

const VERBOSE = ["DEBUG", "TRACE", "ALL"];

/** Checklist 3.1.3: production logs at INFO or WARN; debug logs are noisy and may carry request data. */
export const disallowDebugLogging = defineRule<{ envNames: string[] }>({
    scope: "resource",
    name: "disallow-debug-logging",
    description: "No container runs with a DEBUG or TRACE log level.",
    severity: "low",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set the log level to "INFO" (config voting-platform:app.logLevel); raise it temporarily on one pod when troubleshooting.',
    checklist: ["3.1.3"],
    settings: {
        envNames: {
            type: "array",
            items: { type: "string" },
            description: "Variables that set the log level.",
            default: ["LOG_LEVEL", "LOGLEVEL", "LOGGING_LEVEL"],
        },
    },
    check: (obj, cfg) =>
        forEachContainer(obj, (c) =>
            (Array.isArray(c.container.env) ? c.container.env : [])
                .filter(
                    (e: { name?: string; value?: unknown }) =>
                        cfg.envNames.includes(String(e?.name)) && VERBOSE.includes(String(e.value).toUpperCase()),
                )
                .map((e: { name: string; value: string }) => `logs at ${e.value} (${e.name}); use INFO in production`),
        ),
});
