import { forEachContainer, records, text } from "../../lib/k8s";
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
    kinds: "workloads",
    check: (obj) =>
        forEachContainer(obj, (c) =>
            records(c.container.ports)
                .filter((p) => typeof p.hostPort === "number" && p.hostPort !== 0)
                .map((p) => `binds host port ${p.hostPort} (container port ${text(p.containerPort)}); remove hostPort and use a Service`),
        ),
});
