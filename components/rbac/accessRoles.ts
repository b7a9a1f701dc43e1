import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { RbacConfig } from "../../config/types";
import { NAMESPACES } from "../../config/workloads";
import { platformLabels } from "../labels";

type Role = k8s.types.input.rbac.v1.Role;
type RoleBinding = k8s.types.input.rbac.v1.RoleBinding;

const labels = (stack: string) => platformLabels("access", stack);
const READ = ["get", "list", "watch"];
/** What the platform deploys, by API group: the resources a developer may read and the deployer may change. */
const PLATFORM_RESOURCES: Record<string, string[]> = {
    "": ["pods", "services", "endpoints", "configmaps", "events", "serviceaccounts", "persistentvolumeclaims", "resourcequotas", "limitranges"],
    apps: ["deployments", "replicasets", "statefulsets"],
    batch: ["jobs", "cronjobs"],
    autoscaling: ["horizontalpodautoscalers"],
    policy: ["poddisruptionbudgets"],
    "networking.k8s.io": ["networkpolicies", "ingresses"],
    "keda.sh": ["scaledobjects", "triggerauthentications"],
    "cert-manager.io": ["certificates", "issuers"],
    "external-secrets.io": ["externalsecrets"],
};

export const ROLE_NAMES = { developer: "voting-developer", deployer: "voting-deployer" } as const;

/** Checklist 4.4.2, 6.5.1: read-only, logs included; no Secrets, no exec, no delete. */
export function buildDeveloperRole(namespace: string, stack: string): Role {
    return {
        metadata: { name: ROLE_NAMES.developer, namespace, labels: labels(stack) },
        rules: [
            ...Object.entries(PLATFORM_RESOURCES).map(([group, resources]) => ({
                apiGroups: [group],
                resources: resources.filter((r) => r !== "serviceaccounts"),
                verbs: READ,
            })),
            { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
        ],
    };
}

/** CI/CD deploys, upgrades and rolls back the platform's objects; it reads Secrets it manages, and never execs. */
export function buildDeployerRole(namespace: string, stack: string): Role {
    return {
        metadata: { name: ROLE_NAMES.deployer, namespace, labels: labels(stack) },
        rules: [
            ...Object.entries(PLATFORM_RESOURCES).map(([group, resources]) => ({
                apiGroups: [group],
                resources,
                verbs: [...READ, "create", "update", "patch", "delete"],
            })),
            { apiGroups: [""], resources: ["secrets"], verbs: [...READ, "create", "update", "patch", "delete"] },
            { apiGroups: ["apps"], resources: ["deployments/scale", "statefulsets/scale"], verbs: ["get", "update", "patch"] },
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
export function buildAccess(namespace: string, rbac: RbacConfig, deployerNamespace: string, stack: string): (Role | RoleBinding)[] {
    return [
        buildDeveloperRole(namespace, stack),
        buildDeployerRole(namespace, stack),
        binding("voting-developers", namespace, stack, { kind: "Role", name: ROLE_NAMES.developer }, { kind: "Group", name: rbac.developerGroup }),
        binding("voting-sre", namespace, stack, { kind: "ClusterRole", name: "admin" }, { kind: "Group", name: rbac.sreGroup }),
        binding(
            "voting-deployer",
            namespace,
            stack,
            { kind: "Role", name: ROLE_NAMES.deployer },
            { kind: "ServiceAccount", name: rbac.deployerServiceAccount, namespace: deployerNamespace },
        ),
    ];
}

/** Namespace-scoped access for developers (read-only), SRE (admin in the voting namespaces) and CI/CD (deploy only). */
export class AccessRoles extends pulumi.ComponentResource {
    constructor(name: string, args: { rbac: RbacConfig; stack: string }, opts?: pulumi.ComponentResourceOptions) {
        super("voting:rbac:AccessRoles", name, {}, opts);
        // The deployer's identity lives beside the API; its bindings reach every voting namespace.
        const deployerNamespace = NAMESPACES.api;
        new k8s.core.v1.ServiceAccount(
            `${name}-deployer`,
            {
                metadata: { name: args.rbac.deployerServiceAccount, namespace: deployerNamespace, labels: labels(args.stack) },
                automountServiceAccountToken: false,
            },
            { parent: this },
        );
        for (const ns of Object.values(NAMESPACES)) {
            for (const obj of buildAccess(ns, args.rbac, deployerNamespace, args.stack)) {
                const kind = "roleRef" in obj ? "binding" : "role";
                const objName = (obj.metadata as { name: string }).name;
                if (kind === "role") new k8s.rbac.v1.Role(`${name}-${ns}-${objName}`, obj as Role, { parent: this });
                else new k8s.rbac.v1.RoleBinding(`${name}-${ns}-${objName}-binding`, obj as RoleBinding, { parent: this });
            }
        }
        this.registerOutputs({});
    }
}
