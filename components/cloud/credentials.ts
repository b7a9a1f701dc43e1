import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { CloudConfig, SecretsConfig } from "../../config/types";
import type { WorkloadIdentity } from "./identity";

/** The credentials the platform keeps in the cloud's secret manager, each a JSON object with a `password`. */
export const CREDENTIALS = ["postgres", "redis"] as const;
export type Credential = (typeof CREDENTIALS)[number];

/** Secret managers the program creates the credentials in. */
export type CloudSecretBackend = "aws-secrets-manager" | "gcp-secret-manager" | "azure-key-vault";
export type CloudSecretsConfig = Extract<SecretsConfig, { backend: CloudSecretBackend }>;

/**
 * The name External Secrets reads a credential by: `voting/<stack>/<credential>` in AWS Secrets Manager
 * (and Vault); Secret Manager and Key Vault allow no slashes, so `voting-<stack>-<credential>` there.
 * `alerting` names the alert receivers' entry, which operators fill.
 */
export function secretName(backend: SecretsConfig["backend"], stack: string, credential: Credential | "alerting" | "logs"): string {
    return backend === "gcp-secret-manager" || backend === "azure-key-vault" ? `voting-${stack}-${credential}` : `voting/${stack}/${credential}`;
}

/** The initial value of a credential: 32 letters and digits, safe in connection URLs and SQL. */
export function initialPassword(name: string, parent: pulumi.Resource): random.RandomPassword {
    return new random.RandomPassword(name, { length: 32, special: false, minUpper: 2, minLower: 2, minNumeric: 2 }, { parent });
}

/** A credential's secret value as External Secrets reads it (property `password`), kept secret in the state. */
export const secretPayload = (password: pulumi.Output<string>) => pulumi.secret(password.apply((p) => JSON.stringify({ password: p })));

export interface CloudSecretsArgs {
    readonly cloud: CloudConfig;
    readonly secrets: CloudSecretsConfig;
    readonly stack: string;
    /** External Secrets' cloud identity, when the program made it: it is granted read access here. */
    readonly reader?: WorkloadIdentity;
    /**
     * Key Vault secrets other components write in the same vault whose values cannot be rotated (the log
     * service's connection strings): the rotation function renews each before it expires. Azure only.
     */
    readonly renewed?: readonly string[];
}
