import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { restrictBaseImages } from "../../../../policies/rules/supply-chain/restrictBaseImages";
import { asPodKind, containerOf, POD_KINDS, specOf } from "../../../helpers/dataFixtures";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers, registryMutantWarnings } from "../../../helpers/registryMutants";

const running = (image: string, base: K8sObject = compliantDeployment()) => withChange(base, (x) => (containerOf(x).image = image));
const check = (obj: K8sObject, cfg: Record<string, unknown> = {}) => violations(restrictBaseImages, obj, cfg);
const NOT_MINIMAL = (image: string, kind = "Deployment") =>
    `${kind} voting-api/api: container "api" runs ${image}, which is not a known minimal image; use a distroless or minimal base (or its alpine/slim variant) where one exists`;

describe(restrictBaseImages.name, () => {
    it("accepts distroless and Chainguard images, on every kind that runs pods", () => {
        for (const kind of POD_KINDS) {
            assert.deepStrictEqual(check(asPodKind(kind, running("gcr.io/distroless/python3-debian12:nonroot"))), [], kind);
            assert.deepStrictEqual(check(asPodKind(kind, running("cgr.dev/chainguard/nginx@sha256:0123"))), [], kind);
        }
    });

    it("accepts a minimal variant named by the tag, and refuses the full one", () => {
        for (const image of [
            "postgres:16.4-alpine3.20",
            "python:3.12-slim-bookworm",
            "nginx:1.27-alpine-slim",
            "ubuntu/python:3.12-24.04_chiseled",
        ]) {
            assert.deepStrictEqual(check(running(image)), [], image);
        }
        assert.deepStrictEqual(check(running("postgres:16.4-bookworm")), [NOT_MINIMAL("docker.io/library/postgres:16.4-bookworm")]);
        assert.deepStrictEqual(check(running("python")), [NOT_MINIMAL("docker.io/library/python")]);
    });

    it("refuses a full image on every kind that runs pods, init containers included", () => {
        for (const kind of POD_KINDS) {
            assert.deepStrictEqual(check(asPodKind(kind, running("ubuntu:24.04"))), [NOT_MINIMAL("docker.io/library/ubuntu:24.04", kind)]);
        }
        const init = withChange(running("gcr.io/distroless/static"), (x) => (specOf(x).initContainers = [{ name: "setup", image: "debian:12" }]));
        assert.deepStrictEqual(check(init), [
            'Deployment voting-api/api: init container "setup" runs docker.io/library/debian:12, which is not a known minimal image; use a distroless or minimal base (or its alpine/slim variant) where one exists',
        ]);
    });

    it("takes the allow-list and the tag words from the settings", () => {
        const own = running("registry.example.com/voting/api:0.5.1");
        assert.deepStrictEqual(check(own), [NOT_MINIMAL("registry.example.com/voting/api:0.5.1")]);
        assert.deepStrictEqual(check(own, { allowedImages: ["registry.example.com/voting/"] }), []);
        assert.deepStrictEqual(check(running("postgres:16-alpine"), { minimalTags: ["distroless"] }), [
            NOT_MINIMAL("docker.io/library/postgres:16-alpine"),
        ]);
    });

    it("only warns by default: the checklist makes 1.1.5 advisory", () => {
        assert.strictEqual(restrictBaseImages.enforcementLevel, "advisory");
    });

    it("warns on the registry's mutant of 1.1.5 on the rendered prod stack, and blocks nothing there", async () => {
        const name = "the API moves to a full Debian image";
        assert.deepStrictEqual(await registryMutantWarnings("1.1.5", name), [
            `restrict-base-images: ${NOT_MINIMAL("docker.io/library/python:3.12-bookworm")}`,
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("1.1.5", name), []);
    });
});
