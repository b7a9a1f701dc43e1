import { describe, isRecord, type K8sObject, namespaceOf, record, records, show, text } from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

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
        const set = resourceSet(objects);
        for (const ing of set.ofKind("Ingress")) {
            const spec = record(ing.spec);
            const backends: { where: string; b: Record<string, unknown> }[] = [];
            if (isRecord(spec.defaultBackend)) backends.push({ where: "default backend", b: spec.defaultBackend });
            for (const r of records(spec.rules)) {
                for (const p of records(record(r.http).paths)) {
                    backends.push({ where: `path ${text(r.host ?? "*")}${text(p.path ?? "/")}`, b: record(p.backend) });
                }
            }
            for (const { where, b } of backends) {
                const name = record(b.service).name;
                if (typeof name !== "string" || !name) continue;
                const svc: K8sObject | undefined = set.find("Service", namespaceOf(ing), name);
                if (!svc) {
                    const elsewhere = set.findAnywhere("Service", name);
                    const hint = elsewhere ? ` (a Service ${name} exists in ${namespaceOf(elsewhere)}, which an Ingress cannot route to)` : "";
                    out.push({
                        object: ing,
                        message: `${describe(ing)}: ${where} routes to Service ${name}, which does not exist in ${namespaceOf(ing)}${hint}`,
                    });
                    continue;
                }
                const port = record(record(b.service).port);
                const ports = records(record(svc.spec).ports);
                const ok = port.number !== undefined ? ports.some((p) => p.port === port.number) : ports.some((p) => p.name === port.name);
                if (!ok)
                    out.push({
                        object: ing,
                        message: `${describe(ing)}: ${where} uses port ${show(port.number ?? port.name)}, which Service ${name} does not expose`,
                    });
            }
        }
        return out;
    },
});
