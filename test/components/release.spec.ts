import * as assert from "assert";
import { releaseSuffix } from "../../components/release";

describe("releaseSuffix", () => {
    it("gives the same suffix for the same release and another for the next one", () => {
        assert.strictEqual(releaseSuffix({ release: "3f1c2a9" }), releaseSuffix({ release: "3f1c2a9" }));
        assert.notStrictEqual(releaseSuffix({ release: "3f1c2a9" }), releaseSuffix({ release: "3f1c2aa" }));
        assert.match(releaseSuffix({ release: "3f1c2a9" }), /^[0-9a-f]{8}$/);
    });

    it("makes every run its own release when the stack sets none", () => {
        assert.notStrictEqual(
            releaseSuffix({}, () => 1),
            releaseSuffix({}, () => 2),
        );
    });
});
