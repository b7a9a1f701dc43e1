import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config/types";
import { resolveWorkloads, type ResolvedWorkload } from "../config/workloads";
import { Namespaces } from "./namespaces/namespaces";
import { capacitySummary, type CapacitySummary } from "./capacity";

/** The whole voting platform for one stack: namespaces, workloads, data, network, operations. */
export class VotingPlatform extends pulumi.ComponentResource {
    public readonly namespaces: string[];
    public readonly capacity: CapacitySummary;
    public readonly workloads: readonly ResolvedWorkload[];

    constructor(name: string, cfg: PlatformConfig, opts?: pulumi.ComponentResourceOptions) {
        super("voting:index:VotingPlatform", name, {}, opts);
        this.workloads = resolveWorkloads(cfg);
        const ns = new Namespaces(`${name}-ns`, { stack: cfg.stack, workloads: this.workloads, storage: cfg.storage }, { parent: this });
        this.namespaces = ns.sizing.map((s) => s.namespace);
        this.capacity = capacitySummary(cfg.environment, this.workloads);
        this.registerOutputs({ namespaces: this.namespaces, capacity: this.capacity });
    }
}
