import * as pulumi from "@pulumi/pulumi";
import { awsSecrets } from "./aws/secrets";
import type { SecretRenewer } from "./azure/rotation";
import { azureSecrets } from "./azure/secrets";
import { CREDENTIALS, secretName, type CloudSecretsArgs, type CloudSecretsConfig, type Credential } from "./credentials";
import { gcpSecrets } from "./gcp/secrets";

/**
 * Checklist 6.1.1, 6.1.3, 6.1.4: the PostgreSQL and Redis passwords, created in the cloud's secret manager
 * (encrypted with a customer-managed key) with generated initial values and a rotation of at most
 * `secrets.rotationDays`; nothing in the cluster is created from a literal.
 */
export class CloudSecrets extends pulumi.ComponentResource {
    /** Secret manager name of each credential. */
    public readonly names: Record<Credential, string>;
    /** On Azure with renewed secrets: the identity and role their owners grant on each (see `CloudSecretsArgs.renewed`). */
    public readonly renewer?: SecretRenewer;

    constructor(name: string, args: CloudSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:cloud:CloudSecrets", name, {}, opts);
        const c = args.cloud;
        this.names = Object.fromEntries(CREDENTIALS.map((k) => [k, secretName(args.secrets.backend, args.stack, k)])) as Record<Credential, string>;
        if (c.provider === "aws") awsSecrets(name, { ...args, cloud: c }, this);
        else if (c.provider === "gcp") gcpSecrets(name, { ...args, cloud: c }, this);
        else
            this.renewer = azureSecrets(
                name,
                { ...args, cloud: c, secrets: args.secrets as Extract<CloudSecretsConfig, { backend: "azure-key-vault" }> },
                this,
            );
        this.registerOutputs({ names: this.names });
    }
}
