import * as assert from "assert";
import { cpuMillis, formatCpu, formatMemory, memoryBytes, parseQuantity } from "../../../policies/lib/quantity";

describe("parseQuantity", () => {
    it("reads plain numbers, signed, with or without a fraction, and trims spaces around them", () => {
        const cases: [string, number][] = [
            ["1", 1],
            ["0", 0],
            ["0.5", 0.5],
            [".5", 0.5],
            ["1.", 1],
            ["+2", 2],
            ["-2", -2],
            [" 3 ", 3],
        ];
        for (const [q, v] of cases) assert.strictEqual(parseQuantity(q), v, q);
    });

    it("reads every binary suffix as a power of 1024", () => {
        const cases: [string, number][] = [
            ["1Ki", 1024],
            ["1Mi", 1024 ** 2],
            ["1Gi", 1024 ** 3],
            ["1Ti", 1024 ** 4],
            ["1Pi", 1024 ** 5],
            ["1Ei", 1024 ** 6],
            ["256Mi", 268435456],
            ["1.5Ki", 1536],
        ];
        for (const [q, v] of cases) assert.strictEqual(parseQuantity(q), v, q);
    });

    it("reads every decimal suffix as a power of 1000", () => {
        const cases: [string, number][] = [
            ["1n", 1e-9],
            ["1u", 1e-6],
            ["200m", 0.2],
            ["1k", 1e3],
            ["1M", 1e6],
            ["1G", 1e9],
            ["1T", 1e12],
            ["1P", 1e15],
            ["1E", 1e18],
        ];
        for (const [q, v] of cases) assert.strictEqual(parseQuantity(q), v, q);
    });

    it("reads a decimal exponent, either case, with or without a sign", () => {
        const cases: [string, number][] = [
            ["1e3", 1000],
            ["1E3", 1000],
            ["2e0", 2],
            ["1e+3", 1000],
            ["5e-1", 0.5],
            ["1.5e2", 150],
        ];
        for (const [q, v] of cases) assert.strictEqual(parseQuantity(q), v, q);
    });

    it("refuses what Kubernetes refuses: unknown or misspelt suffixes, inner spaces, hex, a bare exponent", () => {
        for (const q of ["", " ", "abc", "1K", "1ki", "1mi", "1MB", "1 Mi", "1Mi2", "1e", "e3", "1e3Mi", "1.2.3", "0x10", "--1", "Mi"]) {
            assert.strictEqual(parseQuantity(q), undefined, JSON.stringify(q));
        }
    });

    it("takes finite numbers as they are, and nothing else that is not a string", () => {
        assert.strictEqual(parseQuantity(0.25), 0.25);
        for (const v of [NaN, Infinity, -Infinity, undefined, null, true, {}, ["1"]]) assert.strictEqual(parseQuantity(v), undefined, String(v));
    });
});

describe("cpuMillis and memoryBytes", () => {
    it("give CPU in whole millicores, rounded to the nearest", () => {
        const cases: [unknown, number][] = [
            ["200m", 200],
            ["1", 1000],
            ["0.1", 100],
            ["1e-3", 1],
            ["0.0015", 2],
            ["0.0014", 1],
            [2, 2000],
        ];
        for (const [q, v] of cases) assert.strictEqual(cpuMillis(q), v, String(q));
        assert.strictEqual(cpuMillis("lots"), undefined);
    });

    it("give memory in whole bytes, rounded to the nearest", () => {
        const cases: [unknown, number][] = [
            ["256Mi", 268435456],
            ["1G", 1e9],
            ["1.5Ki", 1536],
            ["0.4", 0],
            ["0.6", 1],
            ["1500m", 2],
        ];
        for (const [q, v] of cases) assert.strictEqual(memoryBytes(q), v, String(q));
        assert.strictEqual(memoryBytes("1XB"), undefined);
    });
});

describe("formatCpu and formatMemory", () => {
    it("write whole cores as a number and the rest in millicores, rounded up", () => {
        const cases: [number, string][] = [
            [2000, "2"],
            [1000, "1"],
            [0, "0"],
            [1500, "1500m"],
            [999, "999m"],
            [250.2, "251m"],
        ];
        for (const [m, s] of cases) assert.strictEqual(formatCpu(m), s, String(m));
    });

    it("write memory rounded up to a whole Mi, in Gi when it is a whole number of them", () => {
        const cases: [number, string][] = [
            [268435456, "256Mi"],
            [2 * 2 ** 30, "2Gi"],
            [2 ** 30, "1Gi"],
            [1, "1Mi"],
            [2 ** 20 + 1, "2Mi"],
            [1536 * 2 ** 20, "1536Mi"],
            [1023 * 2 ** 20, "1023Mi"],
        ];
        for (const [b, s] of cases) assert.strictEqual(formatMemory(b), s, String(b));
    });
});
