import * as assert from "assert";
import { parseImage } from "../../../policies/lib/images";

const DIGEST = "sha256:" + "a".repeat(64);

describe("parseImage", () => {
    it("reads a bare name as a Docker Hub official image", () => {
        assert.deepStrictEqual(parseImage("nginx"), { registry: "docker.io", repository: "library/nginx", tag: undefined, digest: undefined });
        assert.deepStrictEqual(parseImage("  nginx:1.27  "), { registry: "docker.io", repository: "library/nginx", tag: "1.27", digest: undefined });
    });

    it("reads a first part with a dot, a port or localhost as the registry, and anything else as a Docker Hub namespace", () => {
        assert.deepStrictEqual(parseImage("bitnami/redis:7"), { registry: "docker.io", repository: "bitnami/redis", tag: "7", digest: undefined });
        assert.deepStrictEqual(parseImage("ghcr.io/a/b:1"), { registry: "ghcr.io", repository: "a/b", tag: "1", digest: undefined });
        assert.deepStrictEqual(parseImage("registry:5000/b"), { registry: "registry:5000", repository: "b", tag: undefined, digest: undefined });
        assert.deepStrictEqual(parseImage("localhost/b:2"), { registry: "localhost", repository: "b", tag: "2", digest: undefined });
        assert.deepStrictEqual(parseImage("localhost:2"), { registry: "docker.io", repository: "library/localhost", tag: "2", digest: undefined });
        assert.deepStrictEqual(parseImage("my.app"), { registry: "docker.io", repository: "library/my.app", tag: undefined, digest: undefined });
        assert.deepStrictEqual(parseImage("docker.io/redis:7"), { registry: "docker.io", repository: "library/redis", tag: "7", digest: undefined });
        assert.deepStrictEqual(parseImage("index.docker.io/redis:7"), {
            registry: "docker.io",
            repository: "library/redis",
            tag: "7",
            digest: undefined,
        });
        assert.deepStrictEqual(parseImage("index.docker.io/bitnami/redis"), {
            registry: "docker.io",
            repository: "bitnami/redis",
            tag: undefined,
            digest: undefined,
        });
        // Only the legacy host is Docker Hub's other name: registry-1.docker.io is a registry host of its own to a reference.
        assert.deepStrictEqual(parseImage("registry-1.docker.io/redis"), {
            registry: "registry-1.docker.io",
            repository: "redis",
            tag: undefined,
            digest: undefined,
        });
    });

    it("splits the tag from the last colon after the last slash only, and the digest from the @", () => {
        assert.deepStrictEqual(parseImage(`localhost:5000/a/b:1.2@${DIGEST}`), {
            registry: "localhost:5000",
            repository: "a/b",
            tag: "1.2",
            digest: DIGEST,
        });
        assert.deepStrictEqual(parseImage(`ghcr.io/a/b@${DIGEST}`), { registry: "ghcr.io", repository: "a/b", tag: undefined, digest: DIGEST });
    });
});
