import type { RenderResult } from "../../tools/lib/render";
import { renderVariant } from "./variant";

export type Cloud = "aws" | "gcp" | "azure";
const KEY = (k: string) => `voting-platform:${k}`;

/** Prod's config moved to another cloud: its cloud, secret manager, CNI and (created) cluster settings. */
export const CLOUD_EDITS: Record<Cloud, (c: Record<string, any>) => void> = {
    aws: () => undefined,
    gcp: (c) => {
        c[KEY("cloud")] = { provider: "gcp", region: "europe-west1", backupReplicaRegion: "europe-west4", project: "voting-prod-1234" };
        c[KEY("secrets")] = { backend: "gcp-secret-manager", refreshInterval: "1h", rotationDays: 90 };
        c[KEY("cni")] = "gke-dataplane-v2";
        c[KEY("cluster")] = {
            create: true,
            name: "voting-prod",
            authorizedCidrs: ["203.0.113.0/24"],
            nodeType: "e2-standard-4",
            network: "voting",
            subnetwork: "voting-europe-west1",
        };
    },
    azure: (c) => {
        c[KEY("cloud")] = {
            provider: "azure",
            region: "westeurope",
            backupReplicaRegion: "northeurope",
            resourceGroup: "voting-prod",
            subscriptionId: "0b1f6471-1bf0-4dda-aec3-cb9272f09590",
        };
        c[KEY("secrets")] = {
            backend: "azure-key-vault",
            refreshInterval: "1h",
            rotationDays: 90,
            keyVaultUrl: "https://voting-prod.vault.azure.net",
        };
        c[KEY("cni")] = "cilium";
        c[KEY("cluster")] = { create: true, name: "voting-prod", authorizedCidrs: ["203.0.113.0/24"], nodeType: "Standard_D4s_v5" };
    },
};

/** Prod on `cloud`, with the cluster the program creates, or (`existing`) targeting an existing cluster. */
export function cloudEdit(cloud: Cloud, cluster: "created" | "existing", more: (c: Record<string, any>) => void = () => undefined) {
    return (c: Record<string, any>) => {
        CLOUD_EDITS[cloud](c);
        if (cluster === "existing") {
            c[KEY("cluster")] = { create: false };
            c[KEY("kubernetes")] = { context: "voting-prod", cluster: "voting-prod" };
            c[KEY("backup")].identity = {
                aws: "arn:aws:iam::123456789012:role/voting-prod-backup",
                gcp: "voting-backup@voting-prod-1234.iam.gserviceaccount.com",
                azure: "00000000-0000-0000-0000-0000000000aa",
            }[cloud];
        }
        more(c);
    };
}

const cache = new Map<string, Promise<RenderResult>>();
let queue: Promise<unknown> = Promise.resolve();

/**
 * Renders prod on a cloud, once per test run unless `more` edits the config further (renders run one after
 * another: the mock runtime is global).
 */
export function renderedOn(cloud: Cloud, cluster: "created" | "existing", more?: (c: Record<string, any>) => void): Promise<RenderResult> {
    const key = `${cloud}-${cluster}`;
    const render = () => {
        const next = queue.then(() => renderVariant(`prod-${key}`, cloudEdit(cloud, cluster, more)));
        queue = next.catch(() => undefined);
        return next;
    };
    if (more) return render();
    if (!cache.has(key)) cache.set(key, render());
    return cache.get(key)!;
}
