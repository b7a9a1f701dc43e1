import * as assert from "assert";
import { setToday, today } from "../../../policies/lib/clock";

/** Runs `fn` with VOTING_POLICY_TODAY set to `value` (unset for undefined) and no date fixed by `setToday`. */
function withEnv<T>(value: string | undefined, fn: () => T): T {
    const saved = process.env.VOTING_POLICY_TODAY;
    if (value === undefined) delete process.env.VOTING_POLICY_TODAY;
    else process.env.VOTING_POLICY_TODAY = value;
    setToday(undefined);
    try {
        return fn();
    } finally {
        if (saved === undefined) delete process.env.VOTING_POLICY_TODAY;
        else process.env.VOTING_POLICY_TODAY = saved;
    }
}

/** The real clock's day, read before and after `fn` so that a run across midnight still agrees. */
function realDays(fn: () => string): { got: string; days: string[] } {
    const before = new Date().toISOString().slice(0, 10);
    const got = fn();
    return { got, days: [before, new Date().toISOString().slice(0, 10)] };
}

describe("today", () => {
    it("is the real clock's day, as YYYY-MM-DD in UTC, when nothing fixes it", () => {
        const { got, days } = realDays(() => withEnv(undefined, today));
        assert.match(got, /^\d{4}-\d{2}-\d{2}$/);
        assert.ok(days.includes(got), `${got} is not one of ${days.join(", ")}`);
    });

    it("takes VOTING_POLICY_TODAY only when it is a YYYY-MM-DD date, and the real clock's day otherwise", () => {
        assert.strictEqual(withEnv("2030-01-02", today), "2030-01-02");
        for (const value of ["tomorrow", "2030-1-2", "2030-01-02T00:00:00Z", ""]) {
            const { got, days } = realDays(() => withEnv(value, today));
            assert.ok(days.includes(got), `VOTING_POLICY_TODAY=${JSON.stringify(value)} gave ${got}`);
        }
    });

    it("is fixed by setToday over VOTING_POLICY_TODAY, and setToday refuses a day not written YYYY-MM-DD", () => {
        try {
            assert.strictEqual(
                withEnv("2030-01-02", () => {
                    setToday("2026-06-15");
                    return today();
                }),
                "2026-06-15",
            );
            assert.throws(() => setToday("2026-1-1"), { message: 'setToday needs YYYY-MM-DD, not "2026-1-1"' });
            assert.strictEqual(today(), "2026-06-15");
        } finally {
            setToday(undefined);
        }
    });
});
