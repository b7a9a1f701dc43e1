import { isRecord, type K8sObject, labelsOf, namespaceOf, podTemplate, record, selectorMatches } from "../../lib/k8s";
import { workloadFor } from "../../lib/matrix";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

/** Whether a ServiceMonitor (through a Service) or a PodMonitor scrapes a workload's pods. */
function scraped(w: K8sObject, objects: readonly K8sObject[]): boolean {
    const labels = podTemplate(w)?.metadata.labels;
    const ns = namespaceOf(w);
    const set = resourceSet(objects);
    const watches = (mon: K8sObject) => {
        const sel = record(record(mon.spec).namespaceSelector);
        return sel.any === true || (Array.isArray(sel.matchNames) ? sel.matchNames.includes(ns) : namespaceOf(mon) === ns);
    };
    const services = set.inNamespace("Service", ns).filter((s) => {
        const selector = record(s.spec).selector;
        return isRecord(selector) && selectorMatches({ matchLabels: selector }, labels);
    });
    return (
        set.ofKind("ServiceMonitor").some((m) => watches(m) && services.some((s) => selectorMatches(record(m.spec).selector, labelsOf(s)))) ||
        set.ofKind("PodMonitor").some((m) => watches(m) && selectorMatches(record(m.spec).selector, labels))
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
        workloads: {
            type: "array",
            items: { type: "string", pattern: "^[^/\\s]+/[^/\\s]+$" },
            description: 'Workloads to scrape, as "namespace/name".',
            default: [],
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        for (const ref of cfg.workloads) {
            const w = workloadFor(objects, ref);
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
