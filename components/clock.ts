/**
 * The instant the program runs at, for the few inputs a cloud API wants as a timestamp (a secret's first
 * rotation, its expiry). Offline renders pin it through VOTING_PLATFORM_NOW (tools/lib/render.ts) so
 * that the same config always renders the same files; resources set from it ignore later changes.
 */
export const CLOCK_ENV = "VOTING_PLATFORM_NOW";

export function programTime(): Date {
    const pinned = process.env[CLOCK_ENV];
    return pinned ? new Date(pinned) : new Date();
}

/** Midnight UTC `days` after the program's day. */
export function daysFromToday(days: number, now: Date = programTime()): Date {
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days));
}
