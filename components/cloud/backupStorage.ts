import * as pulumi from "@pulumi/pulumi";
import type { CloudConfig } from "../../config/types";
import { awsBackupStorage } from "./aws";
import { azureBackupStorage } from "./azure";
import { gcpBackupStorage } from "./gcp";
import type { WorkloadIdentity } from "./identity";

export interface BackupStorageArgs {
    readonly cloud: CloudConfig;
    readonly stack: string;
    readonly retentionDays: number;
    /** The backup Jobs' cloud identity, when the program made it (a created cluster): it is granted the bucket here. */
    readonly writer?: WorkloadIdentity;
}

/**
 * Off-cluster backup storage on the stack's cloud: private, versioned, encrypted with its own rotating key,
 * expiring after the retention, replicated to the second region where one is configured.
 */
export class BackupStorage extends pulumi.ComponentResource {
    /** Bucket name (AWS, GCP) or `account/container` (Azure). */
    public readonly location: pulumi.Output<string>;

    constructor(name: string, args: BackupStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:cloud:BackupStorage", name, {}, opts);
        const c = args.cloud;
        this.location =
            c.provider === "aws"
                ? awsBackupStorage(name, { ...args, cloud: c }, this)
                : c.provider === "gcp"
                  ? gcpBackupStorage(name, { ...args, cloud: c }, this)
                  : azureBackupStorage(name, { ...args, cloud: c }, this);
        this.registerOutputs({ location: this.location });
    }
}
