import { forEachPod } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** P.14 (reported with 1.1.3): pods share no namespace with the node. */
export const disallowHostNamespaces = defineRule({
    scope: "resource",
    name: "disallow-host-namespaces",
    description: "No pod shares the node's network, PID or IPC namespace.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove hostNetwork, hostPID and hostIPC from the pod spec (or set them to false).",
    checklist: ["1.1.3", "P.14"],
    peers: {
        polaris: ["hostIPCSet", "hostPIDSet", "hostNetworkSet"],
        "kube-linter": ["host-ipc", "host-pid", "host-network"],
        kyverno: ["disallow-host-namespaces"],
    },
    kinds: "workloads",
    check: (obj) =>
        forEachPod(obj, (pod) =>
            (["hostNetwork", "hostPID", "hostIPC"] as const)
                .filter((f) => pod.spec[f] === true)
                .map((f) => `sets ${f}: true; the pod must not share the node's ${f.slice(4)} namespace`),
        ),
});
