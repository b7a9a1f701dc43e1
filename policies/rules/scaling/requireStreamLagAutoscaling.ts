import { type K8sObject, nameOf, record, records, text } from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";
import { autoscalerFor } from "../../lib/workloads";

export interface StreamScalingConfig {
    /** `namespace/name` of the Deployments that consume a Redis stream. */
    consumers: string[];
    maxPendingEntries: number;
}

/** Checklist 5.1.2: stream consumers scale on lag (pending entries), not on CPU. */
export const requireStreamLagAutoscaling = defineRule<StreamScalingConfig>({
    scope: "stack",
    name: "require-stream-lag-autoscaling",
    description:
        "Each configured stream consumer is scaled by a KEDA ScaledObject with a redis-streams trigger on at most the configured pending entries, authenticated through a TriggerAuthentication.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Add a keda.sh/v1alpha1 ScaledObject targeting the consumer with a redis-streams trigger (stream votes, consumerGroup vote-processors, pendingEntriesCount 100) and an authenticationRef to a TriggerAuthentication that reads the Redis password from its Secret.",
    checklist: ["5.1.2"],
    settings: {
        consumers: {
            type: "array",
            items: { type: "string", pattern: "^[^/\\s]+/[^/\\s]+$" },
            description: 'Consumers as "namespace/name".',
            default: [],
        },
        maxPendingEntries: { type: "integer", minimum: 1, description: "Largest pendingEntriesCount accepted.", default: 100 },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        const set = resourceSet(objects);
        for (const ref of cfg.consumers) {
            const [ns, name] = ref.split("/");
            const workload = set.find("Deployment", ns, name);
            const anchor: K8sObject = workload ?? { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: ns } };
            const say = (message: string) => out.push({ object: anchor, message: `Deployment ${ref}: ${message}` });
            if (!workload) {
                say("is listed as a stream consumer but not in the resource set");
                continue;
            }
            const scaler = autoscalerFor(workload, objects);
            if (scaler?.kind !== "ScaledObject") {
                say("is not scaled by a KEDA ScaledObject on stream lag");
                continue;
            }
            const stream = records(record(scaler.object.spec).triggers).find((t) => t.type === "redis-streams");
            if (!stream) {
                say(`ScaledObject ${nameOf(scaler.object)} has no redis-streams trigger`);
                continue;
            }
            const given = record(stream.metadata).pendingEntriesCount ?? 5;
            const pending = typeof given === "number" || typeof given === "string" ? Number(given) : NaN;
            if (!(pending <= cfg.maxPendingEntries))
                say(`ScaledObject ${nameOf(scaler.object)} scales only past ${text(given)} pending entries; use at most ${cfg.maxPendingEntries}`);
            const auth = record(stream.authenticationRef).name;
            if (!auth) say(`ScaledObject ${nameOf(scaler.object)}'s redis-streams trigger has no authenticationRef; Redis requires a password`);
            else if (typeof auth !== "string" || !set.find("TriggerAuthentication", ns, auth)) {
                say(`ScaledObject ${nameOf(scaler.object)} names TriggerAuthentication ${text(auth)}, which is not in the resource set`);
            }
        }
        return out;
    },
});
