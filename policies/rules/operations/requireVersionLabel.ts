import { containersOf, describe, labelsOf, podTemplate, str, stringMap } from "../../lib/k8s";
import { parseImage } from "../../lib/images";
import { defineRule } from "../../lib/rule";

export const VERSION_LABEL = "app.kubernetes.io/version";

/** An image tag as a label value: what fits the label grammar, at most 63 characters. */
const asLabel = (tag: string) =>
    tag
        .replace(/[^A-Za-z0-9._-]/g, "-")
        .slice(0, 63)
        .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");

/**
 * Checklist 4.1.3: every workload says which release it runs. The label sits on the workload and its pods
 * (so `kubectl get pods -L app.kubernetes.io/version` shows a rollout's progress) and names the tag of one
 * of the images the pods run, so it cannot drift from what is deployed.
 */
export const requireVersionLabel = defineRule<{ matchImageTag: boolean }>({
    scope: "resource",
    name: "require-version-label",
    description: "Workloads and their pod templates carry app.kubernetes.io/version, equal on both and equal to the tag of an image the pods run.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Label the workload and its pod template with app.kubernetes.io/version set from the image tag the release deploys.",
    checklist: ["4.1.3"],
    kinds: "workloads",
    settings: {
        matchImageTag: { type: "boolean", description: "Require the label to equal the tag of one of the pod's images.", default: true },
    },
    check: (obj, cfg) => {
        const pod = podTemplate(obj);
        if (!pod) return [];
        const own: string | undefined = labelsOf(obj)[VERSION_LABEL];
        // A Pod's template is the Pod itself.
        const tmpl: string | undefined = stringMap(pod.metadata.labels)[VERSION_LABEL];
        const out: string[] = [];
        if (!own) out.push(`${describe(obj)}: lacks the ${VERSION_LABEL} label; set it to the image tag the release deploys`);
        if (!tmpl && obj.kind !== "Pod") out.push(`${describe(obj)}: its pod template lacks the ${VERSION_LABEL} label`);
        if (own && tmpl && own !== tmpl)
            out.push(`${describe(obj)}: labels version ${JSON.stringify(own)} but its pod template ${JSON.stringify(tmpl)}`);
        const version = own ?? tmpl;
        if (version && cfg.matchImageTag) {
            const tags = containersOf(pod.spec)
                .map((c) => parseImage(str(c.container.image) ?? "").tag)
                .filter((t): t is string => !!t);
            if (!tags.some((t) => asLabel(t) === version)) {
                out.push(
                    `${describe(obj)}: labels version ${JSON.stringify(version)} but runs images tagged ${tags.join(", ") || "(none)"}; label the release it runs`,
                );
            }
        }
        return out;
    },
});
