import { describe, record } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";
import { sensitiveReason } from "../../lib/sensitive";

/** Checklist 6.1.1: ConfigMaps are readable by anyone who can read the namespace's config; credentials belong in Secrets. */
export const disallowSecretsInConfigMaps = defineRule({
    scope: "resource",
    name: "disallow-secrets-in-config-maps",
    description: "No ConfigMap holds a credential: a credential-like key with a value, a private key, or a URL with a password.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Move the entry into a Secret (External Secrets in prod) and mount or reference that instead.",
    checklist: ["6.1.1"],
    peers: { polaris: ["sensitiveConfigmapContent"] },
    kinds: ["ConfigMap"],
    check: (obj) => {
        if (obj.kind !== "ConfigMap") return [];
        return Object.entries(record(obj.data)).flatMap(([k, v]) => {
            const why = sensitiveReason(k, v);
            return why ? [`${describe(obj)}: key ${k} ${why}; move it to a Secret`] : [];
        });
    },
});
