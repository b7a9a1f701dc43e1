import { forEachContainer, record, show } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** The annotation Kubernetes read before the securityContext field (1.30), still honoured. */
const ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

/**
 * Checklist 1.1.3 and P.14 (Pod Security baseline): the runtime's default AppArmor profile confines
 * every container unless the manifest turns it off. The container's own profile wins over the pod's;
 * the older per-container annotation counts too.
 */
export const disallowUnconfinedAppArmor = defineRule({
    scope: "resource",
    name: "disallow-unconfined-apparmor",
    description:
        "No container runs without AppArmor confinement: no appArmorProfile of type Unconfined, and no AppArmor annotation set to unconfined.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Remove the Unconfined appArmorProfile (or the container.apparmor.security.beta.kubernetes.io/<container> annotation), or set type: RuntimeDefault.",
    checklist: ["1.1.3", "P.14"],
    kinds: "workloads",
    check: (obj) =>
        forEachContainer(obj, (c, pod) => {
            const own = record(record(c.container.securityContext).appArmorProfile).type;
            const type = own ?? record(record(pod.spec.securityContext).appArmorProfile).type;
            if (type === "Unconfined") {
                return `runs without AppArmor (appArmorProfile.type: Unconfined${own === undefined ? " on the pod" : ""}); use RuntimeDefault`;
            }
            const name = c.container.name;
            const annotation = typeof name === "string" ? pod.metadata.annotations[ANNOTATION + name] : undefined;
            if (type === undefined && annotation === "unconfined") {
                return `runs without AppArmor (annotation ${ANNOTATION}${name}: ${show(annotation)}); use runtime/default`;
            }
            return undefined;
        }),
});
