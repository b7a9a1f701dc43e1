import type { Policy, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { judges } from "./evaluate";
import { cloudSubject, fromPulumiType, withObjectCache, type K8sObject } from "./k8s";
import type { AutoFix, CloudResource, Rule } from "./rule";
import { applyPatches } from "./fixes";
import { judge, type Judgement, type WaiverSettings } from "./waivers";

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
        url: rule.url,
    };
}

/** Reports a finding unless the object waives it (or the policy's config exempts the object). */
function reporter(rule: Rule, config: Partial<WaiverSettings>, reportViolation: ReportViolation) {
    const judged = new Map<K8sObject, Judgement>();
    return (obj: K8sObject, message: string, urn?: string) => {
        if (!judged.has(obj)) judged.set(obj, judge(rule.name, config, obj));
        const j = judged.get(obj)!;
        if (j.waived) return;
        reportViolation(j.note ? `${message} ${j.note}` : message, urn);
    };
}

/**
 * CrossGuard's remediation of one resource: the fix reads a plain copy of the props and its patches are
 * set on the props themselves, field by field, so that the engine's proxies keep secret values secret.
 * The props go back only when something changed; an object that waives the policy is left as it is.
 */
function remediation(rule: Rule, fix: AutoFix<unknown>) {
    return (args: ResourceValidationArgs) => {
        const obj = toK8sObject(args.type, JSON.parse(JSON.stringify(args.props)));
        if (!obj) return undefined;
        const config = { ...rule.defaults, ...args.getConfig<Record<string, unknown>>() };
        if (judge(rule.name, config, obj).waived) return undefined;
        const patches = fix.patches(obj, config);
        if (patches.length === 0) return undefined;
        applyPatches(args.props, patches);
        return args.props;
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
                const report = reporter(rule, config, reportViolation);
                for (const message of rule.check(obj, config)) report(obj, message);
            },
            ...(rule.fix ? { remediateResource: remediation(rule, rule.fix) } : {}),
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
                const report = reporter(rule, config, reportViolation);
                const subjects = new Map<CloudResource, K8sObject>();
                for (const f of rule.check(resources, config)) {
                    if (!subjects.has(f.resource)) subjects.set(f.resource, cloudSubject(f.resource));
                    report(subjects.get(f.resource)!, f.message, urns.get(f.resource));
                }
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
            const report = reporter(rule, config, reportViolation);
            for (const f of withObjectCache(() => rule.check(objects, config))) report(f.object, f.message, urns.get(f.object));
        },
        ...(rule.fix ? { remediateResource: remediation(rule, rule.fix) } : {}),
    };
    return policy;
}
