import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesProvider } from "../../cluster/provider";
import type { Cni, CreatedCluster } from "../../../config/types";
import { BACKUP_ACCOUNTS, EXTERNAL_SECRETS_ACCOUNT, subjectOf, type ClusterHandle, type ServiceAccountRef, type WorkloadIdentity } from "../identity";
import type { NodePoolSizing } from "../nodeSizing";
import { cloudTags } from "../standards";
import { awsKmsKeyArgs, AUDIT_LOG_RETENTION_DAYS } from "./keys";

export interface AwsClusterArgs {
    readonly cluster: CreatedCluster & { readonly network: { readonly provider: "aws" } };
    readonly region: string;
    readonly kubernetesVersion: string;
    readonly cni: Cni;
    readonly stack: string;
    readonly sizing: NodePoolSizing;
}

/** Every control-plane log EKS can ship; `audit` carries checklist 4.4.3 and 6.4.1. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** Charts the cluster runs beside EKS's managed add-ons, pinned. */
export const CHARTS = {
    clusterAutoscaler: { repo: "https://kubernetes.github.io/autoscaler", chart: "cluster-autoscaler", version: "9.37.0" },
    tigeraOperator: { repo: "https://docs.tigera.io/calico/charts", chart: "tigera-operator", version: "v3.28.2" },
} as const;

const assumeRole = (service: string) =>
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });

/** The log group EKS writes to, made first so that it keeps logs 90 days instead of forever. */
export function controlPlaneLogGroupArgs(a: AwsClusterArgs): aws.cloudwatch.LogGroupArgs {
    return { name: `/aws/eks/${a.cluster.name}/cluster`, region: a.region, retentionInDays: AUDIT_LOG_RETENTION_DAYS, tags: tagsOf(a) };
}

const tagsOf = (a: AwsClusterArgs) => ({ ...cloudTags(a.stack), cluster: a.cluster.name });

/**
 * Checklist 6.1.4, 4.4.3, 7.1.1: Secrets encrypted with the cluster's own KMS key, every control-plane log
 * on, the configured version, and an API endpoint that is private or open only to the listed networks.
 */
export function eksClusterArgs(a: AwsClusterArgs, roleArn: pulumi.Input<string>, keyArn: pulumi.Input<string>): aws.eks.ClusterArgs {
    const endpoint = a.cluster.endpoint;
    return {
        name: a.cluster.name,
        region: a.region,
        version: a.kubernetesVersion,
        roleArn,
        vpcConfig: {
            subnetIds: [...a.cluster.network.subnetIds],
            endpointPrivateAccess: true,
            endpointPublicAccess: !endpoint.private,
            ...(endpoint.private ? {} : { publicAccessCidrs: [...endpoint.authorizedCidrs] }),
        },
        encryptionConfig: { provider: { keyArn }, resources: ["secrets"] },
        enabledClusterLogTypes: EKS_LOG_TYPES,
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
        upgradePolicy: { supportType: "STANDARD" },
        deletionProtection: true,
        tags: tagsOf(a),
    };
}

/** Checklist 5.1.3: one managed node group per zone (subnet), each scaling between its share of the bounds. */
export function nodeGroupArgs(
    a: AwsClusterArgs,
    clusterName: pulumi.Input<string>,
    nodeRoleArn: pulumi.Input<string>,
    subnetId: string,
): aws.eks.NodeGroupArgs {
    return {
        clusterName,
        region: a.region,
        nodeRoleArn,
        subnetIds: [subnetId],
        version: a.kubernetesVersion,
        amiType: "AL2023_x86_64_STANDARD",
        capacityType: "ON_DEMAND",
        instanceTypes: [a.cluster.nodeType],
        scalingConfig: { minSize: a.sizing.minPerZone, maxSize: a.sizing.maxPerZone, desiredSize: a.sizing.minPerZone },
        updateConfig: { maxUnavailable: 1 },
        labels: { "voting-platform.io/pool": "general" },
        tags: tagsOf(a),
    };
}

/** The managed add-ons: NetworkPolicy in the VPC CNI when it is the stack's CNI, the EBS CSI driver, metrics-server (7.5.3). */
export function eksAddons(a: AwsClusterArgs, ebsRoleArn: pulumi.Input<string>): { name: string; args: Omit<aws.eks.AddonArgs, "clusterName"> }[] {
    const common = { region: a.region, resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "OVERWRITE" };
    return [
        {
            name: "vpc-cni",
            args: { ...common, addonName: "vpc-cni", configurationValues: JSON.stringify({ enableNetworkPolicy: String(a.cni === "aws-vpc-cni") }) },
        },
        { name: "kube-proxy", args: { ...common, addonName: "kube-proxy" } },
        { name: "coredns", args: { ...common, addonName: "coredns" } },
        { name: "ebs-csi", args: { ...common, addonName: "aws-ebs-csi-driver", serviceAccountRoleArn: ebsRoleArn } },
        { name: "metrics-server", args: { ...common, addonName: "metrics-server" } },
    ];
}

/** A role that only the given ServiceAccounts of this cluster can assume (IAM roles for service accounts). */
export function irsaTrustPolicy(providerArn: string, issuerUrl: string, accounts: readonly ServiceAccountRef[]): string {
    const issuer = issuerUrl.replace(/^https:\/\//, "");
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { StringEquals: { [`${issuer}:aud`]: "sts.amazonaws.com", [`${issuer}:sub`]: accounts.map(subjectOf) } },
            },
        ],
    });
}

/** Lets EKS use the Secrets key, and nothing else. */
export function clusterKeyPolicy(keyArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey", "kms:ListGrants"], Resource: keyArn },
            { Effect: "Allow", Action: "kms:CreateGrant", Resource: keyArn, Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } },
        ],
    });
}

/** The cluster autoscaler's rights: read the groups, change the size of this cluster's groups only. */
export function autoscalerPolicy(clusterName: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                    "eks:DescribeNodegroup",
                ],
                Resource: "*",
            },
            {
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: "*",
                Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
            },
        ],
    });
}

/** Cluster autoscaler values: discovers the node groups by their EKS tags, balances the zones, matches the control plane's minor. */
export function clusterAutoscalerValues(a: AwsClusterArgs, roleArn: pulumi.Input<string>) {
    return {
        cloudProvider: "aws",
        awsRegion: a.region,
        autoDiscovery: { clusterName: a.cluster.name },
        image: { tag: `v${a.kubernetesVersion}.0` },
        rbac: { serviceAccount: { name: "cluster-autoscaler", annotations: { "eks.amazonaws.com/role-arn": roleArn } } },
        extraArgs: { "balance-similar-node-groups": "true", "skip-nodes-with-local-storage": "false", expander: "least-waste" },
        priorityClassName: "system-cluster-critical",
        resources: { requests: { cpu: "100m", memory: "300Mi" }, limits: { cpu: "200m", memory: "600Mi" } },
    };
}

/** Calico as NetworkPolicy engine beside the VPC CNI (the `cni: calico` choice on EKS). */
export const CALICO_VALUES = { installation: { kubernetesProvider: "EKS", cni: { type: "AmazonVPC" }, calicoNetwork: { bgp: "Disabled" } } };

/** A kubeconfig that authenticates with `aws eks get-token`, so no credential is stored in it. */
export function eksKubeconfig(clusterName: string, endpoint: string, caData: string, region: string): string {
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: clusterName, cluster: { server: endpoint, "certificate-authority-data": caData } }],
        contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
        "current-context": clusterName,
        users: [
            {
                name: clusterName,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"],
                        interactiveMode: "Never",
                    },
                },
            },
        ],
    });
}

/** EKS with encrypted Secrets, 90-day audit logs, three zonal node groups, the cluster autoscaler and IRSA. */
export class AwsCluster extends pulumi.ComponentResource implements ClusterHandle {
    public readonly kubeconfig: pulumi.Output<string>;
    public readonly provider: k8s.Provider;
    public readonly identities: ClusterHandle["identities"];
    public readonly clusterName: pulumi.Output<string>;

    constructor(name: string, args: AwsClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:cloud:AwsCluster", name, {}, opts);
        const child = { parent: this };
        const c = args.cluster;

        const key = new aws.kms.Key(
            `${name}-secrets`,
            awsKmsKeyArgs(`Envelope encryption of ${c.name}'s Kubernetes Secrets`, args.region, args.stack),
            {
                ...child,
                protect: true,
            },
        );
        new aws.kms.Alias(`${name}-secrets`, { name: `alias/${c.name}-secrets`, targetKeyId: key.keyId, region: args.region }, child);

        const role = new aws.iam.Role(`${name}-control-plane`, { assumeRolePolicy: assumeRole("eks.amazonaws.com") }, child);
        new aws.iam.RolePolicyAttachment(
            `${name}-control-plane`,
            { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy" },
            child,
        );
        new aws.iam.RolePolicy(`${name}-secrets-key`, { role: role.id, policy: key.arn.apply(clusterKeyPolicy) }, child);

        const logs = new aws.cloudwatch.LogGroup(`${name}-control-plane`, controlPlaneLogGroupArgs(args), child);
        const cluster = new aws.eks.Cluster(name, eksClusterArgs(args, role.arn, key.arn), { ...child, dependsOn: [logs], protect: true });
        this.clusterName = cluster.name;

        const nodeRole = new aws.iam.Role(`${name}-nodes`, { assumeRolePolicy: assumeRole("ec2.amazonaws.com") }, child);
        const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly", "AmazonEKS_CNI_Policy"].map(
            (p) => new aws.iam.RolePolicyAttachment(`${name}-nodes-${p}`, { role: nodeRole.name, policyArn: `arn:aws:iam::aws:policy/${p}` }, child),
        );
        const nodeGroups = c.network.subnetIds.map(
            (subnet, i) =>
                new aws.eks.NodeGroup(`${name}-zone-${i + 1}`, nodeGroupArgs(args, cluster.name, nodeRole.arn, subnet), {
                    ...child,
                    dependsOn: nodePolicies,
                    // The cluster autoscaler owns the size between the bounds.
                    ignoreChanges: ["scalingConfig.desiredSize"],
                }),
        );

        const issuer = cluster.identities.apply((ids) => ids[0].oidcs![0].issuer!);
        const oidc = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, { url: issuer, clientIdLists: ["sts.amazonaws.com"] }, child);
        const irsaRole = (suffix: string, accounts: readonly ServiceAccountRef[]) =>
            new aws.iam.Role(
                `${name}-${suffix}`,
                { assumeRolePolicy: pulumi.all([oidc.arn, issuer]).apply(([arn, url]) => irsaTrustPolicy(arn, url, accounts)) },
                child,
            );
        const identity = (suffix: string, accounts: readonly ServiceAccountRef[]): WorkloadIdentity => {
            const r = irsaRole(suffix, accounts);
            return { accounts, annotation: r.arn, principal: r.name };
        };
        this.identities = {
            externalSecrets: identity("external-secrets", [EXTERNAL_SECRETS_ACCOUNT]),
            backupWriter: identity("backup", BACKUP_ACCOUNTS),
        };

        const ebsRole = irsaRole("ebs-csi", [{ namespace: "kube-system", name: "ebs-csi-controller-sa" }]);
        new aws.iam.RolePolicyAttachment(
            `${name}-ebs-csi`,
            { role: ebsRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy" },
            child,
        );
        for (const addon of eksAddons(args, ebsRole.arn)) {
            const needsNodes = !["vpc-cni", "kube-proxy"].includes(addon.name);
            new aws.eks.Addon(
                `${name}-${addon.name}`,
                { ...addon.args, clusterName: cluster.name },
                { ...child, dependsOn: needsNodes ? nodeGroups : [] },
            );
        }

        this.kubeconfig = pulumi.secret(
            pulumi
                .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
                .apply(([n, endpoint, ca]) => eksKubeconfig(n, endpoint, ca.data!, args.region)),
        );
        this.provider = kubernetesProvider(name, { target: {}, kubeconfig: this.kubeconfig }, { ...child, dependsOn: nodeGroups });

        const autoscalerRole = irsaRole("autoscaler", [{ namespace: "kube-system", name: "cluster-autoscaler" }]);
        new aws.iam.RolePolicy(`${name}-autoscaler`, { role: autoscalerRole.id, policy: cluster.name.apply(autoscalerPolicy) }, child);
        const inCluster = { ...child, provider: this.provider };
        new k8s.helm.v3.Release(
            `${name}-autoscaler`,
            {
                name: "cluster-autoscaler",
                namespace: "kube-system",
                chart: CHARTS.clusterAutoscaler.chart,
                version: CHARTS.clusterAutoscaler.version,
                repositoryOpts: { repo: CHARTS.clusterAutoscaler.repo },
                values: clusterAutoscalerValues(args, autoscalerRole.arn),
            },
            inCluster,
        );
        if (args.cni === "calico") {
            new k8s.helm.v3.Release(
                `${name}-calico`,
                {
                    name: "calico",
                    namespace: "tigera-operator",
                    createNamespace: true,
                    chart: CHARTS.tigeraOperator.chart,
                    version: CHARTS.tigeraOperator.version,
                    repositoryOpts: { repo: CHARTS.tigeraOperator.repo },
                    values: CALICO_VALUES,
                },
                inCluster,
            );
        }
        this.registerOutputs({ kubeconfig: this.kubeconfig, clusterName: this.clusterName });
    }
}
