import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { K8sObject } from "../../policies/lib/k8s";
import { loadStackConfig, PROJECT_ROOT, SECRET_PLACEHOLDER, type StackConfig } from "./stackConfig";

/** One resource the program registered, as the engine would see it. */
export interface RenderedResource {
    readonly type: string;
    readonly name: string;
    /** `type::name`, unique in the program. */
    readonly key: string;
    /** Key of the parent resource; undefined for children of the stack. */
    readonly parent?: string;
    readonly custom: boolean;
    readonly inputs: Record<string, unknown>;
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
    if (type.startsWith("random:")) return { ...inputs, result: `${SECRET_PLACEHOLDER}`, id: `${name}-id` };
    return inputs;
}

const keyOf = (type: string, name: string) => `${type}::${name}`;

/**
 * Runs the program (`index.ts`) for one stack under Pulumi's mock runtime and captures every
 * registered resource with its inputs, parent and the options that matter.
 */
export async function renderStack(stack: string, root = PROJECT_ROOT): Promise<RenderResult> {
    const config = loadStackConfig(stack, root);
    const inputs = new Map<string, { custom: boolean; inputs: Record<string, unknown> }>();
    const order: string[] = [];
    const meta = new Map<string, Omit<RenderedResource, "inputs" | "custom">>();
    const keys = new WeakMap<pulumi.Resource, string>();

    await pulumi.runtime.setMocks(
        {
            newResource: (a) => {
                const key = keyOf(a.type, a.name);
                if (inputs.has(key)) throw new Error(`two resources named ${key}: give each a unique name`);
                inputs.set(key, { custom: a.custom ?? true, inputs: a.inputs });
                return { id: `${a.name}-id`, state: mockState(a.type, a.name, a.inputs) };
            },
            call: (a) => ({ ...a.inputs, accountId: "123456789012", partition: "aws", project: "voting-project" }),
        },
        config.project,
        stack,
        true,
    );
    pulumi.runtime.setAllConfig(config.values, config.secretKeys);

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
        resources.push({ ...m, custom: got.custom, inputs: got.inputs });
    }
    return { config, resources, outputs: (outputs ?? {}) as Record<string, unknown> };
}

/** The Kubernetes objects among the rendered resources (custom resources with apiVersion and kind). */
export function kubernetesObjects(result: RenderResult): K8sObject[] {
    return result.resources
        .filter((r) => r.custom && r.type.startsWith("kubernetes:") && typeof r.inputs.kind === "string")
        .map((r) => r.inputs as unknown as K8sObject);
}

/** Cloud and other non-Kubernetes custom resources (providers excluded). */
export function cloudResources(result: RenderResult): RenderedResource[] {
    return result.resources.filter((r) => r.custom && !r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:"));
}
