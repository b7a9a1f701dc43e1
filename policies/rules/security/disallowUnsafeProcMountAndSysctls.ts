import { forEachContainer, forEachPod, type K8sObject, list, record, show } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** Sysctls the Pod Security baseline profile calls safe (namespaced, cannot affect the node). */
const SAFE_SYSCTLS = new Set([
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
]);

/** P.14 (reported with 1.1.3): /proc stays masked and only safe sysctls are set. */
export const disallowUnsafeProcMountAndSysctls = defineRule({
    scope: "resource",
    name: "disallow-unsafe-proc-mount-and-sysctls",
    description: "Containers keep the default masked /proc (procMount Default) and pods set only safe sysctls.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove securityContext.procMount (or set Default) and drop sysctls outside the Pod Security safe set.",
    checklist: ["1.1.3", "P.14"],
    peers: { polaris: ["procMount"], "kube-linter": ["unsafe-proc-mount", "unsafe-sysctls"], kyverno: ["disallow-proc-mount", "restrict-sysctls"] },
    kinds: "workloads",
    check: (obj: K8sObject) => [
        ...forEachContainer(obj, (c) => {
            const pm = record(c.container.securityContext).procMount;
            return pm === undefined || pm === "Default" ? undefined : `sets procMount ${show(pm)}; remove it or use "Default"`;
        }),
        ...forEachPod(obj, (pod) =>
            list(record(pod.spec.securityContext).sysctls)
                .map((s) => record(s).name)
                .filter((name) => typeof name !== "string" || !SAFE_SYSCTLS.has(name))
                .map((name) => `sets unsafe sysctl ${show(name)}; remove it`),
        ),
    ],
});
