import * as assert from "assert";
import { capacitySummary } from "../../components/capacity";
import { doubled, resolveWorkload, resolveWorkloads } from "../../config/workloads";

const figures = (replicas: number, cpuRequests: string, memoryRequests: string, cpuLimits: string, memoryLimits: string) => ({
    replicas,
    cpuRequests,
    memoryRequests,
    cpuLimits,
    memoryLimits,
});

describe("capacity projection (5.3.3)", () => {
    it("sums prod at its minimum and maximum scale, as worked out by hand", () => {
        // min: frontend 3×50m/64Mi, api 3×200m/256Mi, consumer 2×100m/128Mi, postgres 250m/512Mi, redis 100m/256Mi
        // max: the same with api 10 and consumer 6; limits are twice the requests.
        const s = capacitySummary("prod", resolveWorkloads({ environment: "prod", workloads: {} }));
        assert.strictEqual(s.environment, "prod");
        assert.deepStrictEqual(s.total, {
            min: figures(10, "1300m", "1984Mi", "2600m", "3968Mi"),
            max: figures(21, "3100m", "4288Mi", "6200m", "8576Mi"),
        });
        assert.deepStrictEqual(s.workloads.api, { min: figures(3, "600m", "768Mi", "1200m", "1536Mi"), max: figures(10, "2", "2560Mi", "4", "5Gi") });
        assert.deepStrictEqual(s.workloads.consumer, {
            min: figures(2, "200m", "256Mi", "400m", "512Mi"),
            max: figures(6, "600m", "768Mi", "1200m", "1536Mi"),
        });
        assert.deepStrictEqual(s.workloads.postgres, {
            min: figures(1, "250m", "512Mi", "500m", "1Gi"),
            max: figures(1, "250m", "512Mi", "500m", "1Gi"),
        });
        assert.deepStrictEqual(Object.keys(s.workloads), ["frontend", "api", "consumer", "postgres", "redis"]);
    });

    it("sums staging's smaller stateless tiers", () => {
        // min: frontend 2, api 2, consumer 1; max: frontend 2, api 4, consumer 3; data tier as in prod.
        const s = capacitySummary("staging", resolveWorkloads({ environment: "staging", workloads: {} }));
        assert.deepStrictEqual(s.total, {
            min: figures(7, "950m", "1536Mi", "1900m", "3Gi"),
            max: figures(11, "1550m", "2304Mi", "3100m", "4608Mi"),
        });
    });

    it("follows a stack's overrides of sizes and counts", () => {
        const ws = resolveWorkloads({
            environment: "prod",
            workloads: { api: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1500m", memory: "1Gi" }, replicas: 4, maxReplicas: 5 } },
        });
        const s = capacitySummary("prod", ws);
        assert.deepStrictEqual(s.workloads.api, { min: figures(4, "4", "4Gi", "6", "4Gi"), max: figures(5, "5", "5Gi", "7500m", "5Gi") });
    });

    it("sums nothing to zero", () => {
        assert.deepStrictEqual(capacitySummary("prod", []).total.min, figures(0, "0", "0Gi", "0", "0Gi"));
    });
});

describe("resolveWorkload", () => {
    it("doubles the requests into limits, rounding memory up to a whole Mi", () => {
        assert.deepStrictEqual(doubled({ cpu: "50m", memory: "64Mi" }), { cpu: "100m", memory: "128Mi" });
        assert.deepStrictEqual(doubled({ cpu: "500m", memory: "512Mi" }), { cpu: "1", memory: "1Gi" });
    });

    it("takes prod's counts in prod, staging's in staging, and the stack's over both", () => {
        assert.deepStrictEqual([resolveWorkload("api", "prod").replicas, resolveWorkload("api", "prod").maxReplicas], [3, 10]);
        assert.deepStrictEqual([resolveWorkload("api", "staging").replicas, resolveWorkload("api", "staging").maxReplicas], [2, 4]);
        assert.deepStrictEqual([resolveWorkload("postgres", "staging").replicas, resolveWorkload("postgres", "staging").maxReplicas], [1, 1]);
        const o = resolveWorkload("api", "staging", { api: { replicas: 5 } });
        assert.deepStrictEqual([o.replicas, o.maxReplicas], [5, 5], "the maximum never falls under the replicas");
        const m = resolveWorkload("consumer", "prod", { consumer: { maxReplicas: 9 } });
        assert.deepStrictEqual([m.replicas, m.maxReplicas], [2, 9]);
    });

    it("keeps the stack's requests and limits, and derives limits from overridden requests", () => {
        const r = resolveWorkload("redis", "prod", { redis: { requests: { cpu: "300m", memory: "100Mi" } } });
        assert.deepStrictEqual(
            [r.requests, r.limits],
            [
                { cpu: "300m", memory: "100Mi" },
                { cpu: "600m", memory: "200Mi" },
            ],
        );
        const l = resolveWorkload("redis", "prod", { redis: { limits: { cpu: "2", memory: "2Gi" } } });
        assert.deepStrictEqual(
            [l.requests, l.limits],
            [
                { cpu: "100m", memory: "256Mi" },
                { cpu: "2", memory: "2Gi" },
            ],
        );
        assert.strictEqual(resolveWorkload("frontend", "prod", { api: { replicas: 9 } }).replicas, 3, "another workload's override does not apply");
    });
});
