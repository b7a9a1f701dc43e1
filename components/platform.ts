import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config/types";
import { resolveWorkloads, type ResolvedWorkload } from "../config/workloads";
import { Namespaces } from "./namespaces/namespaces";
import { capacitySummary, type CapacitySummary } from "./capacity";
import { apiArgs, consumerArgs, frontendArgs } from "./workloads/apps";
import { Workload } from "./workloads/workload";

/** The whole voting platform for one stack: namespaces, workloads, data, network, operations. */
export class VotingPlatform extends pulumi.ComponentResource {
    public readonly namespaces: string[];
    public readonly capacity: CapacitySummary;
    public readonly workloads: readonly ResolvedWorkload[];
    /** In-cluster endpoints of the app services. */
    public readonly endpoints: Record<string, string>;

    constructor(name: string, cfg: PlatformConfig, opts?: pulumi.ComponentResourceOptions) {
        super("voting:index:VotingPlatform", name, {}, opts);
        this.workloads = resolveWorkloads(cfg);
        const ns = new Namespaces(`${name}-ns`, { stack: cfg.stack, workloads: this.workloads, storage: cfg.storage }, { parent: this });
        this.namespaces = ns.sizing.map((s) => s.namespace);
        const spec = (n: string) => this.workloads.find((w) => w.name === n)!;
        const after = { parent: this, dependsOn: Object.values(ns.namespaces) };
        const apps = {
            frontend: new Workload(`${name}-frontend`, frontendArgs(cfg, spec("frontend")), after),
            api: new Workload(`${name}-api`, apiArgs(cfg, spec("api")), after),
            consumer: new Workload(`${name}-consumer`, consumerArgs(cfg, spec("consumer")), after),
        };
        this.endpoints = Object.fromEntries(Object.entries(apps).map(([k, w]) => [k, w.endpoint]));
        this.capacity = capacitySummary(cfg.environment, this.workloads);
        this.registerOutputs({ namespaces: this.namespaces, endpoints: this.endpoints, capacity: this.capacity });
    }
}
