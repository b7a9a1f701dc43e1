import { forEachContainer, str, text } from "../../lib/k8s";
import { isPinnedByDigest, parseImage } from "../../lib/images";
import { defineRule } from "../../lib/rule";

/** P.12: a digest never changes, so IfNotPresent is right; a tag can move, so Always re-checks it. */
export const requireImagePullPolicy = defineRule({
    scope: "resource",
    name: "require-image-pull-policy",
    description: "imagePullPolicy fits the reference: IfNotPresent for images pinned by digest, Always for images pinned only by tag.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Set imagePullPolicy: IfNotPresent for name@sha256:… images and Always for tag-only images.",
    checklist: ["P.12"],
    kinds: "workloads",
    check: (obj) =>
        forEachContainer(obj, (c) => {
            const p = parseImage(str(c.container.image) ?? "");
            const policy = c.container.imagePullPolicy;
            if (isPinnedByDigest(p)) return policy === "Always" ? "pulls a digest-pinned image with Always; IfNotPresent is enough" : undefined;
            return policy === "Always"
                ? undefined
                : `pulls a tag-pinned image with ${policy === undefined ? "the default policy" : text(policy)}; use Always so a moved tag is noticed`;
        }),
});
