import * as assert from "assert";
import { goDurationMinutes } from "../../../policies/lib/duration";

describe("goDurationMinutes", () => {
    it("reads every unit Go knows, in minutes", () => {
        const cases: [string, number][] = [
            ["2h", 120],
            ["15m", 15],
            ["90s", 1.5],
            ["1500ms", 0.025],
            ["60000000us", 1],
            ["60000000µs", 1],
            ["60000000000ns", 1],
            ["0", 0],
        ];
        for (const [text, minutes] of cases) assert.strictEqual(goDurationMinutes(text), minutes, text);
    });

    it("sums the parts of a compound duration, fractions included, and trims spaces around it", () => {
        assert.strictEqual(goDurationMinutes("1h30m"), 90);
        assert.strictEqual(goDurationMinutes("1.25h"), 75);
        assert.strictEqual(goDurationMinutes(" 15m "), 15);
    });

    it("reads nothing from text that is not wholly a duration", () => {
        for (const text of ["", "15", "x15m", "15mx", "15 m", "1d", "h"])
            assert.strictEqual(goDurationMinutes(text), undefined, JSON.stringify(text));
    });
});
