/** A Go duration (`1h30m`, `15m`, `90s`, `0`) in minutes, as Kubernetes controllers read them; undefined if it is not one. */
export function goDurationMinutes(text: string): number | undefined {
    const t = text.trim();
    if (t === "0") return 0;
    const units: Record<string, number> = { h: 60, m: 1, s: 1 / 60, ms: 1 / 60000, us: 1 / 6e7, µs: 1 / 6e7, ns: 1 / 6e10 };
    const parts = [...t.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|h|m|s)/g)];
    if (parts.length === 0 || parts.map((p) => p[0]).join("") !== t) return undefined;
    return parts.reduce((n, p) => n + Number(p[1]) * units[p[2]], 0);
}
