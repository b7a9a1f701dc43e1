import { forEachContainer, records, text } from "../../lib/k8s";
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
    kinds: "workloads",
    check: (obj, cfg) =>
        forEachContainer(obj, (c) =>
            records(c.container.env)
                .filter((e) => typeof e.name === "string" && cfg.envNames.includes(e.name) && VERBOSE.includes(text(e.value).toUpperCase()))
                .map((e) => `logs at ${text(e.value)} (${e.name}); use INFO in production`),
        ),
});
