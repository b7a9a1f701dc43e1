import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { CLOCK_ENV } from "../../components/clock";
import type { K8sObject } from "../../policies/lib/k8s";
import { loadStackConfig, PROJECT_ROOT, SECRET_PLACEHOLDER, type StackConfig } from "./stackConfig";

/** The instant an offline render runs at, for the inputs the program derives from the clock. */
export const OFFLINE_NOW = "2025-01-01T00:00:00Z";

/** The release an offline render names its per-release Jobs after, unless the stack sets one. */
export const OFFLINE_RELEASE = "offline-render";

/** One resource the program registered, as the engine would see it. */
export interface RenderedResource {
    readonly type: string;
    readonly name: string;
    /** `type::name`, unique in the program. */
    readonly key: string;
    /** Key of the parent resource; undefined for children of the stack. */
    readonly parent?: string;
    readonly custom: boolean;
    /** Key of the explicit provider a custom resource is created with; undefined: the default provider. */
    readonly provider?: string;
    /** Inputs as the provider receives them, secrets unwrapped. */
    readonly inputs: Record<string, unknown>;
    /** The same inputs with every Pulumi secret replaced by a placeholder: what render writes. */
    readonly redactedInputs: Record<string, unknown>;
    /**
     * The resource's properties after creation, as the engine hands them to stack policies: the inputs
     * plus the mock's stand-ins for what only the provider knows (ARNs, generated names, endpoints).
     */
    readonly state: Record<string, unknown>;
    readonly options: {
        readonly protect: boolean;
        readonly retainOnDelete: boolean;
        readonly dependsOn: string[];
        readonly ignoreChanges: string[];
    };
}

export interface RenderResult {
    readonly config: StackConfig;
    readonly resources: RenderedResource[];
    readonly outputs: Record<string, unknown>;
    /** Names of the stack outputs that are Pulumi secrets: render writes them redacted. */
    readonly secretOutputs: string[];
}

const ACCOUNT = "123456789012";
const PROJECT_NUMBER = "123456789012";
const TENANT = "00000000-0000-0000-0000-000000000001";
const SUBSCRIPTION = "00000000-0000-0000-0000-000000000002";
const MOCK_CA = Buffer.from("offline-render-ca").toString("base64");

/** Deterministic stand-ins for values only a real provider knows (ids, ARNs, endpoints, a cluster's CA). */
function mockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    // A generated password is only known after `pulumi up`; its offline stand-in is deterministic.
    if (type.startsWith("random:")) return { ...inputs, result: `generated-${name}`, id: `${name}-id` };
    if (type.startsWith("kubernetes:")) return inputs;
    const region = (inputs.region as string | undefined) ?? "eu-west-1";
    const state: Record<string, unknown> = { name, ...inputs };
    switch (type) {
        // Names a cloud provider would generate: the resource name stands in for them.
        case "aws:s3/bucket:Bucket":
            return { ...state, bucket: inputs.bucket ?? `${inputs.bucketPrefix ?? ""}${name}`, arn: `arn:aws:s3:::${name}` };
        case "aws:kms/key:Key":
            return { ...state, keyId: `${name}-key-id`, arn: `arn:aws:kms:${region}:${ACCOUNT}:key/${name}` };
        case "aws:iam/role:Role":
            return { ...state, arn: `arn:aws:iam::${ACCOUNT}:role/${name}` };
        case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            return { ...state, arn: `arn:aws:iam::${ACCOUNT}:oidc-provider/${String(inputs.url).replace(/^https:\/\//, "")}` };
        case "aws:secretsmanager/secret:Secret":
            return { ...state, arn: `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${inputs.name}` };
        case "aws:lambda/function:Function":
            return { ...state, arn: `arn:aws:lambda:${region}:${ACCOUNT}:function:${inputs.name}` };
        case "aws:eks/cluster:Cluster":
            return {
                ...state,
                arn: `arn:aws:eks:${region}:${ACCOUNT}:cluster/${inputs.name}`,
                endpoint: `https://${inputs.name}.gr7.${region}.eks.amazonaws.com`,
                certificateAuthority: { data: MOCK_CA },
                identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${inputs.name}` }] }],
            };
        case "gcp:container/cluster:Cluster":
            return { ...state, endpoint: "198.51.100.10", masterAuth: { ...(inputs.masterAuth as object), clusterCaCertificate: MOCK_CA } };
        case "gcp:projects/serviceIdentity:ServiceIdentity":
            return { ...state, email: `service-${PROJECT_NUMBER}@gcp-sa-${String(inputs.service).split(".")[0]}.iam.gserviceaccount.com` };
        case "gcp:serviceaccount/account:Account":
            return {
                ...state,
                email: `${inputs.accountId}@${inputs.project}.iam.gserviceaccount.com`,
                name: `projects/${inputs.project}/serviceAccounts/${inputs.accountId}`,
            };
        case "azure-native:managedidentity:UserAssignedIdentity":
            return { ...state, principalId: `${name}-principal-id`, clientId: `${name}-client-id` };
        case "azure-native:keyvault:Vault":
            return {
                ...state,
                name: inputs.vaultName,
                properties: { ...(inputs.properties as object), vaultUri: `https://${inputs.vaultName}.vault.azure.net/` },
            };
        case "azure-native:keyvault:Key":
            return {
                ...state,
                name: inputs.keyName,
                keyUriWithVersion: `https://vault.vault.azure.net/keys/${inputs.keyName}/0000000000000000000000000000000a`,
            };
        case "azure-native:applicationinsights:Component":
            return {
                ...state,
                connectionString: `InstrumentationKey=${name}-key;IngestionEndpoint=https://${String(inputs.location)}.in.applicationinsights.azure.com/`,
            };
        case "azure-native:containerservice:ManagedCluster":
            return {
                ...state,
                name: inputs.resourceName,
                oidcIssuerProfile: { enabled: true, issuerURL: `https://${region}.oic.prod-aks.azure.com/${TENANT}/${name}/` },
            };
        default:
            return state;
    }
}

/** Azure resource providers and collections of the types whose ids other resources name. */
const AZURE_ID_PATHS: Record<string, [string, string]> = {
    "azure-native:containerservice:ManagedCluster": ["Microsoft.ContainerService/managedClusters", "resourceName"],
    "azure-native:operationalinsights:Workspace": ["Microsoft.OperationalInsights/workspaces", "workspaceName"],
    "azure-native:keyvault:Vault": ["Microsoft.KeyVault/vaults", "vaultName"],
    "azure-native:storage:StorageAccount": ["Microsoft.Storage/storageAccounts", "accountName"],
    "azure-native:managedidentity:UserAssignedIdentity": ["Microsoft.ManagedIdentity/userAssignedIdentities", "resourceName"],
};

/** The id a provider would give: S3 names its buckets by id, Azure ids are resource paths, the rest a stand-in. */
function mockId(type: string, name: string, inputs: Record<string, unknown>, state: Record<string, unknown>): string {
    if (type === "aws:s3/bucket:Bucket") return String(state.bucket);
    if (type === "aws:secretsmanager/secret:Secret") return String(state.arn);
    if (type === "gcp:logging/projectBucketConfig:ProjectBucketConfig")
        return `projects/${inputs.project}/locations/${inputs.location}/buckets/${inputs.bucketId}`;
    if (type === "gcp:container/cluster:Cluster") return `projects/${inputs.project}/locations/${inputs.location}/clusters/${inputs.name}`;
    const azure = AZURE_ID_PATHS[type];
    if (azure) {
        return `/subscriptions/${SUBSCRIPTION}/resourceGroups/${inputs.resourceGroupName}/providers/${azure[0]}/${inputs[azure[1]] ?? name}`;
    }
    return `${name}-id`;
}

/** Deterministic answers of the provider functions (data sources) the program calls. */
function mockCall(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
    switch (token) {
        case "gcp:compute/getZones:getZones":
            return { ...inputs, names: ["a", "b", "c", "d"].map((z) => `${inputs.region}-${z}`) };
        case "gcp:storage/getProjectServiceAccount:getProjectServiceAccount":
            return { ...inputs, emailAddress: `service-${PROJECT_NUMBER}@gs-project-accounts.iam.gserviceaccount.com` };
        case "azure-native:authorization:getClientConfig":
            return { clientId: "offline-client", objectId: "offline-object", subscriptionId: SUBSCRIPTION, tenantId: TENANT };
        case "azure-native:containerservice:listManagedClusterUserCredentials": {
            const kubeconfig = JSON.stringify({
                apiVersion: "v1",
                kind: "Config",
                clusters: [
                    {
                        name: inputs.resourceName,
                        cluster: { server: `https://${inputs.resourceName}.hcp.example`, "certificate-authority-data": MOCK_CA },
                    },
                ],
            });
            return { kubeconfigs: [{ name: "clusterUser", value: Buffer.from(kubeconfig).toString("base64") }] };
        }
        default:
            return { ...inputs, accountId: ACCOUNT, partition: "aws", project: "voting-project" };
    }
}

const keyOf = (type: string, name: string) => `${type}::${name}`;

/**
 * The key of the provider a reference (`<urn>::<id>`) names. The URN ends `::<type>::<name>`, where the
 * type is qualified by the parents' types (`parent$child`).
 */
export function providerKeyOf(ref: string): string {
    const parts = ref.split("::");
    const [qualifiedType, name] = parts.slice(-3, -1);
    return keyOf(qualifiedType.split("$").pop()!, name);
}

/** How the runtime marks a secret value in serialized properties. */
const { specialSigKey: SECRET_SIG, specialSecretSig: SECRET_VALUE } = rpc;

/** Replaces each secret-wrapped value by its content (or by `placeholder`, for writing). */
function unwrapSecrets(value: unknown, placeholder?: string): unknown {
    if (Array.isArray(value)) return value.map((v) => unwrapSecrets(v, placeholder));
    if (value && typeof value === "object") {
        const o = value as Record<string, unknown>;
        if (o[SECRET_SIG] === SECRET_VALUE) return placeholder !== undefined ? placeholder : unwrapSecrets(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, unwrapSecrets(v, placeholder)]));
    }
    return value;
}

/**
 * Runs the program (`index.ts`) for one stack under Pulumi's mock runtime and captures every
 * registered resource with its inputs, parent, provider and the options that matter. `configRoot` holds
 * Pulumi.yaml and the stack file when they are not beside the program (tests of stack variants);
 * `overrides` sets values as `pulumi config set [--secret]` would (tests of secret handling).
 */
export interface ConfigOverrides {
    /** `project:key` → value, as the language host passes them; they replace the stack file's. */
    readonly values: Record<string, string>;
    /** Keys among them set with `--secret`. */
    readonly secretKeys?: readonly string[];
}

export async function renderStack(stack: string, root = PROJECT_ROOT, configRoot = root, overrides?: ConfigOverrides): Promise<RenderResult> {
    const fromFile = loadStackConfig(stack, configRoot);
    const config = overrides
        ? {
              ...fromFile,
              values: { ...fromFile.values, ...overrides.values },
              secretKeys: [...new Set([...fromFile.secretKeys, ...(overrides.secretKeys ?? [])])],
          }
        : fromFile;
    const inputs = new Map<string, { custom: boolean; provider?: string; inputs: Record<string, unknown>; state: Record<string, unknown> }>();
    const order: string[] = [];
    const meta = new Map<string, Omit<RenderedResource, "inputs" | "redactedInputs" | "state" | "custom">>();
    const keys = new WeakMap<pulumi.Resource, string>();
    const secretOutputs: string[] = [];

    await pulumi.runtime.setMocks(
        {
            newResource: (a) => {
                const key = keyOf(a.type, a.name);
                if (inputs.has(key)) throw new Error(`two resources named ${key}: give each a unique name`);
                const state = mockState(a.type, a.name, a.inputs);
                inputs.set(key, { custom: a.custom ?? true, provider: a.provider ? providerKeyOf(a.provider) : undefined, inputs: a.inputs, state });
                return { id: mockId(a.type, a.name, a.inputs, state), state };
            },
            call: (a) => mockCall(a.token, a.inputs),
        },
        config.project,
        stack,
        true,
    );
    // A render is reproducible: without a release in the stack file, the Jobs named per release get a fixed one.
    const releaseKey = `${config.project}:release`;
    const values = releaseKey in config.values ? config.values : { ...config.values, [releaseKey]: OFFLINE_RELEASE };
    pulumi.runtime.setAllConfig(values, config.secretKeys);
    // Timestamps the program derives from the clock (a secret's first rotation) are pinned too.
    process.env[CLOCK_ENV] = OFFLINE_NOW;

    const resolveKeys = (deps: unknown): string[] => {
        const list = Array.isArray(deps) ? deps : deps ? [deps] : [];
        return list.map((d) => keys.get(d as pulumi.Resource)).filter((k): k is string => k !== undefined);
    };

    // The program beside this module: index.ts under ts-node, index.js in the compiled bin/.
    const entry = require.resolve(root === PROJECT_ROOT ? path.resolve(__dirname, "..", "..", "index") : path.join(root, "index"));
    delete require.cache[entry];
    const outputs = await pulumi.runtime.runInPulumiStack(async () => {
        pulumi.runtime.registerStackTransformation((a) => {
            const key = keyOf(a.type, a.name);
            keys.set(a.resource, key);
            order.push(key);
            meta.set(key, {
                type: a.type,
                name: a.name,
                key,
                parent: a.opts.parent ? keys.get(a.opts.parent) : undefined,
                options: {
                    protect: a.opts.protect === true,
                    retainOnDelete: a.opts.retainOnDelete === true,
                    dependsOn: resolveKeys(a.opts.dependsOn),
                    ignoreChanges: [...(a.opts.ignoreChanges ?? [])],
                },
            });
            return undefined;
        });
        const program = await import(entry);
        for (const [k, v] of Object.entries(program)) if (pulumi.Output.isInstance(v) && (await pulumi.isSecret(v))) secretOutputs.push(k);
        return { ...program };
    });
    await pulumi.runtime.disconnect();

    const resources: RenderedResource[] = [];
    for (const key of order) {
        const m = meta.get(key)!;
        const got = inputs.get(key);
        if (!got) throw new Error(`resource ${key} was constructed but never registered`);
        resources.push({
            ...m,
            custom: got.custom,
            provider: got.provider,
            inputs: unwrapSecrets(got.inputs) as Record<string, unknown>,
            redactedInputs: unwrapSecrets(got.inputs, SECRET_PLACEHOLDER) as Record<string, unknown>,
            state: unwrapSecrets(got.state) as Record<string, unknown>,
        });
    }
    return { config, resources, outputs: (outputs ?? {}) as Record<string, unknown>, secretOutputs };
}

/** The Kubernetes objects among the rendered resources (custom resources with apiVersion and kind). */
export function kubernetesObjects(result: RenderResult, opts: { redacted?: boolean } = {}): K8sObject[] {
    return result.resources
        .filter((r) => r.custom && r.type.startsWith("kubernetes:") && typeof r.inputs.kind === "string")
        .map((r) => (opts.redacted ? r.redactedInputs : r.inputs) as unknown as K8sObject);
}

/** Cloud and other non-Kubernetes custom resources (providers excluded). */
export function cloudResources(result: RenderResult): RenderedResource[] {
    return result.resources.filter((r) => r.custom && !r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:"));
}
