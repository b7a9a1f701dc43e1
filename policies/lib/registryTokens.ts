/**
 * Registry pull tokens that External Secrets generates (generators.external-secrets.io), with how long
 * each lives: a pull secret rendered from one must be refreshed well before it expires.
 */
export const REGISTRY_TOKENS = {
    /** ECR's GetAuthorizationToken: valid 12 hours. */
    ECRAuthorizationToken: { lifetimeMinutes: 720, registry: "Amazon ECR" },
    /** A Google OAuth access token for Artifact Registry and GCR: valid 1 hour. */
    GCRAccessToken: { lifetimeMinutes: 60, registry: "Google Artifact Registry / GCR" },
    /** An ACR refresh token exchanged through Entra ID: valid 3 hours. */
    ACRAccessToken: { lifetimeMinutes: 180, registry: "Azure Container Registry" },
} as const;

export type RegistryTokenKind = keyof typeof REGISTRY_TOKENS;

export const isRegistryTokenKind = (kind: unknown): kind is RegistryTokenKind =>
    typeof kind === "string" && Object.prototype.hasOwnProperty.call(REGISTRY_TOKENS, kind);

/** The generator that can produce pull tokens for a registry host, from the host's name. */
export function registryTokenKind(host: string): RegistryTokenKind | undefined {
    if (/^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(host)) return "ECRAuthorizationToken";
    if (/^([a-z0-9-]+-)?docker\.pkg\.dev$/.test(host) || /^([a-z]+\.)?gcr\.io$/.test(host)) return "GCRAccessToken";
    if (/^[a-z0-9]+\.azurecr\.io$/.test(host)) return "ACRAccessToken";
    return undefined;
}
