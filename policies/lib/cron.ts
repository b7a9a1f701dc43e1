/**
 * Cron schedules as Kubernetes reads a CronJob's `spec.schedule` (robfig/cron v3's standard parser): five
 * fields, `*` and `?`, lists, ranges, steps (`N/step` runs from N to the field's end), month and weekday
 * names, the @yearly … @hourly macros and `@every <duration>`; a day matches on either day field when
 * both are restricted, on both when either is `*`.
 */
import { goDurationMinutes } from "./duration";

interface Field {
    readonly name: string;
    readonly min: number;
    readonly max: number;
    readonly names?: readonly string[];
}

const FIELDS: readonly Field[] = [
    { name: "minute", min: 0, max: 59 },
    { name: "hour", min: 0, max: 23 },
    { name: "day of month", min: 1, max: 31 },
    { name: "month", min: 1, max: 12, names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"] },
    { name: "day of week", min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

const MACROS: Readonly<Record<string, string>> = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
};

export type CronSchedule =
    | {
          readonly kind: "fields";
          readonly fields: readonly (readonly number[])[];
          /** Whether the day-of-month and day-of-week fields are `*` or `?` (no step). */
          readonly domStar: boolean;
          readonly dowStar: boolean;
      }
    | { readonly kind: "every"; readonly minutes: number };

function parseValue(text: string, f: Field): number {
    const i = f.names?.indexOf(text.toLowerCase()) ?? -1;
    if (i >= 0) return f.min + i;
    if (!/^\d+$/.test(text)) throw new Error(`${f.name} "${text}" is not a number`);
    return Number(text);
}

/** One comma-separated part: the values it selects, and whether it is a plain `*` or `?`. */
function parseRange(part: string, f: Field): { values: number[]; star: boolean } {
    const [range, stepText, extra] = part.split("/");
    if (extra !== undefined || range === "") throw new Error(`${f.name} "${part}" is not a range`);
    let start: number;
    let end: number;
    let star = false;
    if (range === "*" || range === "?") {
        [start, end, star] = [f.min, f.max, true];
    } else {
        const [lo, hi, more] = range.split("-");
        if (more !== undefined) throw new Error(`${f.name} "${part}" is not a range`);
        start = parseValue(lo, f);
        end = hi === undefined ? (stepText === undefined ? start : f.max) : parseValue(hi, f);
    }
    const step = stepText === undefined ? 1 : /^\d+$/.test(stepText) ? Number(stepText) : NaN;
    if (!(step >= 1)) throw new Error(`${f.name} step "${stepText}" must be a positive number`);
    if (start < f.min || end > f.max) throw new Error(`${f.name} "${part}" is outside ${f.min}-${f.max}`);
    if (start > end) throw new Error(`${f.name} "${part}" starts after it ends`);
    const values: number[] = [];
    for (let v = start; v <= end; v += step) values.push(v);
    return { values, star: star && step === 1 };
}

/** A Go duration such as `1h30m` in minutes, for `@every`. */
function everyMinutes(text: string): number {
    const minutes = goDurationMinutes(text);
    if (minutes === undefined) throw new Error(`"@every ${text}" has no valid duration`);
    if (minutes <= 0) throw new Error(`"@every ${text}" must be positive`);
    return minutes;
}

/** Parses a schedule; throws an Error saying what Kubernetes would refuse. */
export function parseCron(expression: string): CronSchedule {
    const text = expression.trim();
    if (/^(CRON_)?TZ=/.test(text)) throw new Error("a time zone in the schedule is refused; set spec.timeZone instead");
    if (text.startsWith("@every ")) return { kind: "every", minutes: everyMinutes(text.slice(7).trim()) };
    const expanded = text.startsWith("@") ? MACROS[text.toLowerCase()] : text;
    if (expanded === undefined) throw new Error(`"${text}" is not a known macro`);
    const parts = expanded.split(/\s+/);
    if (parts.length !== 5) throw new Error(`it has ${parts.length} fields, not 5 (minute hour day-of-month month day-of-week)`);
    const parsed = parts.map((p, i) => {
        const ranges = p.split(",").map((r) => parseRange(r, FIELDS[i]));
        return { values: [...new Set(ranges.flatMap((r) => r.values))].sort((a, b) => a - b), star: ranges.some((r) => r.star) };
    });
    return { kind: "fields", fields: parsed.map((p) => p.values), domStar: parsed[2].star, dowStar: parsed[4].star };
}

/** Days in the Gregorian calendar's full cycle, after which weekdays and leap years repeat. */
const CYCLE_DAYS = 146097;
/** 2000-01-01, where the walk starts, was a Saturday. */
const FIRST_WEEKDAY = 6;

const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthDays = (y: number, m: number) => (m === 2 ? (leap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);

const cache = new Map<string, number>();

/** `scheduleMaxGap` of a schedule's text, parsed and walked once per text. */
export function maxGapMinutes(expression: string): number {
    if (!cache.has(expression)) cache.set(expression, scheduleMaxGap(parseCron(expression)));
    return cache.get(expression)!;
}

/**
 * The longest time, in minutes, between two consecutive runs of a schedule (in the schedule's own
 * clock: a time zone with daylight saving can stretch one gap a year by an hour), or Infinity when it
 * never runs. Exact: it walks every day of the 400-year Gregorian cycle.
 */
export function scheduleMaxGap(s: CronSchedule): number {
    if (s.kind === "every") return s.minutes;
    const [minutes, hours, doms, months, dows] = s.fields;
    const times = hours.flatMap((h) => minutes.map((m) => h * 60 + m)).sort((a, b) => a - b);
    const dom = new Set(doms);
    const month = new Set(months);
    const dow = new Set(dows);
    const days: number[] = [];
    let d = 0;
    for (let y = 2000; y < 2400; y++) {
        for (let m = 1; m <= 12; m++) {
            const length = monthDays(y, m);
            if (month.has(m)) {
                for (let day = 1; day <= length; day++) {
                    const byDom = dom.has(day);
                    const byDow = dow.has((FIRST_WEEKDAY + d + day - 1) % 7);
                    if (s.domStar || s.dowStar ? byDom && byDow : byDom || byDow) days.push(d + day - 1);
                }
            }
            d += length;
        }
    }
    if (days.length === 0) return Infinity;
    let gap = 0;
    for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i - 1]);
    const first = times[0];
    const last = times[times.length - 1];
    for (let i = 0; i < days.length; i++) {
        const next = i + 1 < days.length ? days[i + 1] : days[0] + CYCLE_DAYS;
        gap = Math.max(gap, (next - days[i]) * 1440 + first - last);
    }
    return gap;
}
