import * as assert from "assert";
import { maxGapMinutes, parseCron, scheduleMaxGap } from "../../../policies/lib/cron";

/** The longest gap of a schedule, walked afresh (maxGapMinutes keeps each text's answer). */
const gapOf = (schedule: string) => scheduleMaxGap(parseCron(schedule));

/** The values of each field of a five-field schedule. */
function fieldsOf(schedule: string): readonly (readonly number[])[] {
    const s = parseCron(schedule);
    if (s.kind !== "fields") throw new Error(`${schedule} is not a five-field schedule`);
    return s.fields;
}

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
            assert.strictEqual(gapOf(schedule), gap);
        });
    }

    it("answers maxGapMinutes for a schedule's text by the same walk", () => {
        assert.strictEqual(maxGapMinutes("0 0 29 2 *"), 2921 * 1440);
    });

    it("finds a schedule that never fires infinitely far apart", () => {
        assert.strictEqual(gapOf("0 0 31 2 *"), Infinity);
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

    it("accepts every field at both ends of its range and refuses one past either end", () => {
        assert.deepStrictEqual(parseCron("0 0 1 1 0"), { kind: "fields", fields: [[0], [0], [1], [1], [0]], domStar: false, dowStar: false });
        assert.deepStrictEqual(parseCron("59 23 31 12 6"), { kind: "fields", fields: [[59], [23], [31], [12], [6]], domStar: false, dowStar: false });
        const refused: [string, string][] = [
            ["0 24 * * *", 'hour "24" is outside 0-23'],
            ["0 0 0 * *", 'day of month "0" is outside 1-31'],
            ["0 0 32 * *", 'day of month "32" is outside 1-31'],
            ["0 0 * 0 *", 'month "0" is outside 1-12'],
            ["0 0 * 13 *", 'month "13" is outside 1-12'],
            ["0 0 1-32 * *", 'day of month "1-32" is outside 1-31'],
        ];
        for (const [schedule, why] of refused) assert.throws(() => parseCron(schedule), { message: why }, schedule);
    });

    it("reads steps from a star, a range and a single start running to the field's end", () => {
        const minutes = (field: string) => fieldsOf(`${field} * * * *`)[0];
        assert.deepStrictEqual(minutes("*/15"), [0, 15, 30, 45]);
        assert.deepStrictEqual(minutes("10-20/5"), [10, 15, 20]);
        assert.deepStrictEqual(minutes("10-21/5"), [10, 15, 20]);
        assert.deepStrictEqual(minutes("50/5"), [50, 55]);
        assert.deepStrictEqual(minutes("5-5"), [5]);
        assert.deepStrictEqual(
            minutes("*/1"),
            Array.from({ length: 60 }, (_, i) => i),
        );
        assert.deepStrictEqual(minutes("*/59"), [0, 59]);
        assert.deepStrictEqual(minutes("58-59"), [58, 59]);
    });

    it("merges a list into sorted values without repeats", () => {
        const hours = (field: string) => fieldsOf(`0 ${field} * * *`)[1];
        assert.deepStrictEqual(hours("12,3,12"), [3, 12]);
        assert.deepStrictEqual(hours("20-23,0-2,22"), [0, 1, 2, 20, 21, 22, 23]);
        assert.deepStrictEqual(hours("10,2"), [2, 10]);
    });

    it("reads month and weekday names in any case, and only in those fields", () => {
        assert.deepStrictEqual(fieldsOf("0 0 * JAN-mar,Dec mon-FRI").slice(3), [
            [1, 2, 3, 12],
            [1, 2, 3, 4, 5],
        ]);
        assert.deepStrictEqual(fieldsOf("0 0 * * sun,SAT")[4], [0, 6]);
        assert.throws(() => parseCron("0 0 * * funday"), { message: 'day of week "funday" is not a number' });
        assert.throws(() => parseCron("jan 0 * * *"), { message: 'minute "jan" is not a number' });
        assert.throws(() => parseCron("0 0 mon * *"), { message: 'day of month "mon" is not a number' });
    });

    it("tells whether each day field is a plain star or question mark, which a step or a list of values is not", () => {
        const stars = (schedule: string) => {
            const s = parseCron(schedule) as { domStar: boolean; dowStar: boolean };
            return [s.domStar, s.dowStar];
        };
        assert.deepStrictEqual(stars("0 0 * * *"), [true, true]);
        assert.deepStrictEqual(stars("0 0 ? * 1"), [true, false]);
        assert.deepStrictEqual(stars("0 0 1 * ?"), [false, true]);
        assert.deepStrictEqual(stars("0 0 */2 * */1"), [false, true]);
        assert.deepStrictEqual(stars("0 0 1-31 * 0-6"), [false, false]);
        assert.deepStrictEqual(stars("0 0 5,* * 1"), [true, false]);
        assert.deepStrictEqual(
            fieldsOf("0 0 ? * *")[2],
            Array.from({ length: 31 }, (_, i) => i + 1),
        );
    });

    it("refuses malformed ranges, steps and values, naming the field", () => {
        const refused: [string, string][] = [
            ["1/2/3 * * * *", 'minute "1/2/3" is not a range'],
            ["/5 * * * *", 'minute "/5" is not a range'],
            ["1,,2 * * * *", 'minute "" is not a range'],
            ["1-2-3 * * * *", 'minute "1-2-3" is not a range'],
            ["1- * * * *", 'minute "" is not a number'],
            ["1x * * * *", 'minute "1x" is not a number'],
            ["x1 * * * *", 'minute "x1" is not a number'],
            ["-1 * * * *", 'minute "" is not a number'],
            ["*/x * * * *", 'minute step "x" must be a positive number'],
            ["*/2x * * * *", 'minute step "2x" must be a positive number'],
            ["*/x2 * * * *", 'minute step "x2" must be a positive number'],
            ["*/ * * * *", 'minute step "" must be a positive number'],
            ["*/1e1 * * * *", 'minute step "1e1" must be a positive number'],
            ["*/2.0 * * * *", 'minute step "2.0" must be a positive number'],
            ["5-5/0 * * * *", 'minute step "0" must be a positive number'],
            ["0 0 5-5 * 3-2", 'day of week "3-2" starts after it ends'],
        ];
        for (const [schedule, why] of refused) assert.throws(() => parseCron(schedule), { message: why }, schedule);
    });

    it("reads a schedule with surrounding and repeated white space, and the macros in any case", () => {
        assert.deepStrictEqual(fieldsOf(" 0  2 * *\t* "), fieldsOf("0 2 * * *"));
        assert.deepStrictEqual(parseCron("@WEEKLY"), parseCron("0 0 * * 0"));
        assert.deepStrictEqual(parseCron(" @Yearly "), {
            kind: "fields",
            fields: [[0], [0], [1], [1], Array.from({ length: 7 }, (_, i) => i)],
            domStar: false,
            dowStar: true,
        });
    });

    it("refuses a time zone however it is spelled at the start", () => {
        for (const schedule of ["CRON_TZ=Europe/Paris 0 * * * *", " TZ=UTC 0 * * * *"]) {
            assert.throws(() => parseCron(schedule), { message: "a time zone in the schedule is refused; set spec.timeZone instead" }, schedule);
        }
        assert.throws(() => parseCron("0 * * * * TZ=UTC"), { message: "it has 6 fields, not 5 (minute hour day-of-month month day-of-week)" });
    });

    it("reads @every durations, refusing a zero or unreadable one", () => {
        assert.deepStrictEqual(parseCron("@every 30s"), { kind: "every", minutes: 0.5 });
        assert.deepStrictEqual(parseCron("@every  2h "), { kind: "every", minutes: 120 });
        assert.throws(() => parseCron("@every  soon "), { message: '"@every soon" has no valid duration' });
        assert.throws(() => parseCron("@every 0s"), { message: '"@every 0s" must be positive' });
        assert.throws(() => parseCron("@every 0"), { message: '"@every 0" must be positive' });
        assert.throws(() => parseCron("@every soon"), { message: '"@every soon" has no valid duration' });
        assert.throws(() => parseCron("@every"), { message: '"@every" is not a known macro' });
    });

    it("measures the longest gap across midnight, month ends and the year's end", () => {
        // 01:00, 01:30, 23:00, 23:30: the day's long gap is 01:30 to 23:00.
        assert.strictEqual(gapOf("0,30 1,23 * * *"), 1290);
        // 09:00 and 17:00: the night is the long gap.
        assert.strictEqual(gapOf("0 9,17 * * *"), 960);
        // The 31st: 31 March to 31 May (April has 30 days).
        assert.strictEqual(gapOf("0 0 31 * *"), 61 * 1440);
        // December only: 31 December to 1 December of a leap year.
        assert.strictEqual(gapOf("0 0 * 12 *"), 336 * 1440);
        // Sunday, Tuesday, Thursday, Saturday: two days at most.
        assert.strictEqual(gapOf("0 0 * * */2"), 2 * 1440);
        // 1 January every year at 12:00.
        assert.strictEqual(gapOf("0 12 1 1 *"), 366 * 1440);
        // The 15th: a 31-day month apart at most.
        assert.strictEqual(gapOf("0 0 15 * *"), 31 * 1440);
    });
});
