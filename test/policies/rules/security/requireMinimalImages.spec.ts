import * as assert from "assert";
import * as path from "path";
import { resolveRules } from "../../../../policies/lib/evaluate";
import { parseImage } from "../../../../policies/lib/images";
import { containersOf, podTemplate, type K8sObject } from "../../../../policies/lib/k8s";
import { MINIMAL_IMAGE_FAMILIES, matchesImage, requireMinimalImages } from "../../../../policies/rules/security/requireMinimalImages";
import { PACK_CONFIG_DIR, readPackConfig } from "../../../../tools/check";
import { kubernetesObjects } from "../../../../tools/lib/render";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS, podSpecOf } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";
import { rendered } from "../../../helpers/render";

const APP = "registry.example.com/voting/api";
const CFG = { minimalImages: [...MINIMAL_IMAGE_FAMILIES, APP] };
const DIGEST = `sha256:${"ab".repeat(32)}`;
const FIX =
    "which matches no pattern of minimalImages; switch to a distroless, Chainguard, -alpine or -slim variant, or list the image under nonMinimalImages with the reason it has none";
const refused = (image: string, container = 'container "api"', obj = "Deployment voting-api/api") => `${obj}: ${container} runs ${image}, ${FIX}`;

const withImage = (image: string) => withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].image = image));
/** The compliant pod with an init container and a restartable (sidecar) init container, both on minimal images. */
const withInits = (obj: K8sObject, migrate = "cgr.dev/chainguard/psql:16", proxy = "gcr.io/distroless/static-debian12:nonroot") => {
    podSpecOf(obj).initContainers = [
        { name: "migrate", image: migrate },
        { name: "proxy", image: proxy, restartPolicy: "Always" },
    ];
    return obj;
};
/** Whether the rule, with the given patterns only, accepts the image. */
const accepted = (image: string, minimalImages: string[]) => violations(requireMinimalImages, withImage(image), { minimalImages }).length === 0;

describe(requireMinimalImages.name, () => {
    it("accepts the compliant pod, with an init container and a sidecar on minimal images, on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(requireMinimalImages, withInits(asKind(k)), CFG), [], k);
    });

    it("accepts, with its defaults, distroless, Chainguard, Azure Linux distroless, UBI micro, Alpine, BusyBox and -alpine, -slim and distroless tags", () => {
        for (const image of [
            "gcr.io/distroless/static-debian12:nonroot",
            "gcr.io/distroless/python3-debian12",
            "cgr.dev/chainguard/nginx:latest",
            "chainguard/redis:latest",
            "mcr.microsoft.com/azurelinux/distroless/base:3.0",
            "registry.access.redhat.com/ubi9/ubi-micro:9.4",
            "registry.access.redhat.com/ubi9-micro:9.4",
            "alpine:3.20",
            "busybox:1.37",
            "redis:alpine",
            "redis:alpine3.20",
            "redis:7.4.1-alpine",
            "python:3.12-alpine3.20",
            "nginx:1.27-alpine-slim",
            "python:3.12-slim",
            "python:3.12-slim-bookworm",
            "debian:bookworm-slim",
            "node:slim",
            "envoyproxy/envoy:distroless-v1.31.2",
            "quay.io/example/app:1.0-alpine",
        ]) {
            assert.deepStrictEqual(violations(requireMinimalImages, withImage(image)), [], image);
        }
    });

    it("refuses, with its defaults, full Debian and Ubuntu images, tags that only contain alpine inside a word, and an app image nobody listed", () => {
        for (const image of [
            "redis:7.4.1-bookworm",
            "docker.io/library/postgres:16.4",
            "ubuntu:24.04",
            "nginx",
            "app:1-notalpine",
            "app:slimline-1",
            "app:alpinelike",
            "app:1-distrolessish",
            "gcr.io/distroless-fake/static:1",
            "cgr.dev/chainguardian/nginx:1",
            APP + ":0.5.1",
        ]) {
            assert.deepStrictEqual(violations(requireMinimalImages, withImage(image)), [refused(image)], image);
        }
        for (const image of ["app:slim-1", "nginx:alpine-slim", "nginx:1.27-alpine3.20-slim", "nginx:stable-alpine-slim", "app:1-distroless"]) {
            assert.ok(accepted(image, [...MINIMAL_IMAGE_FAMILIES]), image);
        }
    });

    it("refuses a full image on every kind that runs pods, naming the object, the container and the image", () => {
        for (const obj of inEveryKind((s) => (s.containers[0].image = "ubuntu:24.04"))) {
            assert.deepStrictEqual(violations(requireMinimalImages, obj, CFG), [refused("ubuntu:24.04", 'container "api"', named(obj))]);
        }
    });

    it("judges init containers and sidecars, each named, but not ephemeral debug containers", () => {
        const obj = withInits(compliantDeployment(), "postgres:16.4-bookworm", "envoyproxy/envoy:v1.31.2");
        podSpecOf(obj).ephemeralContainers = [{ name: "debugger", image: "ubuntu:24.04", targetContainerName: "api" }];
        assert.deepStrictEqual(violations(requireMinimalImages, obj, CFG), [
            refused("postgres:16.4-bookworm", 'init container "migrate"'),
            refused("envoyproxy/envoy:v1.31.2", 'init container "proxy"'),
        ]);
    });

    it("matches a tag pattern against the tag of a digest-pinned image, whatever the digest", () => {
        assert.deepStrictEqual(violations(requireMinimalImages, withImage(`redis:7.4.1-alpine@${DIGEST}`), CFG), []);
        assert.deepStrictEqual(violations(requireMinimalImages, withImage(`redis:7.4.1-bookworm@${DIGEST}`), CFG), [
            refused(`redis:7.4.1-bookworm@${DIGEST}`),
        ]);
    });

    it("accepts a digest-only image through a pattern without a tag, and refuses it where only a tag pattern could match, saying a digest names no variant", () => {
        assert.deepStrictEqual(violations(requireMinimalImages, withImage(`${APP}@${DIGEST}`), CFG), []);
        assert.deepStrictEqual(violations(requireMinimalImages, withImage(`redis@${DIGEST}`), CFG), [
            `Deployment voting-api/api: container "api" runs redis@${DIGEST}, which matches no pattern of minimalImages (a digest alone names no variant: keep the tag beside it); switch to a distroless, Chainguard, -alpine or -slim variant, or list the image under nonMinimalImages with the reason it has none`,
        ]);
    });

    it("reads an image without tag or digest as latest", () => {
        assert.ok(accepted("nginx", ["nginx:latest"]));
        assert.ok(!accepted("nginx", ["nginx:*-alpine"]));
        assert.ok(!accepted(`nginx@${DIGEST}`, ["nginx:latest"]));
        assert.ok(!accepted(`nginx@${DIGEST}`, ["nginx:*"]), "a digest alone has no tag for any tag pattern to match");
    });

    it("reads a registry's port as no tag, in images and in patterns", () => {
        const patterns = ["registry.local:5000/voting/api", "localhost:5000/base/*:*-slim", "localhost/voting/worker"];
        for (const image of [
            "registry.local:5000/voting/api",
            "registry.local:5000/voting/api:1.0",
            `registry.local:5000/voting/api@${DIGEST}`,
            `registry.local:5000/voting/api:1.0@${DIGEST}`,
            "localhost:5000/base/python:3.12-slim",
            "localhost/voting/worker:1.0",
        ]) {
            assert.ok(accepted(image, patterns), image);
        }
        for (const image of [
            "registry.local:5001/voting/api:1.0",
            "registry.local/voting/api:1.0",
            "registry.local:5000/voting/api-debug:1.0",
            "localhost:5000/base/python:3.12",
        ]) {
            assert.ok(!accepted(image, patterns), image);
        }
        assert.deepStrictEqual(parseImage("registry.local:5000/voting/api"), {
            registry: "registry.local:5000",
            repository: "voting/api",
            tag: undefined,
            digest: undefined,
        });
    });

    it("keeps * within one path segment and lets ** span segments and registries", () => {
        assert.ok(accepted("registry.example.com/base/python:3", ["registry.example.com/base/*"]));
        assert.ok(!accepted("registry.example.com/base/python/dev:3", ["registry.example.com/base/*"]));
        assert.ok(accepted("registry.example.com/base/python/dev:3", ["registry.example.com/base/**"]));
        assert.ok(accepted("123456789012.dkr.ecr.eu-west-1.amazonaws.com/voting/api:1", ["*.dkr.ecr.*.amazonaws.com/voting/*"]));
        assert.ok(!accepted("123456789012.dkr.ecr.eu-west-1.amazonaws.com/voting/api:1", ["*.dkr.ecr.*.amazonaws.com/other/*"]));
        assert.ok(accepted("quay.io/org/team/app:1-alpine", ["**:*-alpine"]));
        assert.ok(!accepted("quay.io/org/team/app:1-alpine", ["*:*-alpine"]), "*:… names Docker Hub's official images only");
        assert.ok(accepted("redis:7-alpine", ["*:*-alpine"]));
        assert.ok(accepted("quay.io/bitnami/redis:7", ["**redis"]), "a leading ** spans registries without a slash too");
    });

    it("reads Docker Hub's short names alike in patterns and images, and treats dots in patterns literally", () => {
        for (const image of ["redis:7-alpine", "docker.io/library/redis:7-alpine"]) assert.ok(accepted(image, ["redis:*-alpine"]), image);
        assert.ok(accepted("redis:7-alpine", ["docker.io/library/redis:*-alpine"]));
        assert.ok(accepted("bitnami/redis:7", ["bitnami/redis"]));
        assert.ok(accepted("redis:7", ["redis"]));
        assert.ok(!accepted("bitnami/redis:7", ["redis"]));
        assert.ok(!accepted("gcrxio/distroless/static:1", ["gcr.io/distroless/**"]));
        assert.strictEqual(matchesImage("docker.io/library/redis", "redis:7"), true);
    });

    it("accepts an image nonMinimalImages lists with its reason, and only that one", () => {
        const cfg = { ...CFG, nonMinimalImages: { "docker.io/library/postgres:*-bookworm": "the data directory's collation is glibc's" } };
        assert.deepStrictEqual(violations(requireMinimalImages, withImage("postgres:16.4-bookworm"), cfg), []);
        assert.deepStrictEqual(violations(requireMinimalImages, withImage("postgres:16.4"), cfg), [refused("postgres:16.4")]);
        assert.deepStrictEqual(violations(requireMinimalImages, withImage("redis:7.4.1-bookworm"), cfg), [refused("redis:7.4.1-bookworm")]);
        const padded = { ...CFG, nonMinimalImages: { " docker.io/library/postgres:*-bookworm ": "the data directory's collation is glibc's" } };
        assert.deepStrictEqual(
            violations(requireMinimalImages, withImage("postgres:16.4-bookworm"), padded),
            [],
            "blanks around a pattern are not part of it",
        );
    });

    it("leaves a container without an image to the API server, which refuses it", () => {
        const d = withChange(compliantDeployment(), (x) => delete x.spec.template.spec.containers[0].image);
        assert.deepStrictEqual(violations(requireMinimalImages, d, CFG), []);
    });

    it("refuses a pack config that lists an exception without a reason or a pattern with a digest", () => {
        assert.throws(() => resolveRules([requireMinimalImages], { "require-minimal-images": { nonMinimalImages: { "postgres:*-bookworm": "" } } }), {
            message: 'pack config gives policy "require-minimal-images" a bad setting: nonMinimalImages["postgres:*-bookworm"] must not be empty',
        });
        assert.throws(() => resolveRules([requireMinimalImages], { "require-minimal-images": { minimalImages: [`redis@${DIGEST}`] } }), {
            message: `pack config gives policy "require-minimal-images" a bad setting: minimalImages[0] must match ^[^@\\s]+$, not ${JSON.stringify(`redis@${DIGEST}`).slice(0, 57)}...`,
        });
    });

    for (const stack of ["prod", "staging"]) {
        it(`accepts every image the rendered ${stack} stack runs with its pack config, whose every non-minimal entry the stack uses`, async function () {
            this.timeout(120_000);
            const objects = kubernetesObjects(await rendered(stack));
            const config = { ...(readPackConfig(path.join(PACK_CONFIG_DIR, `${stack}.json`))["require-minimal-images"] as Record<string, unknown>) };
            delete config.enforcementLevel;
            assert.deepStrictEqual(violations(requireMinimalImages, objects, config), []);
            const images = objects.flatMap((o) => containersOf(podTemplate(o)?.spec).map((c) => String(c.container.image)));
            for (const pattern of Object.keys(config.nonMinimalImages as object)) {
                assert.ok(
                    images.some((i) => matchesImage(pattern, i)),
                    `${pattern} is listed in ${stack}'s nonMinimalImages but no container runs it`,
                );
            }
            assert.ok(violations(requireMinimalImages, objects).length > 0, `the defaults alone accept ${stack}'s images`);
        });
    }
});
