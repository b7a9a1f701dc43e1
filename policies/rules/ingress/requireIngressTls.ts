import { annotationsOf, describe, record, records, strings } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** Checklist 1.2.6: every host an Ingress serves has a certificate, and plain HTTP is redirected to HTTPS. */
export const requireIngressTls = defineRule({
    scope: "resource",
    name: "require-ingress-tls",
    description:
        "Every Ingress terminates TLS for each host it serves (a tls entry with a secretName) and does not turn off the HTTP→HTTPS redirect.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        'Add spec.tls with the hosts and a secretName issued by cert-manager (annotation cert-manager.io/cluster-issuer), and keep nginx.ingress.kubernetes.io/ssl-redirect at its default or "true".',
    checklist: ["1.2.6"],
    peers: { polaris: ["tlsSettingsMissing"], kyverno: ["require-ingress-https"] },
    kinds: ["Ingress"],
    check: (obj) => {
        if (obj.kind !== "Ingress") return [];
        const out: string[] = [];
        const tls = records(record(obj.spec).tls);
        const rules = records(record(obj.spec).rules);
        if (tls.length === 0) out.push(`${describe(obj)}: serves plain HTTP only; add spec.tls with a certificate Secret`);
        else {
            const covered = new Set(tls.flatMap((t) => strings(t.hosts)));
            for (const h of rules.map((r) => r.host).filter((h): h is string => typeof h === "string" && h !== "")) {
                if (!covered.has(h) && !covered.has(`*.${h.split(".").slice(1).join(".")}`))
                    out.push(`${describe(obj)}: host ${h} has no tls entry; add it to spec.tls[].hosts`);
            }
            for (const t of tls) if (!t.secretName) out.push(`${describe(obj)}: a tls entry has no secretName; name the certificate Secret`);
        }
        const a = annotationsOf(obj);
        if (a["nginx.ingress.kubernetes.io/ssl-redirect"] === "false" || a["nginx.ingress.kubernetes.io/force-ssl-redirect"] === "false") {
            out.push(`${describe(obj)}: turns off the HTTP→HTTPS redirect; remove nginx.ingress.kubernetes.io/ssl-redirect: "false"`);
        }
        return out;
    },
});
