import { IMAGE_SCAN_ANNOTATION } from "../../lib/annotations";
import { forEachContainer, annotationsOf, str } from "../../lib/k8s";
import { parseImage, isPinnedByDigest } from "../../lib/images";
import { defineRule } from "../../lib/rule";

/**
 * Checklist 1.1.4, 7.4.2: what runs is exactly what the scan passed. Images from the configured
 * registries are pinned by digest (the digest the scanner attested), or carry the scan annotation.
 */
export const requireImageDigest = defineRule<{ registries: string[]; scannedAnnotation: string }>({
    scope: "resource",
    name: "require-image-digest",
    description:
        "Images from the configured registries are pinned by sha256 digest, so the image that runs is the image that was scanned (or the workload carries the scan annotation).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Scan the image (trivy image --severity HIGH,CRITICAL --exit-code 1), then set its digest in config (images.<name>.digest); or annotate the workload with the scan reference.",
    checklist: ["1.1.4", "1.3.2", "7.4.2", "7.4.4"],
    settings: {
        registries: {
            type: "array",
            items: { type: "string", minLength: 1 },
            description: "Registries whose images must be pinned by digest.",
            default: [],
        },
        scannedAnnotation: {
            type: "string",
            description: "Annotation that records a passed scan instead of a digest.",
            default: IMAGE_SCAN_ANNOTATION,
        },
    },
    kinds: "workloads",
    check: (obj, cfg) => {
        if (cfg.registries.length === 0 || annotationsOf(obj)[cfg.scannedAnnotation]) return [];
        return forEachContainer(obj, (c) => {
            const image = str(c.container.image) ?? "";
            const p = parseImage(image);
            if (!cfg.registries.includes(p.registry) || isPinnedByDigest(p)) return undefined;
            return `runs ${image} without a digest; pin the scanned image as @sha256:…`;
        });
    },
});
