import { forEachPod, isRecord, records, show } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** P.14 (reported with 1.1.3): hostPath volumes expose the node's filesystem. */
export const disallowHostPath = defineRule({
    scope: "resource",
    name: "disallow-host-path",
    description: "No pod mounts a hostPath volume.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Replace hostPath volumes with emptyDir, a ConfigMap/Secret projection or a PersistentVolumeClaim.",
    checklist: ["1.1.3", "P.14"],
    peers: {
        polaris: ["hostPathSet"],
        "kube-linter": ["sensitive-host-mounts", "docker-sock", "writable-host-mount"],
        kyverno: ["disallow-host-path", "disallow-cri-sock-mount"],
    },
    kinds: "workloads",
    check: (obj) =>
        forEachPod(obj, (pod) =>
            records(pod.spec.volumes)
                .filter((v) => isRecord(v.hostPath))
                .map((v) => `volume ${show(v.name)} mounts host path ${show(v.hostPath.path ?? "")}; use emptyDir or a PVC`),
        ),
});
