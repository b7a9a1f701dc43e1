import { forEachPod, text } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

const WHEN = ["DoNotSchedule", "ScheduleAnyway"];
const NODE_POLICIES = ["Honor", "Ignore"];

/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Checklist 2.3.2: a topology spread constraint spreads pods only when the scheduler can use it. The API
 * server refuses most invalid ones at apply time (maxSkew below 1, an unknown whenUnsatisfiable, no
 * topologyKey, minDomains below 1 or with ScheduleAnyway, a repeated key and mode); a constraint with no
 * labelSelector is accepted but counts no pods, so it spreads nothing. Caught here, before the deploy.
 */
export const requireValidTopologySpread = defineRule({
    scope: "resource",
    name: "require-valid-topology-spread",
    description:
        "Every topology spread constraint is one the scheduler can apply: maxSkew at least 1, whenUnsatisfiable DoNotSchedule or ScheduleAnyway, a topologyKey, a labelSelector, minDomains at least 1 and only with DoNotSchedule, and no key and mode twice.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Write each constraint as {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule or ScheduleAnyway, labelSelector: {matchLabels: <the pod's own labels>}}; set minDomains only with DoNotSchedule.",
    checklist: ["2.3.2"],
    peers: { "kube-score": ["pod-topology-spread-constraints"] },
    check: (obj) =>
        forEachPod(obj, (pod) => {
            const list = pod.spec.topologySpreadConstraints;
            if (!Array.isArray(list)) return [];
            const out: string[] = [];
            const seen = new Set<string>();
            list.forEach((c: any, i: number) => {
                const at = `topologySpreadConstraints[${i}]`;
                if (!c || typeof c !== "object") return void out.push(`${at} is not a constraint`);
                const skew = c.maxSkew;
                if (!Number.isInteger(skew) || skew < 1)
                    out.push(`${at} has maxSkew ${JSON.stringify(skew ?? null)}; it must be an integer of at least 1`);
                if (!WHEN.includes(c.whenUnsatisfiable))
                    out.push(`${at} has whenUnsatisfiable ${JSON.stringify(c.whenUnsatisfiable ?? null)}; use DoNotSchedule or ScheduleAnyway`);
                if (typeof c.topologyKey !== "string" || c.topologyKey === "")
                    out.push(`${at} has no topologyKey; spread over topology.kubernetes.io/zone or kubernetes.io/hostname`);
                if (!c.labelSelector || typeof c.labelSelector !== "object")
                    out.push(`${at} has no labelSelector, so it counts no pods and spreads nothing; select the pod's own labels`);
                if (c.minDomains !== undefined && c.minDomains !== null) {
                    if (!Number.isInteger(c.minDomains) || c.minDomains < 1)
                        out.push(`${at} has minDomains ${JSON.stringify(c.minDomains)}; it must be an integer of at least 1`);
                    else if (c.whenUnsatisfiable !== "DoNotSchedule")
                        out.push(
                            `${at} sets minDomains with whenUnsatisfiable ${c.whenUnsatisfiable == null ? "unset" : text(c.whenUnsatisfiable)}; minDomains applies only to DoNotSchedule`,
                        );
                }
                for (const field of ["nodeAffinityPolicy", "nodeTaintsPolicy"])
                    if (c[field] !== undefined && !NODE_POLICIES.includes(c[field]))
                        out.push(`${at} has ${field} ${JSON.stringify(c[field])}; use Honor or Ignore`);
                const key = `${text(c.topologyKey)}\n${text(c.whenUnsatisfiable)}`;
                if (typeof c.topologyKey === "string" && seen.has(key))
                    out.push(
                        `${at} repeats topologyKey ${c.topologyKey} with whenUnsatisfiable ${text(c.whenUnsatisfiable)}; merge the two constraints`,
                    );
                seen.add(key);
            });
            return out;
        }),
});
