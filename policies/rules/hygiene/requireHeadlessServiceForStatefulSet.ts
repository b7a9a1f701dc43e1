import { describe, namespaceOf, nameOf, podTemplate, selectorMatches } from "../../lib/k8s";
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
        for (const sts of objects.filter((o) => o.kind === "StatefulSet")) {
            const name = sts.spec?.serviceName;
            const svc = objects.find((o) => o.kind === "Service" && nameOf(o) === name && namespaceOf(o) === namespaceOf(sts));
            if (!name) out.push({ object: sts, message: `${describe(sts)}: sets no serviceName; name its headless Service` });
            else if (!svc) out.push({ object: sts, message: `${describe(sts)}: serviceName ${name} names no Service in ${namespaceOf(sts)}` });
            else if (svc.spec?.clusterIP !== "None")
                out.push({ object: sts, message: `${describe(sts)}: Service ${name} is not headless; set clusterIP: None` });
            else if (!selectorMatches({ matchLabels: svc.spec?.selector ?? {} }, podTemplate(sts)?.metadata.labels)) {
                out.push({ object: sts, message: `${describe(sts)}: Service ${name} does not select its pods` });
            }
        }
        return out;
    },
});
