import * as assert from "assert";
import { budgetMinAvailable, resolveWorkload, WORKLOAD_DEFAULTS } from "../../config/workloads";

describe("workload sizes of the checklist", () => {
    it("keep the API's and the consumer's budgets at 2 and 1, and PostgreSQL's and Redis's start-up at 60 s and 30 s", () => {
        assert.deepStrictEqual([WORKLOAD_DEFAULTS.api.minAvailable, WORKLOAD_DEFAULTS.consumer.minAvailable], [2, 1]);
        assert.deepStrictEqual([WORKLOAD_DEFAULTS.postgres.startupSeconds, WORKLOAD_DEFAULTS.redis.startupSeconds], [60, 30]);
    });

    it("give a budget that keeps minAvailable, else all but one pod, and never every pod", () => {
        assert.strictEqual(budgetMinAvailable({ replicas: 3, minAvailable: 2 }), 2);
        assert.strictEqual(budgetMinAvailable({ replicas: 3 }), 2);
        assert.strictEqual(budgetMinAvailable({ replicas: 2, minAvailable: 2 }), 1);
        assert.strictEqual(budgetMinAvailable({ replicas: 1, minAvailable: 1 }), 0);
    });

    it("give staging's smaller API a budget of one pod", () => {
        assert.strictEqual(budgetMinAvailable(resolveWorkload("api", "staging")), 1);
        assert.strictEqual(budgetMinAvailable(resolveWorkload("api", "prod")), 2);
    });
});
