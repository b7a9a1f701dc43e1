/**
 * The date waivers are judged against. `VOTING_POLICY_TODAY=YYYY-MM-DD` fixes it for the pack process
 * (tests, or replaying a past run); tests in the same process use `setToday`.
 */

let fixed: string | undefined;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Today as `YYYY-MM-DD` in UTC. */
export function today(): string {
    const env = process.env.VOTING_POLICY_TODAY;
    if (fixed) return fixed;
    if (env && DATE.test(env)) return env;
    return new Date().toISOString().slice(0, 10);
}

/** Fixes today's date for this process (undefined returns to the real clock). */
export function setToday(date: string | undefined): void {
    if (date !== undefined && !DATE.test(date)) throw new Error(`setToday needs YYYY-MM-DD, not ${JSON.stringify(date)}`);
    fixed = date;
}
