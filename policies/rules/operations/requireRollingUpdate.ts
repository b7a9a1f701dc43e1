import { describe, record, show } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";
import { replicaFloor } from "../../lib/workloads";

/** Pods a rollout may take down: percentages round down, as the Deployment controller does. @default "25%" */
function unavailableDuringRollout(value: unknown, replicas: number): number | undefined {
    const v = value ?? "25%";
    if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
    if (typeof v !== "string") return undefined;
    const m = /^(\d+)(%?)$/.exec(v.trim());
    if (!m) return undefined;
    return m[2] ? Math.floor((Number(m[1]) * replicas) / 100) : Number(m[1]);
}

/** Checklist 4.1.1: updates replace pods a few at a time and never take the whole Deployment down. */
export const requireRollingUpdate = defineRule<{ maxUnavailable: number }>({
    scope: "stack",
    name: "require-rolling-update",
    description: "Every Deployment rolls out with RollingUpdate, taking down at most the configured number of pods at once and never all of them.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set spec.strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 1}}.",
    checklist: ["4.1.1"],
    peers: { "kube-score": ["deployment-strategy"], "kube-linter": ["no-rolling-update-strategy"] },
    settings: { maxUnavailable: { type: "integer", minimum: 0, description: "Most pods a rollout may take down at once.", default: 1 } },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        for (const d of objects.filter((o) => o.kind === "Deployment")) {
            const strategy = record(record(d.spec).strategy);
            if (strategy.type === "Recreate") {
                out.push({
                    object: d,
                    message: `${describe(d)}: uses the Recreate strategy, which stops every pod before starting new ones; use RollingUpdate`,
                });
                continue;
            }
            const replicas = replicaFloor(d, objects);
            const given = record(strategy.rollingUpdate).maxUnavailable;
            const down = unavailableDuringRollout(given, replicas);
            if (down === undefined) continue;
            if (down > cfg.maxUnavailable || (replicas > 0 && down >= replicas)) {
                out.push({
                    object: d,
                    message: `${describe(d)}: maxUnavailable ${show(given ?? "25%")} lets a rollout take down ${Math.min(down, replicas)} of ${replicas} pods at once; use ${cfg.maxUnavailable}`,
                });
            }
        }
        return out;
    },
});
