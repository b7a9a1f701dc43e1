import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesProvider } from "../../cluster/provider";
import type { Cni, CreatedCluster } from "../../../config/types";
import { BACKUP_ACCOUNTS, EXTERNAL_SECRETS_ACCOUNT, type ClusterHandle, type ServiceAccountRef, type WorkloadIdentity } from "../identity";
import { ZONE_COUNT, type NodePoolSizing } from "../nodeSizing";
import { AUDIT_LOG_RETENTION_DAYS, cloudTags } from "../standards";
import { gcpKey } from "./keys";

export interface GcpClusterArgs {
    readonly cluster: CreatedCluster & { readonly network: { readonly provider: "gcp" } };
    readonly project: string;
    readonly region: string;
    readonly kubernetesVersion: string;
    readonly cni: Cni;
    readonly stack: string;
    readonly sizing: NodePoolSizing;
}

/** Control-plane components whose logs GKE ships to Cloud Logging besides the audit logs Google always keeps. */
export const GKE_LOG_COMPONENTS = ["SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER", "WORKLOADS"];

/** The cluster's Kubernetes audit log entries, as Cloud Logging filters them. */
export const auditLogFilter = (project: string, clusterName: string) =>
    `logName:"projects/${project}/logs/cloudaudit.googleapis.com" AND resource.type="k8s_cluster" AND resource.labels.cluster_name="${clusterName}"`;

/** A service account id (6 to 30 characters) from the cluster name and a role. */
export function accountId(clusterName: string, role: string): string {
    return `${clusterName.slice(0, 29 - role.length).replace(/-+$/, "")}-${role}`;
}

/**
 * Checklist 6.1.4, 4.4.3, 1.2.1, 7.1.1: application-layer Secrets encryption with the cluster's own Cloud KMS
 * key, control-plane logs on, private nodes, the API open only to the listed networks (or private), the
 * NetworkPolicy engine the stack's `cni` names, Workload Identity, and at least the configured version.
 */
export function gkeClusterArgs(a: GcpClusterArgs, keyName: pulumi.Input<string>, zones: pulumi.Input<string[]>): gcp.container.ClusterArgs {
    const endpoint = a.cluster.endpoint;
    return {
        name: a.cluster.name,
        project: a.project,
        location: a.region,
        nodeLocations: zones,
        minMasterVersion: a.kubernetesVersion,
        releaseChannel: { channel: "REGULAR" },
        network: a.cluster.network.network,
        subnetwork: a.cluster.network.subnetwork,
        networkingMode: "VPC_NATIVE",
        ipAllocationPolicy: { stackType: "IPV4" },
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        databaseEncryption: { state: "ENCRYPTED", keyName },
        loggingConfig: { enableComponents: GKE_LOG_COMPONENTS },
        privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: endpoint.private },
        masterAuthorizedNetworksConfig: {
            cidrBlocks: endpoint.private ? [] : endpoint.authorizedCidrs.map((cidrBlock) => ({ cidrBlock, displayName: `allowed ${cidrBlock}` })),
            gcpPublicCidrsAccessEnabled: false,
        },
        masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
        ...(a.cni === "gke-dataplane-v2"
            ? { datapathProvider: "ADVANCED_DATAPATH" }
            : { datapathProvider: "LEGACY_DATAPATH", networkPolicy: { enabled: true, provider: "CALICO" } }),
        addonsConfig: { networkPolicyConfig: { disabled: a.cni !== "calico" } },
        workloadIdentityConfig: { workloadPool: `${a.project}.svc.id.goog` },
        enableShieldedNodes: true,
        enableLegacyAbac: false,
        deletionProtection: true,
        resourceLabels: cloudTags(a.stack),
    };
}

/** Checklist 5.1.3: one regional pool over the three zones, autoscaled between the sizing's bounds, balanced across zones. */
export function gkeNodePoolArgs(
    a: GcpClusterArgs,
    clusterId: pulumi.Input<string>,
    zones: pulumi.Input<string[]>,
    serviceAccount: pulumi.Input<string>,
): gcp.container.NodePoolArgs {
    return {
        cluster: clusterId,
        project: a.project,
        location: a.region,
        nodeLocations: zones,
        initialNodeCount: a.sizing.minPerZone,
        autoscaling: { totalMinNodeCount: a.sizing.min, totalMaxNodeCount: a.sizing.max, locationPolicy: "BALANCED" },
        management: { autoRepair: true, autoUpgrade: true },
        upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
        nodeConfig: {
            machineType: a.cluster.nodeType,
            serviceAccount,
            oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
            workloadMetadataConfig: { mode: "GKE_METADATA" },
            shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
            diskType: "pd-balanced",
            diskSizeGb: 100,
            labels: { "voting-platform.io/pool": "general" },
            resourceLabels: cloudTags(a.stack),
        },
    };
}

/** Roles the nodes' own service account needs to ship logs and metrics and pull images; nothing more. */
export const NODE_ROLES = [
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/stackdriver.resourceMetadata.writer",
    "roles/artifactregistry.reader",
];

/** A kubeconfig that authenticates with gke-gcloud-auth-plugin, so no credential is stored in it. */
export function gkeKubeconfig(clusterName: string, endpoint: string, caCertificate: string): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: `https://${endpoint}`, "certificate-authority-data": caCertificate } }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
        "current-context": clusterName,
        users: [
            {
                name: clusterName,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "gke-gcloud-auth-plugin",
                        provideClusterInfo: true,
                        interactiveMode: "Never",
                    },
                },
            },
        ],
    });
}

/** GKE with encrypted Secrets, 90-day audit logs, an autoscaled pool over three zones, Dataplane V2 or Calico, and Workload Identity. */
export class GkeCluster extends pulumi.ComponentResource implements ClusterHandle {
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly provider: k8s.Provider;
    public readonly identities: ClusterHandle["identities"];

    constructor(name: string, args: GcpClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:cloud:GkeCluster", name, {}, opts);
        const child = { parent: this };
        const { project, region } = args;
        const c = args.cluster;

        const agent = new gcp.projects.ServiceIdentity(`${name}-agent`, { project, service: "container.googleapis.com" }, child);
        const { key, grants } = gcpKey(
            `${name}-secrets`,
            { project, location: region, stack: args.stack, users: [pulumi.interpolate`serviceAccount:${agent.email}`] },
            this,
        );

        // Google keeps Admin Activity audit logs 400 days in _Required; this bucket keeps every audit entry of the cluster 90 days.
        const bucket = new gcp.logging.ProjectBucketConfig(
            `${name}-audit`,
            {
                project,
                location: "global",
                bucketId: `${c.name}-audit`,
                retentionDays: AUDIT_LOG_RETENTION_DAYS,
                description: `Kubernetes audit logs of ${c.name}`,
            },
            child,
        );
        new gcp.logging.ProjectSink(
            `${name}-audit`,
            {
                project,
                name: `${c.name}-audit`,
                destination: pulumi.interpolate`logging.googleapis.com/${bucket.id}`,
                filter: auditLogFilter(project, c.name),
                uniqueWriterIdentity: true,
            },
            child,
        );

        const zones = gcp.compute.getZonesOutput({ project, region, status: "UP" }, child).names.apply((z) => [...z].sort().slice(0, ZONE_COUNT));
        const cluster = new gcp.container.Cluster(name, gkeClusterArgs(args, key.id, zones), { ...child, dependsOn: grants, protect: true });

        const nodes = new gcp.serviceaccount.Account(
            `${name}-nodes`,
            { project, accountId: accountId(c.name, "nodes"), displayName: `Nodes of ${c.name}` },
            child,
        );
        const nodeRoles = NODE_ROLES.map(
            (role) =>
                new gcp.projects.IAMMember(
                    `${name}-nodes-${role.split("/")[1]}`,
                    { project, role, member: pulumi.interpolate`serviceAccount:${nodes.email}` },
                    child,
                ),
        );
        const pool = new gcp.container.NodePool(`${name}-general`, gkeNodePoolArgs(args, cluster.id, zones, nodes.email), {
            ...child,
            dependsOn: nodeRoles,
            ignoreChanges: ["initialNodeCount"],
        });

        const identity = (role: string, accounts: readonly ServiceAccountRef[]): WorkloadIdentity => {
            const account = new gcp.serviceaccount.Account(
                `${name}-${role}`,
                { project, accountId: accountId(c.name, role), displayName: `${role} of ${c.name}` },
                child,
            );
            accounts.forEach(
                (a, i) =>
                    new gcp.serviceaccount.IAMMember(
                        `${name}-${role}-${i}`,
                        {
                            serviceAccountId: account.name,
                            role: "roles/iam.workloadIdentityUser",
                            member: `serviceAccount:${project}.svc.id.goog[${a.namespace}/${a.name}]`,
                        },
                        { ...child, dependsOn: [cluster] },
                    ),
            );
            return { accounts, annotation: account.email, principal: pulumi.interpolate`serviceAccount:${account.email}` };
        };
        this.identities = { externalSecrets: identity("secrets", [EXTERNAL_SECRETS_ACCOUNT]), backupWriter: identity("backup", BACKUP_ACCOUNTS) };

        this.kubeconfig = pulumi.secret(
            pulumi
                .all([cluster.name, cluster.endpoint, cluster.masterAuth])
                .apply(([n, endpoint, auth]) => gkeKubeconfig(n, endpoint, auth.clusterCaCertificate!)),
        );
        this.provider = kubernetesProvider(name, { target: {}, kubeconfig: this.kubeconfig }, { ...child, dependsOn: [pool] });
        this.registerOutputs({ kubeconfig: this.kubeconfig });
    }
}
