import * as assert from "assert";
import { unknownCheckingProxy, type ReportViolation, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { toPolicy } from "../../policies/lib/crossguard";
import { evaluate, resolveRules } from "../../policies/lib/evaluate";
import type { K8sObject } from "../../policies/lib/k8s";
import type { CloudResource, CloudRule, Rule } from "../../policies/lib/rule";

class NotApplicable extends Error {}

/** `apps/v1` + `Deployment` → `kubernetes:apps/v1:Deployment`, the type token CrossGuard sees. */
export function pulumiType(obj: K8sObject): string {
    const av = obj.apiVersion ?? "v1";
    return `kubernetes:${av.includes("/") ? av : `core/${av}`}:${obj.kind}`;
}

const OPTS = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
};

/** Runs a rule as the CrossGuard policy the pack registers, with props behind `unknownCheckingProxy` as under preview. */
export function runAsPolicy(rule: Rule, objects: readonly K8sObject[], config: Record<string, unknown> = {}): string[] {
    const policy = toPolicy(rule);
    const messages: string[] = [];
    const report: ReportViolation = (message) => {
        messages.push(message);
    };
    const getConfig = <T extends object>() => ({ ...rule.defaults, ...config }) as T;
    const notApplicable = (reason?: string): never => {
        throw new NotApplicable(reason);
    };
    const resources = objects.map((obj, i) => ({
        type: pulumiType(obj),
        props: unknownCheckingProxy(JSON.parse(JSON.stringify(obj))),
        urn: `urn:pulumi:test::voting-platform::${pulumiType(obj)}::r${i}`,
        name: `r${i}`,
        opts: OPTS,
        isType: () => false,
        asType: () => undefined,
    }));
    try {
        if (rule.scope === "resource") {
            const validate = (policy as ResourceValidationPolicy).validateResource as (args: unknown, report: ReportViolation) => void;
            for (const r of resources) validate({ ...r, stackTags: new Map(), getConfig, notApplicable }, report);
        } else {
            const validate = (policy as StackValidationPolicy).validateStack as (args: unknown, report: ReportViolation) => void;
            validate({ resources, stackTags: new Map(), getConfig, notApplicable }, report);
        }
    } catch (e) {
        if (!(e instanceof NotApplicable)) throw e;
    }
    return messages;
}

/**
 * The messages a rule reports on a resource set. It runs the rule both ways, as the CrossGuard
 * policy and through the offline checker's evaluator, and fails unless both give the same verdict.
 */
export function violations(rule: Rule, objects: K8sObject | readonly K8sObject[], config: Record<string, unknown> = {}): string[] {
    const list = Array.isArray(objects) ? objects : [objects as K8sObject];
    const viaPack = runAsPolicy(rule, list, config);
    const viaChecker = evaluate(resolveRules([rule], { [rule.name]: { ...config } }), list).map((v) => v.message);
    assert.deepStrictEqual(viaChecker, viaPack, "the offline checker and the CrossGuard policy disagree");
    return viaPack;
}

/**
 * The messages a cloud rule reports on a set of cloud resources, run both as the CrossGuard policy
 * (props behind `unknownCheckingProxy`) and through the offline evaluator, which must agree.
 */
export function cloudViolations<C>(rule: CloudRule<C>, resources: readonly CloudResource[], config: Record<string, unknown> = {}): string[] {
    const policy = toPolicy(rule) as StackValidationPolicy;
    const viaPack: string[] = [];
    const report: ReportViolation = (message) => {
        viaPack.push(message);
    };
    const validate = policy.validateStack as (args: unknown, report: ReportViolation) => void;
    validate(
        {
            resources: resources.map((r) => ({
                type: r.type,
                name: r.name,
                props: unknownCheckingProxy(JSON.parse(JSON.stringify(r.props))),
                urn: `urn:pulumi:test::voting-platform::${r.type}::${r.name}`,
                opts: OPTS,
                isType: () => false,
                asType: () => undefined,
            })),
            stackTags: new Map(),
            getConfig: <T extends object>() => ({ ...rule.defaults, ...config }) as T,
            notApplicable: () => undefined,
        },
        report,
    );
    const viaChecker = evaluate(resolveRules([rule], { [rule.name]: { ...config } }), [], resources).map((v) => v.message);
    assert.deepStrictEqual(viaChecker, viaPack, "the offline checker and the CrossGuard policy disagree");
    return viaPack;
}

/** A deep copy of `obj` with one change applied: the way each test departs from its compliant fixture. */
export function withChange<T>(obj: T, change: (copy: T) => void): T {
    const copy = JSON.parse(JSON.stringify(obj)) as T;
    change(copy);
    return copy;
}

/** The object each violation of a stack rule is reported on, as `Kind namespace/name` (what the offline report's file, kind and name come from). */
export function reportedOn(rule: Rule, objects: readonly K8sObject[], config: Record<string, unknown> = {}): string[] {
    return evaluate(resolveRules([rule], { [rule.name]: { ...config } }), objects).map(
        (v) => `${v.object.kind} ${v.object.metadata?.namespace ?? ""}/${v.object.metadata?.name}`,
    );
}
