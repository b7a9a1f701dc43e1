import { forEachContainer } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** P.14 (reported with 1.1.3): a hostPort binds the node's address and bypasses NetworkPolicy on many CNIs. */
export const disallowHostPorts = defineRule({
    scope: "resource",
    name: "disallow-host-ports",
    description: "No container binds a port on the node (hostPort).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove ports[].hostPort and expose the container through a Service (and an Ingress for public traffic).",
    checklist: ["1.1.3", "P.14"],
    peers: { polaris: ["hostPortSet"], kyverno: ["disallow-host-ports"] },
    check: (obj) =>
        forEachContainer(obj, (c) =>
            (Array.isArray(c.container.ports) ? c.container.ports : [])
                .filter((p: { hostPort?: number }) => p && typeof p.hostPort === "number" && p.hostPort !== 0)
                .map(
                    (p: { hostPort: number; containerPort?: number }) =>
                        `binds host port ${p.hostPort} (container port ${p.containerPort}); remove hostPort and use a Service`,
                ),
        ),
});
