import { nameOf, namespaceOf, podTemplate, selectorMatches, type K8sObject } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";

/** Whether a ServiceMonitor (through a Service) or a PodMonitor scrapes a workload's pods. */
function scraped(w: K8sObject, objects: readonly K8sObject[]): boolean {
    const labels = podTemplate(w)?.metadata.labels;
    const ns = namespaceOf(w);
    const watches = (mon: K8sObject) => {
        const sel = mon.spec?.namespaceSelector ?? {};
        return sel.any === true || (Array.isArray(sel.matchNames) ? sel.matchNames.includes(ns) : namespaceOf(mon) === ns);
    };
    const services = objects.filter(
        (s) => s.kind === "Service" && namespaceOf(s) === ns && s.spec?.selector && selectorMatches({ matchLabels: s.spec.selector }, labels),
    );
    return objects.some(
        (m) =>
            (m.kind === "ServiceMonitor" && watches(m) && services.some((s) => selectorMatches(m.spec?.selector, s.metadata?.labels))) ||
            (m.kind === "PodMonitor" && watches(m) && selectorMatches(m.spec?.selector, labels)),
    );
}

/** Checklist 3.2.2: the workloads that expose metrics are scraped. */
export const requireMetricsScraping = defineRule<{ workloads: string[] }>({
    scope: "stack",
    name: "require-metrics-scraping",
    description:
        "Each configured workload is scraped by Prometheus: a ServiceMonitor selects a Service of its pods, or a PodMonitor selects its pods.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Add a monitoring.coreos.com/v1 ServiceMonitor selecting the workload's Service, on the port that serves /metrics.",
    checklist: ["3.2.2"],
    settings: {
        workloads: { type: "array", items: { type: "string" }, description: 'Workloads to scrape, as "namespace/name".', default: [] },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        for (const ref of cfg.workloads) {
            const w = objects.find((o) => podTemplate(o) && `${namespaceOf(o)}/${nameOf(o)}` === ref);
            if (!w)
                out.push({
                    object: { apiVersion: "v1", kind: "Namespace", metadata: { name: ref.split("/")[0] } },
                    message: `${ref} is to be scraped but is not in the resource set`,
                });
            else if (!scraped(w, objects)) out.push({ object: w, message: `${ref} is not scraped: no ServiceMonitor or PodMonitor selects it` });
        }
        return out;
    },
});
