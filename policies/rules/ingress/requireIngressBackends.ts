import { describe, namespaceOf, nameOf, type K8sObject } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";

interface Backend {
    service?: { name?: string; port?: { number?: number; name?: string } };
}

/** P.2: Kubernetes routes an Ingress only to Services in its own namespace; the original chart pointed /api across namespaces. */
export const requireIngressBackends = defineRule({
    scope: "stack",
    name: "require-ingress-backends",
    description: "Every backend of every Ingress names a Service that exists in the Ingress's own namespace, on a port that Service exposes.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Create the Service in the Ingress's namespace (an ExternalName or a second Ingress in the backend's namespace reaches another namespace), and use one of its ports.",
    checklist: ["P.2"],
    peers: { "kube-score": ["ingress-targets-service"], "kube-linter": ["dangling-ingress"] },
    check: (objects) => {
        const out: Finding[] = [];
        for (const ing of objects.filter((o) => o.kind === "Ingress")) {
            const backends: { where: string; b: Backend }[] = [];
            if (ing.spec?.defaultBackend) backends.push({ where: "default backend", b: ing.spec.defaultBackend });
            for (const r of Array.isArray(ing.spec?.rules) ? ing.spec.rules : []) {
                for (const p of r?.http?.paths ?? []) backends.push({ where: `path ${r.host ?? "*"}${p.path ?? "/"}`, b: p.backend ?? {} });
            }
            for (const { where, b } of backends) {
                const name = b.service?.name;
                if (!name) continue;
                const svc: K8sObject | undefined = objects.find(
                    (o) => o.kind === "Service" && nameOf(o) === name && namespaceOf(o) === namespaceOf(ing),
                );
                if (!svc) {
                    const elsewhere = objects.find((o) => o.kind === "Service" && nameOf(o) === name);
                    const hint = elsewhere ? ` (a Service ${name} exists in ${namespaceOf(elsewhere)}, which an Ingress cannot route to)` : "";
                    out.push({
                        object: ing,
                        message: `${describe(ing)}: ${where} routes to Service ${name}, which does not exist in ${namespaceOf(ing)}${hint}`,
                    });
                    continue;
                }
                const port = b.service?.port ?? {};
                const ports: { port?: number; name?: string }[] = svc.spec?.ports ?? [];
                const ok = port.number !== undefined ? ports.some((p) => p.port === port.number) : ports.some((p) => p.name === port.name);
                if (!ok)
                    out.push({
                        object: ing,
                        message: `${describe(ing)}: ${where} uses port ${JSON.stringify(port.number ?? port.name)}, which Service ${name} does not expose`,
                    });
            }
        }
        return out;
    },
});
