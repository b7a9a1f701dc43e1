import * as assert from "assert";
import { requireImagePullPolicy } from "../../../../policies/rules/supply-chain/requireImagePullPolicy";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const DIGEST = "sha256:" + "a".repeat(64);
const withImage = (image: string, pullPolicy?: string) =>
    withChange(compliantDeployment(), (x) => {
        x.spec.template.spec.containers[0].image = image;
        if (pullPolicy) x.spec.template.spec.containers[0].imagePullPolicy = pullPolicy;
        else delete x.spec.template.spec.containers[0].imagePullPolicy;
    });

describe(requireImagePullPolicy.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(requireImagePullPolicy, asKind(k)), [], k);
    });

    it("accepts IfNotPresent, Never or the default for a digest, and refuses Always", () => {
        for (const p of ["IfNotPresent", "Never", undefined])
            assert.deepStrictEqual(violations(requireImagePullPolicy, withImage(`nginx@${DIGEST}`, p)), [], p);
        assert.deepStrictEqual(violations(requireImagePullPolicy, withImage(`nginx:1.27@${DIGEST}`, "Always")), [
            'Deployment voting-api/api: container "api" pulls a digest-pinned image with Always; IfNotPresent is enough',
        ]);
    });

    it("accepts Always for a tag, and refuses any other policy or none", () => {
        assert.deepStrictEqual(violations(requireImagePullPolicy, withImage("nginx:1.27", "Always")), []);
        assert.deepStrictEqual(violations(requireImagePullPolicy, withImage("nginx:1.27", "IfNotPresent")), [
            'Deployment voting-api/api: container "api" pulls a tag-pinned image with IfNotPresent; use Always so a moved tag is noticed',
        ]);
        assert.deepStrictEqual(violations(requireImagePullPolicy, withImage("nginx:1.27")), [
            'Deployment voting-api/api: container "api" pulls a tag-pinned image with the default policy; use Always so a moved tag is noticed',
        ]);
    });

    it("refuses a tag pulled IfNotPresent on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.containers[0].imagePullPolicy = "IfNotPresent"))) {
            assert.deepStrictEqual(violations(requireImagePullPolicy, obj), [
                `${named(obj)}: container "api" pulls a tag-pinned image with IfNotPresent; use Always so a moved tag is noticed`,
            ]);
        }
    });

    it("takes an image with an invalid digest as pinned by its tag only", () => {
        assert.deepStrictEqual(violations(requireImagePullPolicy, withImage("web:1.2@latest", "IfNotPresent")), [
            'Deployment voting-api/api: container "api" pulls a tag-pinned image with IfNotPresent; use Always so a moved tag is noticed',
        ]);
    });
});
