import * as assert from "assert";
import { restrictImageRegistries } from "../../../../policies/rules/supply-chain/restrictImageRegistries";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const withImage = (image: string) => withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].image = image));
const CFG = { allowedRegistries: ["registry.example.com/voting/", "docker.io/library/"] };
const OUTSIDE = "outside the allowed registries (registry.example.com/voting/, docker.io/library/)";

describe(restrictImageRegistries.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(restrictImageRegistries, asKind(k), CFG), [], k);
    });

    it("restricts nothing when no registry is listed", () => {
        assert.deepStrictEqual(violations(restrictImageRegistries, withImage("quay.io/evil/miner:1")), []);
    });

    it("allows a listed prefix, Docker Hub's official images by their short name and legacy host included", () => {
        for (const image of [
            "registry.example.com/voting/api:1",
            "redis:7.4",
            "docker.io/library/redis:7.4",
            "index.docker.io/library/redis:7.4",
            "index.docker.io/redis",
        ]) {
            assert.deepStrictEqual(violations(restrictImageRegistries, withImage(image), CFG), [], image);
        }
    });

    it("refuses an image outside every prefix, even one that shares the registry", () => {
        assert.deepStrictEqual(violations(restrictImageRegistries, withImage("quay.io/evil/miner:1"), CFG), [
            `Deployment voting-api/api: container "api" uses image from quay.io/evil/miner, ${OUTSIDE}`,
        ]);
        assert.deepStrictEqual(violations(restrictImageRegistries, withImage("registry.example.com/other/api:1"), CFG), [
            `Deployment voting-api/api: container "api" uses image from registry.example.com/other/api, ${OUTSIDE}`,
        ]);
        assert.deepStrictEqual(violations(restrictImageRegistries, withImage("bitnami/redis:7"), CFG), [
            `Deployment voting-api/api: container "api" uses image from docker.io/bitnami/redis, ${OUTSIDE}`,
        ]);
    });

    it("refuses an image from an unlisted registry on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.containers[0].image = "quay.io/evil/miner:1"))) {
            assert.deepStrictEqual(violations(restrictImageRegistries, obj, CFG), [
                `${named(obj)}: container "api" uses image from quay.io/evil/miner, ${OUTSIDE}`,
            ]);
        }
    });

    it("refuses a container with no image as an image from Docker Hub", () => {
        const d = withChange(compliantDeployment(), (x) => delete x.spec.template.spec.containers[0].image);
        assert.deepStrictEqual(violations(restrictImageRegistries, d, { allowedRegistries: ["registry.example.com/"] }), [
            'Deployment voting-api/api: container "api" uses image from docker.io/library/, outside the allowed registries (registry.example.com/)',
        ]);
    });
});
