import type * as k8s from "@pulumi/kubernetes";
import type { CloudConfig } from "../../config/types";
import { platformLabels } from "../labels";

/** Each cloud's CSI driver and SSD parameters (checklist 2.4.2: gp3, pd-ssd, managed premium). */
export const PROVISIONERS: Record<CloudConfig["provider"], { provisioner: string; parameters: Record<string, string> }> = {
    aws: { provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true" } },
    gcp: { provisioner: "pd.csi.storage.gke.io", parameters: { type: "pd-ssd" } },
    azure: { provisioner: "disk.csi.azure.com", parameters: { skuName: "Premium_LRS" } },
};

/** Dynamically provisioned, encrypted where the cloud asks, and Retain: deleting a claim never deletes the data. */
export function buildStorageClass(name: string, cloud: CloudConfig, stack: string): k8s.types.input.storage.v1.StorageClass {
    const p = PROVISIONERS[cloud.provider];
    const parameters = { ...p.parameters, ...(cloud.provider === "aws" && cloud.kmsKeyArn ? { kmsKeyId: cloud.kmsKeyArn } : {}) };
    return {
        metadata: { name, labels: platformLabels("storage", stack) },
        provisioner: p.provisioner,
        parameters,
        reclaimPolicy: "Retain",
        volumeBindingMode: "WaitForFirstConsumer",
        allowVolumeExpansion: true,
    };
}
