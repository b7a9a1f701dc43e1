import { parseImage } from "../../lib/images";
import { forEachContainer, str } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/**
 * Checklist 1.1.5: images are distroless or minimal where possible: fewer packages, fewer CVEs, no
 * shell for an intruder. The base of an image is not visible in a manifest, so the pack config lists
 * the repositories known to be minimal (distroless, Chainguard, the team's own images built on them),
 * and a tag naming a minimal variant (alpine, slim, distroless …) counts too. Advisory: where no
 * minimal image exists, the warning stays as a reminder.
 */
export const restrictBaseImages = defineRule<{ allowedImages: string[]; minimalTags: string[] }>({
    scope: "resource",
    name: "restrict-base-images",
    description:
        "Every container image is a known minimal image: its repository starts with an allowed prefix (distroless, Chainguard, images built on them) or its tag names a minimal variant (alpine, slim, distroless …).",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps:
        "Build the image on gcr.io/distroless (or a Chainguard or alpine/slim base), or use the minimal variant of an upstream image; list repositories built on minimal bases in allowedImages.",
    checklist: ["1.1.5"],
    settings: {
        allowedImages: {
            type: "array",
            items: { type: "string" },
            description: "Prefixes of registry/repository known to be minimal images.",
            default: ["gcr.io/distroless/", "cgr.dev/chainguard/", "docker.io/chainguard/", "mcr.microsoft.com/cbl-mariner/distroless/"],
        },
        minimalTags: {
            type: "array",
            items: { type: "string" },
            description: "Words in a tag that name a minimal variant (matched at the start of a dash-, dot- or underscore-separated part).",
            default: ["distroless", "alpine", "slim", "minimal", "static", "chiseled", "scratch"],
        },
    },
    check: (obj, cfg) =>
        forEachContainer(obj, (c) => {
            const image = str(c.container.image);
            if (image === undefined) return undefined;
            const p = parseImage(image);
            const repository = `${p.registry}/${p.repository}`;
            if (cfg.allowedImages.some((prefix) => repository.startsWith(prefix))) return undefined;
            const parts = (p.tag ?? "").toLowerCase().split(/[-_.]/);
            if (cfg.minimalTags.some((w) => parts.some((part) => part.startsWith(w.toLowerCase())))) return undefined;
            return `runs ${repository}${p.tag ? `:${p.tag}` : ""}, which is not a known minimal image; use a distroless or minimal base (or its alpine/slim variant) where one exists`;
        }),
});
