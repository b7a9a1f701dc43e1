import * as assert from "assert";
import { requireImageDigest } from "../../../../policies/rules/supply-chain/requireImageDigest";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const CFG = { registries: ["registry.example.com"], scannedAnnotation: "voting-platform.io/image-scan" };
const DIGEST = "sha256:" + "b".repeat(64);

describe("require-image-digest (1.1.4, 7.4.2)", () => {
    it("accepts a digest-pinned image from a scanned registry, and images from other registries", () => {
        const pinned = withChange(
            compliantDeployment(),
            (x) => (x.spec.template.spec.containers[0].image = `registry.example.com/voting/api:0.5.1@${DIGEST}`),
        );
        assert.deepStrictEqual(violations(requireImageDigest, pinned, CFG), []);
        const other = withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].image = "docker.io/library/redis:7.4.1"));
        assert.deepStrictEqual(violations(requireImageDigest, other, CFG), []);
    });

    it("refuses a tag-only image from a scanned registry unless the workload records its scan", () => {
        assert.deepStrictEqual(violations(requireImageDigest, compliantDeployment(), CFG), [
            'Deployment voting-api/api: container "api" runs registry.example.com/voting/api:0.5.1 without a digest; pin the scanned image as @sha256:…',
        ]);
        const scanned = withChange(
            compliantDeployment(),
            (x) => (x.metadata!.annotations = { "voting-platform.io/image-scan": "trivy:2026-11-27:0-high-0-critical" }),
        );
        assert.deepStrictEqual(violations(requireImageDigest, scanned, CFG), []);
        assert.deepStrictEqual(violations(requireImageDigest, compliantDeployment()), [], "no registries configured: off");
    });

    it("refuses an image whose digest is not a sha256 digest (@latest, @sha256:not-a-digest)", () => {
        for (const ref of ["registry.example.com/voting/api@latest", "registry.example.com/voting/api@sha256:not-a-digest"]) {
            const d = withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].image = ref));
            assert.deepStrictEqual(violations(requireImageDigest, d, CFG), [
                `Deployment voting-api/api: container "api" runs ${ref} without a digest; pin the scanned image as @sha256:…`,
            ]);
        }
    });
});
