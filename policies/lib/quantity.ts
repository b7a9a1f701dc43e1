/**
 * Kubernetes resource quantities (`200m`, `0.5`, `256Mi`, `1G`, `1e3`) as numbers.
 * CPU comes out in millicores, everything else in bytes (or plain units).
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

/** The value of a quantity in base units, or undefined when it is not a valid quantity. */
export function parseQuantity(value: unknown): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value !== "string") return undefined;
    const m = QUANTITY.exec(value.trim());
    if (!m) return undefined;
    const base = Number(m[1]);
    const suffix = m[2] ?? "";
    const v = m[3] !== undefined ? base * 10 ** Number(m[3]) : base * (BINARY[suffix] ?? DECIMAL[suffix]);
    // `1e400` and the like overflow: no cluster could honour them, so they are not quantities.
    return Number.isFinite(v) ? v : undefined;
}

/** CPU in millicores (`200m` → 200, `1` → 1000). */
export function cpuMillis(value: unknown): number | undefined {
    const v = parseQuantity(value);
    return v === undefined ? undefined : Math.round(v * 1000);
}

/** Memory in bytes. */
export function memoryBytes(value: unknown): number | undefined {
    const v = parseQuantity(value);
    return v === undefined ? undefined : Math.round(v);
}

/** Millicores as a quantity string: 1500 → "1500m", 2000 → "2". */
export function formatCpu(millis: number): string {
    return millis % 1000 === 0 ? String(millis / 1000) : `${Math.ceil(millis)}m`;
}

/** Bytes as a binary quantity string, rounded up to a whole Mi: 268435456 → "256Mi", 2 GiB → "2Gi". */
export function formatMemory(bytes: number): string {
    const mi = Math.ceil(bytes / 2 ** 20);
    return mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`;
}
