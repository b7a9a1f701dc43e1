import * as assert from "assert";
import { maxGapMinutes, parseCron } from "../../../policies/lib/cron";

describe("cron schedules as Kubernetes reads them", () => {
    const cases: [string, number][] = [
        ["0 2 * * *", 1440],
        ["*/30 * * * *", 30],
        ["0,20 * * * *", 40],
        ["5/20 * * * *", 20],
        ["0 * * * *", 60],
        ["@hourly", 60],
        ["@daily", 1440],
        ["@every 45m", 45],
        ["@every 1h30m", 90],
        ["0 9 * * 1-5", 3 * 1440],
        ["0 0 * * MON", 7 * 1440],
        ["0 0 1,15 * *", 17 * 1440],
        ["15 4 1 1,4,7,10 *", 92 * 1440],
        // Both day fields restricted: either matches (the 13th, or a Friday).
        ["0 0 13 * 5", 7 * 1440],
        // 29 February: 2096, then 2104 (2100 is not a leap year).
        ["0 0 29 2 *", 2921 * 1440],
    ];
    for (const [schedule, gap] of cases) {
        it(`finds "${schedule}" at most ${gap} minutes apart`, () => {
            assert.strictEqual(maxGapMinutes(schedule), gap);
        });
    }

    it("finds a schedule that never fires infinitely far apart", () => {
        assert.strictEqual(maxGapMinutes("0 0 31 2 *"), Infinity);
    });

    it("refuses what Kubernetes refuses, saying why", () => {
        const refused: [string, string][] = [
            ["60 * * * *", 'minute "60" is outside 0-59'],
            ["* * * *", "it has 4 fields, not 5 (minute hour day-of-month month day-of-week)"],
            ["0 0 * * 7", 'day of week "7" is outside 0-6'],
            ["1-0 * * * *", 'minute "1-0" starts after it ends'],
            ["*/0 * * * *", 'minute step "0" must be a positive number'],
            ["TZ=UTC 0 * * * *", "a time zone in the schedule is refused; set spec.timeZone instead"],
            ["@fortnightly", '"@fortnightly" is not a known macro'],
            ["daily", "it has 1 fields, not 5 (minute hour day-of-month month day-of-week)"],
        ];
        for (const [schedule, why] of refused) assert.throws(() => parseCron(schedule), new RegExp(why.replace(/[()*]/g, "\\$&")), schedule);
    });
});
