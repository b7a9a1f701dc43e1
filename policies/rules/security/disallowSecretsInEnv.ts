import { forEachContainer, record, records, str } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";
import { sensitiveReason } from "../../lib/sensitive";

/** Checklist 6.1.1 / 1.3.4 / 3.1.3: credentials come from Secrets, never as literal env values that show in specs, logs and `kubectl describe`. */
export const disallowSecretsInEnv = defineRule<{ secretOnlyNames: string[] }>({
    scope: "resource",
    name: "disallow-secrets-in-env",
    description:
        "No container carries a credential as a literal environment value (a credential-like name, a private key, a URL with a password), and the configured connection variables come only from Secrets.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Move the value into a Secret (created by External Secrets in prod) and reference it with env[].valueFrom.secretKeyRef.",
    checklist: ["6.1.1", "1.3.4", "3.1.3"],
    peers: { polaris: ["sensitiveContainerEnvVar"], "kube-linter": ["env-var-secret"] },
    settings: {
        secretOnlyNames: {
            type: "array",
            items: { type: "string" },
            description: "Variables that must come from a Secret whatever their value.",
            default: ["DATABASE_URL", "REDIS_URL"],
        },
    },
    kinds: "workloads",
    check: (obj, cfg) =>
        forEachContainer(obj, (c) =>
            records(c.container.env).flatMap((e) => {
                const name = str(e.name) ?? "";
                if (cfg.secretOnlyNames.includes(name) && !record(e.valueFrom).secretKeyRef) {
                    return [`sets ${name} without a secretKeyRef; it carries credentials and must come from a Secret`];
                }
                const why = sensitiveReason(name, e.value);
                return why ? [`env ${name} ${why} in plain text; use valueFrom.secretKeyRef`] : [];
            }),
        ),
});
