import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import type { K8sObject } from "../../policies/lib/k8s";
import { loadStackConfig, PROJECT_ROOT, SECRET_PLACEHOLDER, type StackConfig } from "./stackConfig";

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
}

/** Deterministic stand-ins for values only a real provider knows. */
function mockState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    // A generated password is only known after `pulumi up`; its offline stand-in is deterministic.
    if (type.startsWith("random:")) return { ...inputs, result: `generated-${name}`, id: `${name}-id` };
    // Names a cloud provider would generate: the resource name stands in for them.
    if (type === "aws:s3/bucket:Bucket")
        return { ...inputs, bucket: inputs.bucket ?? `${inputs.bucketPrefix ?? ""}${name}`, arn: `arn:aws:s3:::${name}` };
    if (!type.startsWith("kubernetes:")) return { name, ...inputs };
    return inputs;
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
    const inputs = new Map<string, { custom: boolean; provider?: string; inputs: Record<string, unknown> }>();
    const order: string[] = [];
    const meta = new Map<string, Omit<RenderedResource, "inputs" | "redactedInputs" | "custom">>();
    const keys = new WeakMap<pulumi.Resource, string>();

    await pulumi.runtime.setMocks(
        {
            newResource: (a) => {
                const key = keyOf(a.type, a.name);
                if (inputs.has(key)) throw new Error(`two resources named ${key}: give each a unique name`);
                inputs.set(key, { custom: a.custom ?? true, provider: a.provider ? providerKeyOf(a.provider) : undefined, inputs: a.inputs });
                return { id: `${a.name}-id`, state: mockState(a.type, a.name, a.inputs) };
            },
            call: (a) => ({ ...a.inputs, accountId: "123456789012", partition: "aws", project: "voting-project" }),
        },
        config.project,
        stack,
        true,
    );
    // A render is reproducible: without a release in the stack file, the Jobs named per release get a fixed one.
    const releaseKey = `${config.project}:release`;
    const values = releaseKey in config.values ? config.values : { ...config.values, [releaseKey]: OFFLINE_RELEASE };
    pulumi.runtime.setAllConfig(values, config.secretKeys);

    const resolveKeys = (deps: unknown): string[] => {
        const list = Array.isArray(deps) ? deps : deps ? [deps] : [];
        return list.map((d) => keys.get(d as pulumi.Resource)).filter((k): k is string => k !== undefined);
    };

    const entry = path.join(root, "index.ts");
    delete require.cache[require.resolve(entry)];
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
        });
    }
    return { config, resources, outputs: (outputs ?? {}) as Record<string, unknown> };
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
