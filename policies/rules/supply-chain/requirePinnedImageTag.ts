import { forEachContainer, str } from "../../lib/k8s";
import { isPinnedByDigest, parseImage } from "../../lib/images";
import { defineRule } from "../../lib/rule";

const MUTABLE = ["latest", "main", "master", "stable", "edge", "dev"];

/** Checklist 4.3.3: images are pinned, so what runs is what was reviewed and a rollback returns to the same bits. */
export const requirePinnedImageTag = defineRule({
    scope: "resource",
    name: "require-pinned-image-tag",
    description: "Every container image is pinned by a version tag or a digest; no tag, or a moving tag such as latest, is refused.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Reference images as registry/repository:1.2.3 (and @sha256:… where possible); let an update bot propose new tags.",
    checklist: ["4.3.3"],
    peers: { polaris: ["tagNotSpecified"], "kube-score": ["container-image-tag"], "kube-linter": ["latest-tag"], kyverno: ["disallow-latest-tag"] },
    kinds: "workloads",
    check: (obj) =>
        forEachContainer(obj, (c) => {
            const image = str(c.container.image) ?? "";
            if (!image) return "has no image";
            const p = parseImage(image);
            if (isPinnedByDigest(p)) return undefined;
            if (p.digest !== undefined)
                return `uses image ${JSON.stringify(image)} whose digest ${JSON.stringify(p.digest)} is not one; pin sha256: and 64 hex digits, or a version tag`;
            if (!p.tag) return `uses image ${JSON.stringify(image)} with no tag; pin a version tag or digest`;
            if (MUTABLE.includes(p.tag.toLowerCase()))
                return `uses image ${JSON.stringify(image)} with the moving tag "${p.tag}"; pin a version tag or digest`;
            return undefined;
        }),
});
