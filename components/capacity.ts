import type { Environment } from "../config/types";
import type { ResolvedWorkload } from "../config/workloads";
import { cpuMillis, formatCpu, formatMemory, memoryBytes } from "../policies/lib/quantity";

export interface ScaleFigures {
    readonly replicas: number;
    readonly cpuRequests: string;
    readonly memoryRequests: string;
    readonly cpuLimits: string;
    readonly memoryLimits: string;
}

/** CPU and memory the platform needs at its minimum and maximum scale (checklist 5.3.3). */
export interface CapacitySummary {
    readonly environment: Environment;
    readonly workloads: Record<string, { readonly min: ScaleFigures; readonly max: ScaleFigures }>;
    readonly total: { readonly min: ScaleFigures; readonly max: ScaleFigures };
}

function figures(parts: readonly { replicas: number; w: ResolvedWorkload }[]): ScaleFigures {
    const sum = (f: (p: { replicas: number; w: ResolvedWorkload }) => number) => parts.reduce((a, p) => a + p.replicas * f(p), 0);
    return {
        replicas: parts.reduce((a, p) => a + p.replicas, 0),
        cpuRequests: formatCpu(sum((p) => cpuMillis(p.w.requests.cpu)!)),
        memoryRequests: formatMemory(sum((p) => memoryBytes(p.w.requests.memory)!)),
        cpuLimits: formatCpu(sum((p) => cpuMillis(p.w.limits.cpu)!)),
        memoryLimits: formatMemory(sum((p) => memoryBytes(p.w.limits.memory)!)),
    };
}

export function capacitySummary(environment: Environment, workloads: readonly ResolvedWorkload[]): CapacitySummary {
    const per: CapacitySummary["workloads"] = {};
    for (const w of workloads) {
        per[w.name] = { min: figures([{ replicas: w.replicas, w }]), max: figures([{ replicas: w.maxReplicas, w }]) };
    }
    return {
        environment,
        workloads: per,
        total: {
            min: figures(workloads.map((w) => ({ replicas: w.replicas, w }))),
            max: figures(workloads.map((w) => ({ replicas: w.maxReplicas, w }))),
        },
    };
}
