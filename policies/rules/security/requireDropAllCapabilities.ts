import { isWindowsPod, patchContainers, runsAsNonRoot } from "../../lib/fixes";
import { forEachContainer, list, record, strings, text } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** Checklist 1.1.3: drop ALL and add none back (NET_BIND_SERVICE only where the config allows it). */
export const requireDropAllCapabilities = defineRule<{ allowedCapabilities: string[] }>({
    scope: "resource",
    name: "require-drop-all-capabilities",
    description: "Every container drops ALL Linux capabilities and adds none back beyond an explicit allow-list.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        'Set securityContext.capabilities: {drop: ["ALL"]} and remove capabilities.add; listen on ports above 1024 instead of adding NET_BIND_SERVICE.',
    checklist: ["1.1.3"],
    peers: {
        polaris: ["dangerousCapabilities", "insecureCapabilities"],
        "kube-linter": ["drop-net-raw-capability"],
        kyverno: ["require-drop-all", "require-drop-cap-net-raw", "disallow-capabilities-strict", "disallow-capabilities"],
    },
    settings: {
        allowedCapabilities: {
            type: "array",
            items: { type: "string" },
            description: "Capabilities a container may add back (the Pod Security restricted profile allows only NET_BIND_SERVICE).",
            default: [],
        },
    },
    kinds: "workloads",
    check: (obj, cfg) =>
        forEachContainer(obj, (c) => {
            const caps = record(record(c.container.securityContext).capabilities);
            const drop = strings(caps.drop);
            const add = list(caps.add).map(text);
            const out: string[] = [];
            if (!drop.some((d) => d.toUpperCase() === "ALL"))
                out.push('does not drop all capabilities: set securityContext.capabilities.drop: ["ALL"]');
            const extra = add.filter((a) => !cfg.allowedCapabilities.includes(a.toUpperCase().replace(/^CAP_/, "")));
            if (extra.length > 0) out.push(`adds capabilities ${extra.join(", ")}: remove them from securityContext.capabilities.add`);
            return out;
        }),
    fix: {
        description:
            'Adds "ALL" to securityContext.capabilities.drop on each container that runs as a non-root user and does not drop ALL yet; capabilities it adds back stay for a person to judge, and containers that may run as root (which may rely on the default set) and Windows pods are left alone.',
        patches: (obj) =>
            patchContainers(obj, (c, pod, _, say) => {
                const caps = c.container.securityContext?.capabilities;
                const drop: unknown[] = Array.isArray(caps?.drop) ? caps.drop : [];
                if (isWindowsPod(pod) || !runsAsNonRoot(c, pod) || drop.some((d) => String(d).toUpperCase() === "ALL")) return undefined;
                return say("securityContext.capabilities.drop", [...drop, "ALL"]);
            }),
    },
});
