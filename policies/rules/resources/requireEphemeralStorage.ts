import { forEachContainer } from "../../lib/k8s";
import { effectiveRequest, limitOf, sized } from "../../lib/resources";
import { defineRule } from "../../lib/rule";

const RES = "ephemeral-storage";

/**
 * P.13: logs, emptyDir volumes and a writable layer fill the node's disk; the kubelet then evicts pods by
 * how far they exceed their ephemeral-storage request, and a limit evicts the one container that runs away
 * before the node comes under disk pressure.
 */
export const requireEphemeralStorage = defineRule({
    scope: "resource",
    name: "require-ephemeral-storage",
    description: "Every container requests and limits ephemeral-storage (logs, emptyDir, writable layer), with the limit at or above the request.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps:
        "Set resources.requests.ephemeral-storage to what the container writes in normal use and resources.limits.ephemeral-storage to the most it may write (with a sizeLimit on its emptyDir volumes).",
    checklist: ["P.13"],
    peers: { "kube-score": ["container-ephemeral-storage-request-and-limit"], kyverno: ["require-emptydir-requests-limits"] },
    check: (obj) =>
        forEachContainer(obj, (c) => {
            if (!sized(c)) return undefined;
            const request = effectiveRequest(c, RES);
            const limit = limitOf(c, RES);
            const out: string[] = [];
            if (!(request! > 0)) out.push(`requests no ${RES}: set resources.requests.${RES}`);
            if (!(limit! > 0)) out.push(`has no ${RES} limit: set resources.limits.${RES}`);
            else if (request !== undefined && limit! < request)
                out.push(`has an ${RES} limit below its request: raise resources.limits.${RES} to at least the request`);
            return out;
        }),
});
