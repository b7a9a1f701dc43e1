import type { Policy, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { judges } from "./evaluate";
import { fromPulumiType, withObjectCache, type K8sObject } from "./k8s";
import type { CloudResource, Rule } from "./rule";

/** A Pulumi resource's inputs as a Kubernetes object, or undefined for anything that is not one. */
export function toK8sObject(type: string, props: Record<string, unknown>): K8sObject | undefined {
    const fromType = fromPulumiType(type);
    if (!fromType) return undefined;
    return {
        ...props,
        apiVersion: typeof props.apiVersion === "string" ? props.apiVersion : fromType.apiVersion,
        kind: typeof props.kind === "string" && props.kind !== "" ? props.kind : fromType.kind,
    };
}

/** Resources a cloud rule judges: every custom resource that is neither a Kubernetes object nor a provider. */
export function isCloudType(type: string): boolean {
    return !type.startsWith("kubernetes:") && !type.startsWith("pulumi:");
}

function base(rule: Rule) {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        severity: rule.severity,
        tags: rule.checklist.map((id) => `checklist:${id}`),
        remediationSteps: rule.remediationSteps,
        configSchema: rule.configSchema,
    };
}

/** A rule as a CrossGuard policy: resource rules validate each resource, stack and cloud rules the whole stack. */
export function toPolicy(rule: Rule): Policy {
    if (rule.scope === "resource") {
        const policy: ResourceValidationPolicy = {
            ...base(rule),
            validateResource: (args, reportViolation: ReportViolation) => {
                const obj = toK8sObject(args.type, args.props);
                if (!obj || !judges(rule, obj)) return;
                const config = { ...rule.defaults, ...args.getConfig<Record<string, unknown>>() };
                for (const message of rule.check(obj, config)) reportViolation(message);
            },
        };
        return policy;
    }
    if (rule.scope === "cloud") {
        const policy: StackValidationPolicy = {
            ...base(rule),
            validateStack: (args, reportViolation: ReportViolation) => {
                const urns = new Map<CloudResource, string>();
                const resources: CloudResource[] = [];
                for (const r of args.resources) {
                    if (!isCloudType(r.type)) continue;
                    const res: CloudResource = { type: r.type, name: r.name, props: r.props };
                    urns.set(res, r.urn);
                    resources.push(res);
                }
                const config = { ...rule.defaults, ...args.getConfig<Record<string, unknown>>() };
                for (const f of rule.check(resources, config)) reportViolation(f.message, urns.get(f.resource));
            },
        };
        return policy;
    }
    const policy: StackValidationPolicy = {
        ...base(rule),
        validateStack: (args, reportViolation: ReportViolation) => {
            const urns = new Map<K8sObject, string>();
            const objects: K8sObject[] = [];
            for (const r of args.resources) {
                const obj = toK8sObject(r.type, r.props);
                if (!obj) continue;
                urns.set(obj, r.urn);
                objects.push(obj);
            }
            const config = { ...rule.defaults, ...args.getConfig<Record<string, unknown>>() };
            for (const f of withObjectCache(() => rule.check(objects, config))) reportViolation(f.message, urns.get(f.object));
        },
    };
    return policy;
}
