import { describe, namespaceOf, podTemplate, record, selectorMatches, text } from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

/** P.6: a StatefulSet's pods get stable DNS names only through the headless Service its serviceName names. */
export const requireHeadlessServiceForStatefulSet = defineRule({
    scope: "stack",
    name: "require-headless-service-for-statefulset",
    description: "Every StatefulSet names, in serviceName, a headless Service (clusterIP None) of its namespace that selects its pods.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Create a Service with clusterIP: None selecting the StatefulSet's pod labels, and set spec.serviceName to its name.",
    checklist: ["P.6"],
    peers: { "kube-score": ["statefulset-has-servicename"] },
    check: (objects) => {
        const out: Finding[] = [];
        const set = resourceSet(objects);
        for (const sts of set.ofKind("StatefulSet")) {
            const name = record(sts.spec).serviceName;
            const svc = typeof name === "string" ? set.find("Service", namespaceOf(sts), name) : undefined;
            if (!name) out.push({ object: sts, message: `${describe(sts)}: sets no serviceName; name its headless Service` });
            else if (!svc) out.push({ object: sts, message: `${describe(sts)}: serviceName ${text(name)} names no Service in ${namespaceOf(sts)}` });
            else if (record(svc.spec).clusterIP !== "None")
                out.push({ object: sts, message: `${describe(sts)}: Service ${name} is not headless; set clusterIP: None` });
            else if (!selectorMatches({ matchLabels: record(svc.spec).selector ?? {} }, podTemplate(sts)?.metadata.labels)) {
                out.push({ object: sts, message: `${describe(sts)}: Service ${name} does not select its pods` });
            }
        }
        return out;
    },
});
