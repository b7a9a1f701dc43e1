import * as aws from "@pulumi/aws";
import * as azure from "@pulumi/azure-native";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { CloudConfig } from "../../config/types";
import type { SecretRenewer } from "./azure/rotation";
import { azureSecretArgs } from "./azure/secrets";

/** The two log streams and how long each is kept (checklist 3.1.2: 30 days; 6.4.2: audit events 90 days). */
export type LogStream = "app" | "audit";

export interface LogStorageArgs {
    readonly cloud: CloudConfig;
    readonly stack: string;
    readonly retentionDays: Readonly<Record<LogStream, number>>;
    /**
     * Azure with Key Vault as the secret manager: the Key Vault entry the connection strings are written
     * to, so the cluster reads them through External Secrets and no manifest carries them.
     */
    readonly keyVault?: {
        readonly vaultName: string;
        readonly entry: string;
        readonly rotationDays: number;
        /** The rotation function that renews the entry before it expires (CloudSecrets, `renewed`): granted its role on the entry. */
        readonly renewer?: SecretRenewer;
    };
}

/** Retention periods CloudWatch Logs accepts; a configured period rounds up to the next. */
export const CLOUDWATCH_RETENTION = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
export const cloudwatchRetention = (days: number) => CLOUDWATCH_RETENTION.find((d) => d >= days) ?? 3653;

/** Where the collector writes each stream, per cloud: what its exporter needs to know. */
export type LogDestinations =
    | { readonly provider: "aws"; readonly region: string; readonly groups: Record<LogStream, string> }
    | { readonly provider: "gcp"; readonly project: string; readonly logNames: Record<LogStream, string> }
    | {
          readonly provider: "azure";
          readonly connectionStrings: Record<LogStream, pulumi.Output<string>>;
          /** The Key Vault entry holding them (properties `app` and `audit`), when the stack reads secrets from Key Vault. */
          readonly keyVaultEntry?: string;
      };

/**
 * The cloud's log service with the retention of each stream: CloudWatch log groups (KMS-encrypted when a
 * key is given), Cloud Logging buckets with sinks that route each log name to its bucket, or Log Analytics
 * workspaces behind Application Insights.
 */
export class LogStorage extends pulumi.ComponentResource {
    public readonly destinations: LogDestinations;

    constructor(name: string, args: LogStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:cloud:LogStorage", name, {}, opts);
        const c = args.cloud;
        const streams: LogStream[] = ["app", "audit"];
        const parent = { parent: this };
        if (c.provider === "aws") {
            const groups = Object.fromEntries(streams.map((s) => [s, `/voting/${args.stack}/${s}`])) as Record<LogStream, string>;
            for (const s of streams) {
                new aws.cloudwatch.LogGroup(
                    `${name}-${s}`,
                    { name: groups[s], region: c.region, retentionInDays: cloudwatchRetention(args.retentionDays[s]), kmsKeyId: c.kmsKeyArn },
                    { ...parent, protect: s === "audit" },
                );
            }
            this.destinations = { provider: "aws", region: c.region, groups };
        } else if (c.provider === "gcp") {
            const logNames = Object.fromEntries(streams.map((s) => [s, `voting-${args.stack}-${s}`])) as Record<LogStream, string>;
            for (const s of streams) {
                const bucket = new gcp.logging.ProjectBucketConfig(
                    `${name}-${s}`,
                    { project: c.project, location: c.region, bucketId: logNames[s], retentionDays: args.retentionDays[s], locked: false },
                    parent,
                );
                new gcp.logging.ProjectSink(
                    `${name}-${s}-sink`,
                    {
                        project: c.project,
                        name: `${logNames[s]}-sink`,
                        destination: pulumi.interpolate`logging.googleapis.com/${bucket.id}`,
                        filter: `logName="projects/${c.project}/logs/${logNames[s]}"`,
                        uniqueWriterIdentity: true,
                    },
                    parent,
                );
            }
            this.destinations = { provider: "gcp", project: c.project, logNames };
        } else {
            const connectionStrings = {} as Record<LogStream, pulumi.Output<string>>;
            for (const s of streams) {
                const workspace = new azure.operationalinsights.Workspace(
                    `${name}-${s}`,
                    { resourceGroupName: c.resourceGroup, location: c.region, sku: { name: "PerGB2018" }, retentionInDays: args.retentionDays[s] },
                    parent,
                );
                const insights = new azure.applicationinsights.Component(
                    `${name}-${s}-insights`,
                    {
                        resourceGroupName: c.resourceGroup,
                        location: c.region,
                        kind: "other",
                        applicationType: "other",
                        ingestionMode: "LogAnalytics",
                        workspaceResourceId: workspace.id,
                        retentionInDays: args.retentionDays[s],
                    },
                    parent,
                );
                connectionStrings[s] = pulumi.secret(insights.connectionString);
            }
            if (args.keyVault) {
                // Checklist 6.1.3: valid for the rotation period from the update that writes it, and renewed by
                // the rotation function before it expires when no update comes first.
                const entry = new azure.keyvault.Secret(
                    `${name}-connections`,
                    azureSecretArgs(
                        { cloud: c, secrets: { rotationDays: args.keyVault.rotationDays }, stack: args.stack },
                        args.keyVault.vaultName,
                        args.keyVault.entry,
                        pulumi.secret(pulumi.jsonStringify({ app: connectionStrings.app, audit: connectionStrings.audit })),
                    ),
                    parent,
                );
                const renewer = args.keyVault.renewer;
                if (renewer) {
                    new azure.authorization.RoleAssignment(
                        `${name}-connections-renewal`,
                        {
                            principalId: renewer.principalId,
                            principalType: "ServicePrincipal",
                            roleDefinitionId: renewer.roleDefinitionId,
                            scope: entry.id,
                        },
                        parent,
                    );
                }
            }
            this.destinations = { provider: "azure", connectionStrings, keyVaultEntry: args.keyVault?.entry };
        }
        this.registerOutputs({});
    }
}
