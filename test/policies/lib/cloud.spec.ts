import * as assert from "assert";
import { at, bucketName, isoDays, isWorldCidr, label, minorOf, ofType, secondsToDays, str } from "../../../policies/lib/cloud";
import type { CloudResource } from "../../../policies/lib/rule";

const bucket: CloudResource = { type: "aws:s3/bucket:Bucket", name: "backups", props: { bucket: "voting-backups", tags: { a: { b: 1 } } } };

describe("cloud resource helpers", () => {
    it("ofType takes one type exactly, or any of a list", () => {
        const v2: CloudResource = { type: "aws:s3/bucketV2:BucketV2", name: "v2", props: {} };
        assert.deepStrictEqual(ofType([bucket, v2], "aws:s3/bucketV2:BucketV2"), [v2]);
        assert.deepStrictEqual(ofType([bucket, v2], "aws:s3/bucket:BucketV"), []);
        assert.deepStrictEqual(ofType([bucket, v2], ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]), [bucket, v2]);
    });

    it("at follows a path into a resource's props, or into a plain record", () => {
        assert.strictEqual(at(bucket, "tags", "a", "b"), 1);
        assert.strictEqual(at({ props: { x: 1 } }, "props", "x"), 1);
        assert.strictEqual(at({ list: ["p", "q"] }, "list", 1), "q");
    });

    it("at gives undefined where a step is missing, null or not an object", () => {
        assert.strictEqual(at(bucket, "tags", "z", "b"), undefined);
        assert.strictEqual(at({ a: null }, "a", "b"), undefined);
        assert.strictEqual(at({ a: "xyz" }, "a", "length"), undefined);
        assert.strictEqual(at("xyz" as unknown as Record<string, unknown>, "length"), undefined);
        assert.strictEqual(at(undefined, "a"), undefined);
    });

    it("str keeps strings only; label names a resource by the last part of its type", () => {
        assert.deepStrictEqual([str("a"), str(5), str(undefined)], ["a", undefined, undefined]);
        assert.strictEqual(label(bucket), "Bucket backups");
    });

    it("bucketName reads bucket, else id", () => {
        assert.strictEqual(bucketName(bucket), "voting-backups");
        assert.strictEqual(bucketName({ type: "aws:s3/bucketVersioning:BucketVersioning", name: "v", props: { id: "by-id" } }), "by-id");
        assert.strictEqual(bucketName({ type: "t", name: "n", props: { bucket: 5 } }), undefined);
    });

    it("secondsToDays reads a GCP duration in seconds, fractions included, and nothing else", () => {
        assert.strictEqual(secondsToDays("7776000s"), 90);
        assert.strictEqual(secondsToDays("86400.25s"), 86400.25 / 86400);
        for (const v of ["x86400s", "86400sx", "86400", "86400.s", ["86400s"], 86400])
            assert.strictEqual(secondsToDays(v), undefined, JSON.stringify(v));
    });

    it("isoDays counts years as 365 days, months as 30, weeks as 7", () => {
        const cases: [string, number][] = [
            ["P90D", 90],
            ["P1Y2M3W4D", 450],
            ["P10Y", 3650],
            ["P12M", 360],
            ["P10W", 70],
            ["P1Y", 365],
        ];
        for (const [v, days] of cases) assert.strictEqual(isoDays(v), days, v);
    });

    it("isoDays reads nothing from an empty period, a time part or text around it", () => {
        for (const v of ["P", "P90", "xP90D", "P90Dx", "PT24H", "P1D2Y", ["P90D"], 90]) assert.strictEqual(isoDays(v), undefined, JSON.stringify(v));
    });

    it("isWorldCidr is true for the IPv4 and IPv6 whole internet only", () => {
        assert.deepStrictEqual(["0.0.0.0/0", "::/0", "10.0.0.0/8", "", "0.0.0.0/1"].map(isWorldCidr), [true, true, false, false, false]);
    });

    it("minorOf reads the minor of 1.x versions, with a v, a patch or a vendor suffix", () => {
        const cases: [unknown, number | undefined][] = [
            ["1.30", 30],
            ["v1.29.3", 29],
            ["1.30.12", 30],
            ["1.30.0-eks-1", 30],
            ["1.30-gke.1", 30],
            ["1.30-eks-1", 30],
            ["x1.30", undefined],
            ["1.30x", undefined],
            ["2.1", undefined],
            ["1.", undefined],
            [["1.30"], undefined],
            [1.3, undefined],
        ];
        for (const [v, minor] of cases) assert.strictEqual(minorOf(v), minor, JSON.stringify(v));
    });
});
