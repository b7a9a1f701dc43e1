import * as assert from "assert";
import { requirePriorityClass } from "../../../../policies/rules/hygiene/requirePriorityClass";
import { asKind, inEveryKind, LONG_RUNNING_KINDS, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

describe(requirePriorityClass.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(requirePriorityClass, asKind(k)), [], k);
    });

    it("refuses a long-running pod without a priority class, or with an empty one, on every long-running kind", () => {
        for (const value of [undefined, ""]) {
            for (const obj of inEveryKind((s) => (s.priorityClassName = value), LONG_RUNNING_KINDS)) {
                assert.deepStrictEqual(violations(requirePriorityClass, obj), [
                    `${named(obj)}: sets no priorityClassName; name the platform's PriorityClass`,
                ]);
            }
        }
    });

    it("asks nothing of Jobs, CronJobs and Pods that do not restart", () => {
        for (const obj of inEveryKind((s) => delete s.priorityClassName, ["Job", "CronJob"]))
            assert.deepStrictEqual(violations(requirePriorityClass, obj), [], obj.kind);
        const pod = withChange(asKind("Pod"), (x) => {
            delete x.spec.priorityClassName;
            x.spec.restartPolicy = "Never";
        });
        assert.deepStrictEqual(violations(requirePriorityClass, pod), []);
    });
});
