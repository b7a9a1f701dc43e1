import { containersOf, describe, isRecord, isSidecar, nameOf, namespaceOf, own, podTemplate, str } from "../../lib/k8s";
import { parseQuantity } from "../../lib/quantity";
import { effectiveRequest } from "../../lib/resources";
import { defineRule } from "../../lib/rule";

export interface MinimumRequests {
    cpu?: string;
    memory?: string;
}

const QUANTITY = "^([0-9]+(\\.[0-9]+)?|\\.[0-9]+)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$";

/** CPU in whole millicores and memory in whole bytes, so sums compare exactly. */
const units = (res: "cpu" | "memory", q: number | undefined) => (q === undefined ? undefined : Math.round(res === "cpu" ? q * 1000 : q));

/** An amount as a reader writes it: whole cores or millicores; whole Gi, Mi or Ki, else bytes. */
function text(res: "cpu" | "memory", value: number): string {
    if (res === "cpu") return value % 1000 === 0 ? `${value / 1000}` : `${value}m`;
    for (const [unit, size] of [
        ["Gi", 2 ** 30],
        ["Mi", 2 ** 20],
        ["Ki", 2 ** 10],
    ] as const) {
        if (value > 0 && value % size === 0) return `${value / size}${unit}`;
    }
    return `${value} bytes`;
}

/**
 * Checklist 2.2.1: each workload requests at least what the checklist sizes it at (API 256Mi/200m …),
 * so the scheduler reserves what it needs and the HPA's utilisation is measured against a real request.
 * The pod's running containers (sidecars included) count together.
 */
export const enforceMinimumRequests = defineRule<{ workloads: Record<string, MinimumRequests> }>({
    scope: "resource",
    kinds: "workloads",
    name: "enforce-minimum-requests",
    description:
        "Each workload the pack config names requests at least its configured CPU and memory, counting its running containers and sidecars together.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Raise resources.requests to at least the workload's size (API 200m/256Mi, consumer 100m/128Mi, frontend 50m/64Mi, PostgreSQL 250m/512Mi, Redis 100m/256Mi), or change the size in config/workloads.ts or the stack's workloads config and run npm run sync-pack-config.",
    checklist: ["2.2.1"],
    settings: {
        workloads: {
            type: "object",
            additionalProperties: {
                type: "object",
                properties: { cpu: { type: "string", pattern: QUANTITY }, memory: { type: "string", pattern: QUANTITY } },
                additionalProperties: false,
            },
            description: 'Minimum requests keyed by "namespace/name", e.g. {"voting-api/api": {"cpu": "200m", "memory": "256Mi"}}.',
            default: {},
        },
    },
    check: (obj, cfg) => {
        const pod = podTemplate(obj);
        const want = pod ? own(cfg.workloads, `${namespaceOf(obj)}/${nameOf(obj)}`) : undefined;
        if (!pod || !isRecord(want)) return [];
        const running = containersOf(pod.spec).filter((c) => c.kind === "container" || isSidecar(c));
        const out: string[] = [];
        for (const res of ["cpu", "memory"] as const) {
            const min = units(res, parseQuantity(str(want[res])));
            if (min === undefined) continue;
            const total = running.reduce((sum, c) => sum + (units(res, effectiveRequest(c, res)) ?? 0), 0);
            // Nothing requested at all is require-resource-requests' to report; here, too little.
            if (total >= min || total === 0) continue;
            out.push(`${describe(obj)}: requests ${text(res, total)} of ${res} where at least ${text(res, min)} is required`);
        }
        return out;
    },
});
