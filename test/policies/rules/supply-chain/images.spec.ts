import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { parseImage } from "../../../../policies/lib/images";
import { requireImagePullPolicy } from "../../../../policies/rules/supply-chain/requireImagePullPolicy";
import { requireImagePullSecrets } from "../../../../policies/rules/supply-chain/requireImagePullSecrets";
import { requirePinnedImageTag } from "../../../../policies/rules/supply-chain/requirePinnedImageTag";
import { restrictImageRegistries } from "../../../../policies/rules/supply-chain/restrictImageRegistries";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const withImage = (image: string, pullPolicy?: string) =>
    withChange(compliantDeployment(), (x) => {
        x.spec.template.spec.containers[0].image = image;
        if (pullPolicy) x.spec.template.spec.containers[0].imagePullPolicy = pullPolicy;
    });
const DIGEST = "sha256:" + "a".repeat(64);

describe("image policies (4.3.3, 6.3.1, 6.3.2, P.12)", () => {
    it("parses references as the runtime does", () => {
        assert.deepStrictEqual(parseImage("nginx"), { registry: "docker.io", repository: "library/nginx", tag: undefined, digest: undefined });
        assert.deepStrictEqual(parseImage("localhost:5000/a/b:1.2@" + DIGEST), {
            registry: "localhost:5000",
            repository: "a/b",
            tag: "1.2",
            digest: DIGEST,
        });
        assert.deepStrictEqual(parseImage("bitnami/redis:7"), { registry: "docker.io", repository: "bitnami/redis", tag: "7", digest: undefined });
    });

    it("require-pinned-image-tag accepts a version tag or a digest and refuses none or a moving tag", () => {
        assert.deepStrictEqual(violations(requirePinnedImageTag, withImage("nginx:1.27.1")), []);
        assert.deepStrictEqual(violations(requirePinnedImageTag, withImage("nginx@" + DIGEST)), []);
        assert.deepStrictEqual(violations(requirePinnedImageTag, withImage("nginx")), [
            'Deployment voting-api/api: container "api" uses image "nginx" with no tag; pin a version tag or digest',
        ]);
        assert.deepStrictEqual(violations(requirePinnedImageTag, withImage("registry.example.com:5000/nginx:latest")), [
            'Deployment voting-api/api: container "api" uses image "registry.example.com:5000/nginx:latest" with the moving tag "latest"; pin a version tag or digest',
        ]);
    });

    it("require-pinned-image-tag refuses a digest that is not one: @latest, @sha256: with too few or non-hex digits", () => {
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

    it("require-image-pull-policy takes an image with an invalid digest as pinned by tag only", () => {
        assert.deepStrictEqual(violations(requireImagePullPolicy, withImage("web:1.2@latest", "IfNotPresent")), [
            'Deployment voting-api/api: container "api" pulls a tag-pinned image with IfNotPresent; use Always so a moved tag is noticed',
        ]);
    });

    it("restrict-image-registries allows only listed prefixes, and nothing is restricted by default", () => {
        const cfg = { allowedRegistries: ["registry.example.com/voting/", "docker.io/library/"] };
        assert.deepStrictEqual(violations(restrictImageRegistries, compliantDeployment(), cfg), []);
        assert.deepStrictEqual(violations(restrictImageRegistries, withImage("redis:7.4"), cfg), []);
        assert.deepStrictEqual(violations(restrictImageRegistries, withImage("quay.io/evil/miner:1")), []);
        assert.deepStrictEqual(violations(restrictImageRegistries, withImage("quay.io/evil/miner:1"), cfg), [
            'Deployment voting-api/api: container "api" uses image from quay.io/evil/miner, outside the allowed registries (registry.example.com/voting/, docker.io/library/)',
        ]);
    });

    it("require-image-pull-secrets wants pull credentials on the pod or its ServiceAccount for private registries", () => {
        const cfg = { privateRegistries: ["registry.example.com"] };
        const sa = (secrets: unknown[]): K8sObject => ({
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: { name: "api", namespace: "voting-api" },
            imagePullSecrets: secrets,
        });
        const named = withChange(compliantDeployment(), (x) => (x.spec.template.spec.serviceAccountName = "api"));
        assert.deepStrictEqual(violations(requireImagePullSecrets, [named, sa([{ name: "regcred" }])], cfg), []);
        assert.deepStrictEqual(
            violations(requireImagePullSecrets, [withChange(named, (x) => (x.spec.template.spec.imagePullSecrets = [{ name: "regcred" }]))], cfg),
            [],
        );
        assert.deepStrictEqual(violations(requireImagePullSecrets, [named, sa([])], cfg), [
            "Deployment voting-api/api: pulls registry.example.com/voting/api:0.5.1 from a private registry without imagePullSecrets on the pod or ServiceAccount api",
        ]);
    });

    it("require-image-pull-policy fits the policy to the reference", () => {
        assert.deepStrictEqual(violations(requireImagePullPolicy, compliantDeployment()), []);
        assert.deepStrictEqual(violations(requireImagePullPolicy, withImage("nginx@" + DIGEST, "IfNotPresent")), []);
        assert.deepStrictEqual(violations(requireImagePullPolicy, withImage("nginx@" + DIGEST, "Always")), [
            'Deployment voting-api/api: container "api" pulls a digest-pinned image with Always; IfNotPresent is enough',
        ]);
        assert.deepStrictEqual(violations(requireImagePullPolicy, withImage("nginx:1.27", "IfNotPresent")), [
            'Deployment voting-api/api: container "api" pulls a tag-pinned image with IfNotPresent; use Always so a moved tag is noticed',
        ]);
    });
});
