import { forEachContainer, record, str } from "../../lib/k8s";
import { parseImage } from "../../lib/images";
import { defineRule } from "../../lib/rule";

/** A pattern of `minimalImages` or `nonMinimalImages`, compiled: the repository glob and the tag glob, if any. */
interface ImagePattern {
    readonly repository: RegExp;
    readonly tag?: RegExp;
}

const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");

/** `**` spans path segments, `*` stays within one (within a tag, which has none, it spans the rest). */
const glob = (text: string): RegExp =>
    new RegExp(
        `^${text
            .split("**")
            .map((part) => part.split("*").map(escape).join("[^/]*"))
            .join(".*")}$`,
    );

/**
 * Reads a pattern as an image reference is read: the tag follows the last `:` after the last `/` (so a
 * registry's port is no tag); a first segment with a dot, a port, a `*` or `localhost` names the registry;
 * otherwise the pattern names Docker Hub (`redis` → `docker.io/library/redis`). `**` alone, or leading,
 * spans every registry.
 */
export function imagePattern(text: string): ImagePattern {
    let rest = text.trim();
    let tag: string | undefined;
    const colon = rest.lastIndexOf(":");
    if (colon > rest.lastIndexOf("/")) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
    }
    const first = rest.split("/")[0];
    const named = rest.startsWith("**") || (rest.includes("/") && (/[.:*]/.test(first) || first === "localhost"));
    const repository = named ? rest : `docker.io/${rest.includes("/") ? rest : `library/${rest}`}`;
    return { repository: glob(repository), tag: tag === undefined ? undefined : new RegExp(`^${tag.split("*").map(escape).join(".*")}$`) };
}

/**
 * Whether a pattern matches an image. The repository is matched as the runtime resolves it (Docker Hub's
 * short names expanded); a tag pattern is matched against the tag as written, also when a digest pins the
 * image (the runtime pulls the digest, and the tag says which variant it was taken from). An image with
 * neither tag nor digest is `latest`; one with a digest alone has no tag, so only a pattern without a tag
 * matches it.
 */
export function matchesImage(pattern: string, image: string): boolean {
    const p = parseImage(image);
    const compiledPattern = imagePattern(pattern);
    if (!compiledPattern.repository.test(`${p.registry}/${p.repository}`)) return false;
    if (compiledPattern.tag === undefined) return true;
    const tag = p.tag ?? (p.digest === undefined ? "latest" : undefined);
    return tag !== undefined && compiledPattern.tag.test(tag);
}

/**
 * Image families known to be minimal: distroless, Chainguard, Red Hat's micro, Alpine, BusyBox, and tags that
 * carry alpine (alpine3.20 included), slim or distroless as a dash-separated word.
 */
export const MINIMAL_IMAGE_FAMILIES: readonly string[] = [
    "gcr.io/distroless/**",
    "cgr.dev/chainguard/**",
    "docker.io/chainguard/**",
    "mcr.microsoft.com/azurelinux/distroless/**",
    "mcr.microsoft.com/cbl-mariner/distroless/**",
    "registry.access.redhat.com/ubi*/ubi-micro",
    "registry.access.redhat.com/ubi*-micro",
    "docker.io/library/alpine",
    "docker.io/library/busybox",
    "**:alpine",
    "**:alpine-*",
    "**:alpine3*",
    "**:*-alpine",
    "**:*-alpine-*",
    "**:*-alpine3*",
    "**:slim",
    "**:slim-*",
    "**:*-slim",
    "**:*-slim-*",
    "**:distroless",
    "**:distroless-*",
    "**:*-distroless",
    "**:*-distroless-*",
];

const PATTERN_ITEM = { type: "string", minLength: 1, pattern: "^[^@\\s]+$" } as const;

/**
 * Checklist 1.1.5: containers run minimal images (distroless, Chainguard, -alpine, -slim) where one exists:
 * no shell or package manager for an intruder, fewer packages for the scanner to find vulnerable.
 * Ephemeral containers are not judged: they are how a person debugs a distroless pod.
 */
export const requireMinimalImages = defineRule<{ minimalImages: string[]; nonMinimalImages: Record<string, string> }>({
    scope: "resource",
    name: "require-minimal-images",
    description:
        "Every container and init container runs an image that matches a pattern of minimalImages, or one of nonMinimalImages, which says why it has no minimal variant. " +
        "A pattern is `<repository>[:<tag>]`, read as an image is (`redis:*-alpine` is docker.io/library/redis; `registry:5000/app` names a registry with a port and no tag); " +
        "`*` matches within one path segment, `**` across segments (a leading `**` spans every registry). " +
        "A pattern without a tag matches every tag and digest of its repositories; a tag pattern is matched against the tag as written, also in `repo:tag@sha256:…`, " +
        "and never matches a digest alone (`repo@sha256:…`), which names no variant. Ephemeral (debug) containers are not judged.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps:
        "Switch to the image's distroless, Chainguard, -alpine or -slim variant (keep the tag beside a digest: repo:tag@sha256:…); list an image the stack builds minimal under minimalImages; list one that has no usable minimal variant under nonMinimalImages with the reason.",
    checklist: ["1.1.5"],
    peers: { kyverno: ["allowed-base-images"] },
    settings: {
        minimalImages: {
            type: "array",
            items: PATTERN_ITEM,
            description:
                'Patterns of minimal images, `<repository>[:<tag>]` with `*` (one path segment) and `**` (any), e.g. ["gcr.io/distroless/**", "**:*-alpine", "registry.example.com:5000/voting/api"]. The stack\'s own minimal images (built FROM scratch or distroless) are listed by repository.',
            default: [...MINIMAL_IMAGE_FAMILIES],
        },
        nonMinimalImages: {
            type: "object",
            additionalProperties: { type: "string", minLength: 1 },
            description:
                'Patterns (as in minimalImages) of images accepted although not minimal, each with the reason it has no usable minimal variant, e.g. {"docker.io/library/postgres:*-bookworm": "the data directory\'s collation is glibc\'s"}.',
            default: {},
        },
    },
    kinds: "workloads",
    check: (obj, cfg) => {
        const accepted = Object.keys(record(cfg.nonMinimalImages));
        return forEachContainer(obj, (c) => {
            if (c.kind === "ephemeralContainer") return undefined;
            const image = str(c.container.image);
            if (!image) return undefined;
            if (cfg.minimalImages.some((p) => matchesImage(p, image)) || accepted.some((p) => matchesImage(p, image))) return undefined;
            const p = parseImage(image);
            const digestOnly = p.tag === undefined && p.digest !== undefined ? " (a digest alone names no variant: keep the tag beside it)" : "";
            return `runs ${image}, which matches no pattern of minimalImages${digestOnly}; switch to a distroless, Chainguard, -alpine or -slim variant, or list the image under nonMinimalImages with the reason it has none`;
        });
    },
});
