import * as assert from "assert";
import { requireImageDigest } from "../../../../policies/rules/supply-chain/requireImageDigest";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const CFG = { registries: ["registry.example.com"], scannedAnnotation: "voting-platform.io/image-scan" };
const DIGEST = "sha256:" + "b".repeat(64);
const withImage = (image: string) => withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].image = image));
const unpinned = (image: string) => `Deployment voting-api/api: container "api" runs ${image} without a digest; pin the scanned image as @sha256:…`;

describe(requireImageDigest.name, () => {
    it("accepts a digest-pinned image from a scanned registry on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.containers[0].image = `registry.example.com/voting/api:0.5.1@${DIGEST}`))) {
            assert.deepStrictEqual(violations(requireImageDigest, obj, CFG), [], obj.kind);
        }
    });

    it("accepts images from other registries", () => {
        assert.deepStrictEqual(violations(requireImageDigest, withImage("docker.io/library/redis:7.4.1"), CFG), []);
    });

    it("refuses a digest that is not a full sha256", () => {
        for (const d of [
            "sha256:" + "b".repeat(63),
            "sha256:" + "B".repeat(64),
            "sha512:" + "b".repeat(64),
            "sha256:" + "b".repeat(65),
            "sha256:not-a-digest",
            "latest",
        ]) {
            const image = `registry.example.com/voting/api@${d}`;
            assert.deepStrictEqual(violations(requireImageDigest, withImage(image), CFG), [unpinned(image)], d);
        }
    });

    it("refuses a tag-only image from a scanned registry unless the workload records its scan", () => {
        assert.deepStrictEqual(violations(requireImageDigest, compliantDeployment(), CFG), [unpinned("registry.example.com/voting/api:0.5.1")]);
        const scanned = withChange(compliantDeployment(), (x) => (x.metadata!.annotations = { "voting-platform.io/image-scan": "trivy:2026-11-27" }));
        assert.deepStrictEqual(violations(requireImageDigest, scanned, CFG), []);
        const empty = withChange(compliantDeployment(), (x) => (x.metadata!.annotations = { "voting-platform.io/image-scan": "" }));
        assert.deepStrictEqual(violations(requireImageDigest, empty, CFG), [unpinned("registry.example.com/voting/api:0.5.1")]);
        assert.deepStrictEqual(violations(requireImageDigest, compliantDeployment()), [], "no registries configured: off");
    });

    it("refuses a tag-only image from a scanned registry on every kind that runs pods", () => {
        for (const k of POD_KINDS) {
            const obj = asKind(k);
            assert.deepStrictEqual(violations(requireImageDigest, obj, CFG), [
                `${named(obj)}: container "api" runs registry.example.com/voting/api:0.5.1 without a digest; pin the scanned image as @sha256:…`,
            ]);
        }
    });
});
