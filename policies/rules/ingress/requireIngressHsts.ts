import { annotationsOf, describe, type K8sObject, list, namespaceOf, record } from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

const HSTS = /strict-transport-security["']?\s*[:=]?\s*["']?[^"'\n]*max-age=(\d+)/i;

/** The HSTS max-age an Ingress sends, from a custom-headers ConfigMap of the resource set or a configuration snippet. */
export function hstsMaxAge(ingress: K8sObject, objects: readonly K8sObject[]): number | undefined {
    const a = annotationsOf(ingress);
    const ref = a["nginx.ingress.kubernetes.io/custom-headers"];
    if (ref) {
        const [ns, name] = ref.includes("/") ? ref.split("/") : [namespaceOf(ingress), ref];
        const cm = resourceSet(objects).find("ConfigMap", ns, name);
        const v = Object.entries(record(cm?.data)).find(([k]) => k.toLowerCase() === "strict-transport-security")?.[1];
        const m = /max-age=(\d+)/.exec(typeof v === "string" ? v : "");
        if (m) return Number(m[1]);
    }
    const m = HSTS.exec(a["nginx.ingress.kubernetes.io/configuration-snippet"] ?? "");
    return m ? Number(m[1]) : undefined;
}

/** Checklist 6.2.1: browsers remember to use HTTPS for a year. */
export const requireIngressHsts = defineRule<{ minMaxAge: number }>({
    scope: "stack",
    name: "require-ingress-hsts",
    description: "Every Ingress that terminates TLS sends Strict-Transport-Security with a max-age of at least a year (31536000 s).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Point nginx.ingress.kubernetes.io/custom-headers at a ConfigMap with Strict-Transport-Security: max-age=31536000; includeSubDomains (and allow that header in the controller's global-allowed-response-headers).",
    checklist: ["6.2.1"],
    settings: { minMaxAge: { type: "integer", minimum: 0, description: "Shortest max-age accepted, in seconds.", default: 31536000 } },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        for (const ing of resourceSet(objects)
            .ofKind("Ingress")
            .filter((o) => list(record(o.spec).tls).length > 0)) {
            const age = hstsMaxAge(ing, objects);
            if (age === undefined)
                out.push({
                    object: ing,
                    message: `${describe(ing)}: sends no Strict-Transport-Security header; add one with max-age=${cfg.minMaxAge}`,
                });
            else if (age < cfg.minMaxAge)
                out.push({ object: ing, message: `${describe(ing)}: HSTS max-age=${age} is under ${cfg.minMaxAge}; raise it` });
        }
        return out;
    },
});
