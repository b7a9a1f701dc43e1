import { containersOf, forEachPod } from "../../lib/k8s";
import { effectiveRequest, limitOf, sized } from "../../lib/resources";
import { defineRule } from "../../lib/rule";

/** Checklist 2.2.3: a pod none of whose containers sets a request or limit is BestEffort, evicted first. */
export const disallowBestEffortQos = defineRule({
    scope: "resource",
    name: "disallow-best-effort-qos",
    description: "No pod runs in the BestEffort QoS class; every pod is Guaranteed or Burstable.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Give the containers CPU and memory requests (and limits); a LimitRange with defaults covers pods that forget.",
    checklist: ["2.2.3"],
    kinds: "workloads",
    check: (obj) =>
        forEachPod(obj, (pod) => {
            const any = containersOf(pod.spec)
                .filter(sized)
                .some((c) => ["cpu", "memory"].some((r) => effectiveRequest(c, r) !== undefined || limitOf(c, r) !== undefined));
            return any ? [] : ["runs in the BestEffort QoS class (no container sets requests or limits); set requests and limits"];
        }),
});
