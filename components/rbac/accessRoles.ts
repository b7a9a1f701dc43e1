import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { RbacConfig } from "../../config/types";
import { NAMESPACES } from "../../config/workloads";
import { platformLabels } from "../labels";
import type { DeployedKinds, DeployedResource } from "./deployedKinds";

type Role = k8s.types.input.rbac.v1.Role;
type RoleBinding = k8s.types.input.rbac.v1.RoleBinding;
type ClusterRole = k8s.types.input.rbac.v1.ClusterRole;
type ClusterRoleBinding = k8s.types.input.rbac.v1.ClusterRoleBinding;
type PolicyRule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };
type Deployed = DeployedResource & { names: string[] };

const labels = (stack: string) => platformLabels("access", stack);
const READ = ["get", "list", "watch"];
/** Pulumi's Kubernetes provider creates and updates by server-side apply (patch; create when the object is new), and deletes. */
const APPLY = ["create", "update", "patch", "delete"];

/**
 * What Pulumi reads besides the objects it manages, none of it secret: the pods, ReplicaSets and events its
 * await logic watches while a Deployment, StatefulSet or Job rolls out, the endpoints a Service waits for,
 * the claims of a StatefulSet.
 */
export const AWAIT_READS: readonly { group: string; resources: readonly string[] }[] = [
    { group: "", resources: ["pods", "events", "endpoints", "persistentvolumeclaims"] },
    { group: "apps", resources: ["replicasets"] },
    { group: "discovery.k8s.io", resources: ["endpointslices"] },
];
const POD_LOGS: PolicyRule = { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] };

export const ROLE_NAMES = { developer: "voting-developer", deployer: "voting-deployer", deployerCluster: "voting-deployer-cluster" } as const;
/** The bindings of the access model in each namespace. */
export const BINDING_NAMES = { developers: "voting-developers", sre: "voting-sre", deployer: "voting-deployer" } as const;

/** One rule per API group, its resources sorted. */
function byGroup(resources: readonly { group: string; resource: string }[], verbs: readonly string[]): PolicyRule[] {
    const groups = new Map<string, string[]>();
    for (const r of resources) groups.set(r.group, [...(groups.get(r.group) ?? []), r.resource]);
    return [...groups.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([group, res]) => ({ apiGroups: [group], resources: [...new Set(res)].sort(), verbs: [...verbs] }));
}

const awaitReads = (): PolicyRule[] => AWAIT_READS.map((a) => ({ apiGroups: [a.group], resources: [...a.resources], verbs: [...READ] }));
const isSecrets = (r: { group: string; resource: string }) => r.group === "" && r.resource === "secrets";

/** Checklist 4.4.2, 6.5.1: read-only on what the platform runs in the namespace, logs included; no Secrets, no exec, no delete. */
export function buildDeveloperRole(namespace: string, stack: string, deployed: readonly Deployed[]): Role {
    const visible = deployed.filter((r) => !isSecrets(r) && !(r.group === "" && r.resource === "serviceaccounts"));
    return {
        metadata: { name: ROLE_NAMES.developer, namespace, labels: labels(stack) },
        rules: [...byGroup(visible, READ), ...awaitReads(), POD_LOGS],
    };
}

/**
 * Checklist 4.4.2: CI/CD applies exactly the kinds the program renders in the namespace, reads what
 * Pulumi's await logic watches, and holds nothing else: no exec, no bind or escalate. It holds no verb on
 * Secrets unless the program itself creates Secrets there (staging's generated passwords): then it may
 * create Secrets and get, patch, update or delete those names only; prod renders none.
 */
export function buildDeployerRole(namespace: string, stack: string, deployed: readonly Deployed[]): Role {
    const secrets = deployed.find(isSecrets);
    return {
        metadata: { name: ROLE_NAMES.deployer, namespace, labels: labels(stack) },
        rules: [
            ...byGroup(
                deployed.filter((r) => !isSecrets(r)),
                [...READ, ...APPLY],
            ),
            ...(secrets
                ? [
                      { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
                      { apiGroups: [""], resources: ["secrets"], resourceNames: [...secrets.names], verbs: ["get", "update", "patch", "delete"] },
                  ]
                : []),
            ...awaitReads(),
            POD_LOGS,
        ],
    };
}

/**
 * Checklist 4.4.2, outside the voting namespaces (the data CA's Issuer and Certificate in cert-manager's
 * namespace): CI/CD applies exactly the kinds the program renders there and nothing else, not even what the
 * await logic reads, since none of them is a workload. Nobody else is bound: the namespace is not the platform's.
 */
export function buildForeignDeployerRole(namespace: string, stack: string, deployed: readonly Deployed[]): Role {
    return {
        metadata: { name: ROLE_NAMES.deployer, namespace, labels: labels(stack) },
        rules: byGroup(
            deployed.filter((r) => !isSecrets(r)),
            [...READ, ...APPLY],
        ),
    };
}

/**
 * The cluster-scoped objects the program renders (namespaces, StorageClass, PriorityClass, ClusterIssuer,
 * ClusterSecretStore, this role and its binding): read and create any, change or delete
 * only those names. Kubernetes cannot limit `create` to names.
 */
export function buildDeployerClusterRole(stack: string, deployed: readonly Deployed[]): ClusterRole {
    return {
        metadata: { name: ROLE_NAMES.deployerCluster, labels: labels(stack) },
        rules: [
            ...byGroup(deployed, [...READ, "create"]),
            ...deployed.map((r) => ({
                apiGroups: [r.group],
                resources: [r.resource],
                resourceNames: [...r.names],
                verbs: ["update", "patch", "delete"],
            })),
        ],
    };
}

function binding(
    name: string,
    namespace: string,
    stack: string,
    roleRef: { kind: "Role" | "ClusterRole"; name: string },
    subject: { kind: string; name: string; namespace?: string },
): RoleBinding {
    return {
        metadata: { name, namespace, labels: labels(stack) },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", ...roleRef },
        subjects: [subject.kind === "ServiceAccount" ? subject : { apiGroup: "rbac.authorization.k8s.io", ...subject }],
    };
}

/** Every Role and RoleBinding of the access model in one namespace; SRE gets the built-in namespace `admin`, never cluster-admin. */
export function buildAccess(
    namespace: string,
    rbac: RbacConfig,
    deployerNamespace: string,
    stack: string,
    deployed: readonly Deployed[],
): (Role | RoleBinding)[] {
    return [
        buildDeveloperRole(namespace, stack, deployed),
        buildDeployerRole(namespace, stack, deployed),
        binding(
            BINDING_NAMES.developers,
            namespace,
            stack,
            { kind: "Role", name: ROLE_NAMES.developer },
            { kind: "Group", name: rbac.developerGroup },
        ),
        binding(BINDING_NAMES.sre, namespace, stack, { kind: "ClusterRole", name: "admin" }, { kind: "Group", name: rbac.sreGroup }),
        binding(
            BINDING_NAMES.deployer,
            namespace,
            stack,
            { kind: "Role", name: ROLE_NAMES.deployer },
            { kind: "ServiceAccount", name: rbac.deployerServiceAccount, namespace: deployerNamespace },
        ),
    ];
}

export interface AccessRolesArgs {
    readonly rbac: RbacConfig;
    readonly stack: string;
    /** What the rest of the program renders: construct this component after everything else. */
    readonly deployed: DeployedKinds;
}

/**
 * Namespace-scoped access for developers (read-only), SRE (admin in the voting namespaces) and CI/CD
 * (apply exactly what the program renders), and a cluster role for the cluster-scoped objects CI/CD applies.
 */
export class AccessRoles extends pulumi.ComponentResource {
    constructor(name: string, args: AccessRolesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:rbac:AccessRoles", name, {}, opts);
        // The deployer's identity lives beside the API; its bindings reach every voting namespace.
        const deployerNamespace = NAMESPACES.api;
        const rbac = "rbac.authorization.k8s.io/v1";
        // This component's own objects are part of what the deployer applies.
        args.deployed.record(deployerNamespace, "v1", "ServiceAccount", args.rbac.deployerServiceAccount);
        for (const ns of Object.values(NAMESPACES)) {
            for (const role of [ROLE_NAMES.developer, ROLE_NAMES.deployer]) args.deployed.record(ns, rbac, "Role", role);
            for (const b of Object.values(BINDING_NAMES)) args.deployed.record(ns, rbac, "RoleBinding", b);
        }
        // Namespaces the platform does not own but renders into: the deployer's role and binding only.
        const foreign = args.deployed.namespaces().filter((ns) => !(Object.values(NAMESPACES) as string[]).includes(ns));
        for (const ns of foreign) {
            args.deployed.record(ns, rbac, "Role", ROLE_NAMES.deployer);
            args.deployed.record(ns, rbac, "RoleBinding", BINDING_NAMES.deployer);
        }
        args.deployed.record("", rbac, "ClusterRole", ROLE_NAMES.deployerCluster);
        args.deployed.record("", rbac, "ClusterRoleBinding", ROLE_NAMES.deployerCluster);

        new k8s.core.v1.ServiceAccount(
            `${name}-deployer`,
            {
                metadata: { name: args.rbac.deployerServiceAccount, namespace: deployerNamespace, labels: labels(args.stack) },
                automountServiceAccountToken: false,
            },
            { parent: this },
        );
        for (const ns of Object.values(NAMESPACES)) {
            for (const obj of buildAccess(ns, args.rbac, deployerNamespace, args.stack, args.deployed.in(ns))) {
                const kind = "roleRef" in obj ? "binding" : "role";
                const objName = (obj.metadata as { name: string }).name;
                if (kind === "role") new k8s.rbac.v1.Role(`${name}-${ns}-${objName}`, obj as Role, { parent: this });
                else new k8s.rbac.v1.RoleBinding(`${name}-${ns}-${objName}-binding`, obj as RoleBinding, { parent: this });
            }
        }
        for (const ns of foreign) {
            new k8s.rbac.v1.Role(`${name}-${ns}-${ROLE_NAMES.deployer}`, buildForeignDeployerRole(ns, args.stack, args.deployed.in(ns)), {
                parent: this,
            });
            const deployer = { kind: "ServiceAccount", name: args.rbac.deployerServiceAccount, namespace: deployerNamespace };
            new k8s.rbac.v1.RoleBinding(
                `${name}-${ns}-${BINDING_NAMES.deployer}-binding`,
                binding(BINDING_NAMES.deployer, ns, args.stack, { kind: "Role", name: ROLE_NAMES.deployer }, deployer),
                { parent: this },
            );
        }
        const clusterRole = new k8s.rbac.v1.ClusterRole(`${name}-deployer-cluster`, buildDeployerClusterRole(args.stack, args.deployed.in("")), {
            parent: this,
        });
        const clusterBinding: ClusterRoleBinding = {
            metadata: { name: ROLE_NAMES.deployerCluster, labels: labels(args.stack) },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: ROLE_NAMES.deployerCluster },
            subjects: [{ kind: "ServiceAccount", name: args.rbac.deployerServiceAccount, namespace: deployerNamespace }],
        };
        new k8s.rbac.v1.ClusterRoleBinding(`${name}-deployer-cluster-binding`, clusterBinding, { parent: this, dependsOn: [clusterRole] });
        this.registerOutputs({});
    }
}
