/** An image reference split as the container runtime reads it. */
export interface ImageParts {
    readonly registry: string;
    readonly repository: string;
    readonly tag?: string;
    readonly digest?: string;
}

/** A content digest as registries and runtimes accept it: `sha256:` and 64 lowercase hex digits (or `sha512:` and 128). */
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export const isDigest = (digest: string | undefined): boolean => digest !== undefined && DIGEST.test(digest);

/** Whether an image is pinned by a valid digest (`web@latest` and `@sha256:not-a-digest` are not). */
export const isPinnedByDigest = (p: ImageParts): boolean => isDigest(p.digest);

/** `nginx` → docker.io/library/nginx; `ghcr.io/a/b:1@sha256:…` → ghcr.io, a/b, 1, sha256:…. */
export function parseImage(image: string): ImageParts {
    let rest = image.trim();
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at !== -1) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
    }
    let tag: string | undefined;
    const colon = rest.lastIndexOf(":");
    if (colon > rest.lastIndexOf("/")) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
    }
    const first = rest.split("/")[0];
    const hasRegistry = rest.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
    // Docker's references name Docker Hub by its legacy host too: index.docker.io/nginx is docker.io/library/nginx.
    const registry = hasRegistry && first !== "index.docker.io" ? first : "docker.io";
    let repository = hasRegistry ? rest.slice(first.length + 1) : rest;
    if (registry === "docker.io" && !repository.includes("/")) repository = `library/${repository}`;
    return { registry, repository, tag, digest };
}
