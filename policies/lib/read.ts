/**
 * Readers for fields that may hold any JSON value: each returns a value of the expected type or an
 * empty one, so a rule never throws on a wrong-typed field of a manifest it did not write.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */

/** A JSON object (not null, not a list). */
export const isRecord = (v: unknown): v is Record<string, any> => typeof v === "object" && v !== null && !Array.isArray(v);
/** The value if it is a JSON object, else an empty one. */
export const record = (v: unknown): Record<string, any> => (isRecord(v) ? v : {});
/** The value if it is a list, else an empty one. */
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** The objects of a list (null and scalar items dropped). */
export const records = (v: unknown): Record<string, any>[] => list(v).filter(isRecord);
/** The strings of a list. */
export const strings = (v: unknown): string[] => list(v).filter((s): s is string => typeof s === "string");
export const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
/** A finite number, else undefined. */
export const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
/** A whole number given as a number or as decimal digits (`20`, `"20"`), else undefined. */
export function integer(v: unknown): number | undefined {
    if (typeof v === "number") return Number.isInteger(v) ? v : undefined;
    if (typeof v === "string" && /^\s*\d+\s*$/.test(v)) return Number(v);
    return undefined;
}
/** A table entry for a key that comes from the input: only the table's own keys, never Object.prototype's. */
export const own = <T>(table: Readonly<Record<string, T>>, key: unknown): T | undefined =>
    typeof key === "string" && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
/** Any JSON value as message text: strings as they are, anything else as JSON. Never throws. */
export function show(v: unknown): string {
    if (typeof v === "string") return v;
    try {
        return JSON.stringify(v) ?? String(v);
    } catch {
        return "<unprintable>";
    }
}
