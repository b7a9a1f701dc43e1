import { forEachContainer } from "../../lib/k8s";
import { sized } from "../../lib/resources";
import { defineRule } from "../../lib/rule";

const RESOURCES = ["cpu", "memory", "ephemeral-storage"];

const given = (v: unknown) => v !== undefined && v !== null && v !== "";

/**
 * Checklist 2.2.1, 2.2.2: a request and a limit are two decisions. With only a limit, Kubernetes copies it
 * as the request and the scheduler reserves the whole limit; with only a request, the container may take
 * whatever the node has spare. Either way the size someone wrote is not the size that was meant.
 */
export const requirePairedRequestsAndLimits = defineRule<{ resources: string[] }>({
    scope: "resource",
    name: "require-paired-requests-and-limits",
    description:
        "Every container that sets a request or a limit for a resource sets both, so neither is implied: a limit alone becomes the request, a request alone leaves usage unbounded.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Set resources.requests and resources.limits together for each resource (the checklist's limits are 2× the requests).",
    checklist: ["2.2.1", "2.2.2"],
    settings: {
        resources: {
            type: "array",
            items: { type: "string", enum: RESOURCES },
            description: "Resources judged (drop cpu where CPU limits are deliberately left off).",
            default: ["cpu", "memory"],
        },
    },
    check: (obj, cfg) =>
        forEachContainer(obj, (c) => {
            if (!sized(c)) return undefined;
            const r = c.container.resources ?? {};
            const out: string[] = [];
            for (const res of cfg.resources) {
                const request = r.requests?.[res];
                const limit = r.limits?.[res];
                if (given(limit) && !given(request))
                    out.push(
                        `sets a ${res} limit (${limit}) but no ${res} request, so Kubernetes requests the whole limit; set resources.requests.${res}`,
                    );
                if (given(request) && !given(limit))
                    out.push(`requests ${res} (${request}) but sets no ${res} limit, so its use is unbounded; set resources.limits.${res}`);
            }
            return out;
        }),
});
