import { describe, isRecord, num, record, records, selectorMatches, show, str, type K8sObject } from "../../lib/k8s";
import { cpuMillis, memoryBytes } from "../../lib/quantity";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

/** What a stack declares for one workload: the sizes the checklist gives, after the stack's overrides. */
export interface DeclaredSize {
    readonly requests?: { readonly cpu?: string; readonly memory?: string };
    readonly minAvailable?: number;
    readonly minReplicas?: number;
    readonly maxReplicas?: number;
}

const WORKLOAD_KINDS = ["Deployment", "StatefulSet"];

/**
 * Checklist 2.2.1, 2.3.3, 5.1.1: the numbers, not only the fields. Each workload the pack config names
 * requests at least the CPU and memory declared for it, the PodDisruptionBudgets selecting its pods keep
 * at least the declared minAvailable, and its autoscaler (an HPA, or KEDA's ScaledObject) runs at least the
 * declared minimum and may reach the declared maximum. `npm run sync-pack-config` writes the declarations
 * from the stack's config.
 */
export const requireDeclaredSizes = defineRule<{ workloads: Record<string, DeclaredSize> }>({
    scope: "stack",
    name: "require-declared-sizes",
    description:
        "Each workload the pack config names (namespace/name) requests at least its declared CPU and memory, keeps at least its declared minAvailable through a disruption, and is autoscaled from at least its declared minimum up to at least its declared maximum.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Size the workload as its stack declares (config/workloads.ts gives the checklist's numbers; the stack config may raise them), then run npm run sync-pack-config.",
    checklist: ["2.2.1", "2.3.3", "5.1.1"],
    settings: {
        workloads: {
            type: "object",
            additionalProperties: {
                type: "object",
                properties: {
                    requests: { type: "object", properties: { cpu: { type: "string" }, memory: { type: "string" } }, additionalProperties: false },
                    minAvailable: { type: "integer", minimum: 0 },
                    minReplicas: { type: "integer", minimum: 0 },
                    maxReplicas: { type: "integer", minimum: 1 },
                },
                additionalProperties: false,
            },
            description: "Per workload (namespace/name): requests {cpu, memory}, minAvailable, minReplicas, maxReplicas, each a lower bound.",
            default: {},
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        const set = resourceSet(objects);
        for (const [id, declared] of Object.entries(record(cfg.workloads))) {
            const slash = id.indexOf("/");
            const [ns, name] = [id.slice(0, slash), id.slice(slash + 1)];
            const workload = WORKLOAD_KINDS.map((k) => set.find(k, ns, name)).find((o): o is K8sObject => o !== undefined);
            if (!workload || !isRecord(declared)) continue;
            const say = (object: K8sObject, message: string) => out.push({ object, message: `${describe(object)}: ${message}` });
            const pod = set.workloads.find((p) => p.object === workload);
            if (!pod) continue;

            const containers = records(pod.spec.containers);
            const main = containers.find((c) => c.name === name) ?? containers[0];
            const want = record(declared.requests);
            if (main) {
                const requests = record(record(main.resources).requests);
                const at = `container ${show(main.name)}`;
                const cpu = str(want.cpu);
                if (cpu !== undefined && !((cpuMillis(requests.cpu) ?? -1) >= (cpuMillis(cpu) ?? Infinity)))
                    say(
                        workload,
                        `${at} requests ${requests.cpu === undefined ? "no" : show(requests.cpu)} CPU, under the ${cpu} its stack declares`,
                    );
                const memory = str(want.memory);
                if (memory !== undefined && !((memoryBytes(requests.memory) ?? -1) >= (memoryBytes(memory) ?? Infinity)))
                    say(
                        workload,
                        `${at} requests ${requests.memory === undefined ? "no" : show(requests.memory)} of memory, under the ${memory} its stack declares`,
                    );
            }

            const minAvailable = num(declared.minAvailable);
            if (minAvailable !== undefined) {
                const budgets = set
                    .inNamespace("PodDisruptionBudget", ns)
                    .filter((b) => selectorMatches(record(b.spec).selector, pod.metadata.labels));
                for (const b of budgets) {
                    const kept = record(b.spec).minAvailable;
                    if (!(typeof kept === "number" && kept >= minAvailable))
                        say(
                            b,
                            `keeps ${kept === undefined ? "no fixed number of" : show(kept)} pods of ${workload.kind} ${name} available, under the ${minAvailable} its stack declares`,
                        );
                }
            }

            const minReplicas = num(declared.minReplicas);
            const maxReplicas = num(declared.maxReplicas);
            const targets = (o: K8sObject) =>
                record(record(o.spec).scaleTargetRef).name === name &&
                str(record(record(o.spec).scaleTargetRef).kind ?? "Deployment") === workload.kind;
            const scalers = [
                ...set
                    .inNamespace("HorizontalPodAutoscaler", ns)
                    .filter(targets)
                    .map((o) => ({
                        o,
                        min: record(o.spec).minReplicas ?? 1,
                        max: record(o.spec).maxReplicas,
                        fields: ["minReplicas", "maxReplicas"],
                    })),
                ...set
                    .inNamespace("ScaledObject", ns)
                    .filter(targets)
                    .map((o) => ({
                        o,
                        min: record(o.spec).minReplicaCount ?? 0,
                        max: record(o.spec).maxReplicaCount ?? 100,
                        fields: ["minReplicaCount", "maxReplicaCount"],
                    })),
            ];
            for (const { o, min, max, fields } of scalers) {
                if (minReplicas !== undefined && !(typeof min === "number" && min >= minReplicas))
                    say(
                        o,
                        `runs as few as ${show(min)} pods (${fields[0]}), under the ${minReplicas} its stack declares for ${workload.kind} ${name}`,
                    );
                if (maxReplicas !== undefined && !(typeof max === "number" && max >= maxReplicas))
                    say(o, `stops at ${show(max)} pods (${fields[1]}), under the ${maxReplicas} its stack declares for ${workload.kind} ${name}`);
            }
        }
        return out;
    },
});
