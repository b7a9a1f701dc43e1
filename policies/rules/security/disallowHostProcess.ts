import { forEachContainer, record } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** P.14 (reported with 1.1.3): Windows HostProcess containers run as the node. */
export const disallowHostProcess = defineRule({
    scope: "resource",
    name: "disallow-host-process",
    description: "No container runs as a Windows HostProcess container.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove securityContext.windowsOptions.hostProcess (pod and container) or set it to false.",
    checklist: ["1.1.3", "P.14"],
    peers: { polaris: ["hostProcess"], kyverno: ["disallow-host-process"] },
    kinds: "workloads",
    check: (obj) =>
        forEachContainer(obj, (c, pod) =>
            (record(record(c.container.securityContext).windowsOptions).hostProcess ??
                record(record(pod.spec.securityContext).windowsOptions).hostProcess) === true
                ? "runs as a Windows HostProcess container; remove windowsOptions.hostProcess"
                : undefined,
        ),
});
