import * as assert from "assert";
import { requirePinnedImageTag } from "../../../../policies/rules/supply-chain/requirePinnedImageTag";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const withImage = (image: unknown) => withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].image = image));
const DIGEST = "sha256:" + "a".repeat(64);

describe(requirePinnedImageTag.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(requirePinnedImageTag, asKind(k)), [], k);
    });

    it("accepts a version tag, a digest, or both, and a registry with a port", () => {
        for (const image of ["nginx:1.27.1", `nginx@${DIGEST}`, `nginx:latest@${DIGEST}`, "registry.example.com:5000/voting/api:0.5.1"]) {
            assert.deepStrictEqual(violations(requirePinnedImageTag, withImage(image)), [], image);
        }
    });

    it("refuses an image with no tag, a registry port being no tag", () => {
        for (const image of ["nginx", "registry.example.com:5000/voting/api"]) {
            assert.deepStrictEqual(violations(requirePinnedImageTag, withImage(image)), [
                `Deployment voting-api/api: container "api" uses image "${image}" with no tag; pin a version tag or digest`,
            ]);
        }
    });

    it("refuses every moving tag, whatever its case", () => {
        for (const tag of ["latest", "main", "master", "stable", "edge", "dev", "LATEST"]) {
            assert.deepStrictEqual(violations(requirePinnedImageTag, withImage(`nginx:${tag}`)), [
                `Deployment voting-api/api: container "api" uses image "nginx:${tag}" with the moving tag "${tag}"; pin a version tag or digest`,
            ]);
        }
    });

    it("refuses a container with no image", () => {
        for (const image of [undefined, ""]) {
            assert.deepStrictEqual(violations(requirePinnedImageTag, withImage(image)), ['Deployment voting-api/api: container "api" has no image']);
        }
    });

    it("refuses a moving tag on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.containers[0].image = "redis:latest"))) {
            assert.deepStrictEqual(violations(requirePinnedImageTag, obj), [
                `${named(obj)}: container "api" uses image "redis:latest" with the moving tag "latest"; pin a version tag or digest`,
            ]);
        }
    });

    it("refuses a digest that is not one: @latest, @sha256: with too few or non-hex digits, and accepts a sha512 digest", () => {
        for (const [image, digest] of [
            ["web@latest", "latest"],
            ["web@sha256:not-a-digest", "sha256:not-a-digest"],
            ["web:1.2@sha256:" + "a".repeat(63), "sha256:" + "a".repeat(63)],
            ["web@sha256:" + "A".repeat(64), "sha256:" + "A".repeat(64)],
        ]) {
            assert.deepStrictEqual(violations(requirePinnedImageTag, withImage(image)), [
                `Deployment voting-api/api: container "api" uses image ${JSON.stringify(image)} whose digest ${JSON.stringify(digest)} is not one; pin sha256: and 64 hex digits, or a version tag`,
            ]);
        }
        assert.deepStrictEqual(violations(requirePinnedImageTag, withImage("web@sha512:" + "b".repeat(128))), []);
    });
});
