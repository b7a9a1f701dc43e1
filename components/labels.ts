/** The one source of labels: every object's labels and every selector come from here. */

export const PART_OF = "voting-app";
export const MANAGED_BY = "pulumi";

export interface LabelSubject {
    /** `app.kubernetes.io/name`, e.g. `api`. */
    readonly name: string;
    /** `app.kubernetes.io/component`, e.g. `api`, `database`. */
    readonly component: string;
}

/** Recommended labels (app.kubernetes.io/*) for an object that belongs to the platform. */
export function standardLabels(subject: LabelSubject, stack: string): Record<string, string> {
    return {
        "app.kubernetes.io/name": subject.name,
        "app.kubernetes.io/instance": `${subject.name}-${stack}`,
        "app.kubernetes.io/component": subject.component,
        "app.kubernetes.io/part-of": PART_OF,
        "app.kubernetes.io/managed-by": MANAGED_BY,
    };
}

/**
 * The stable subset used in selectors. It is a subset of `standardLabels`, so a selector built here
 * always matches the pod template labelled there.
 */
export function selectorLabels(subject: LabelSubject, stack: string): Record<string, string> {
    const all = standardLabels(subject, stack);
    return { "app.kubernetes.io/name": all["app.kubernetes.io/name"], "app.kubernetes.io/instance": all["app.kubernetes.io/instance"] };
}

/**
 * Recommended labels for an object that serves the whole platform rather than one workload (namespaces,
 * quotas, NetworkPolicies, roles, secrets, certificates): the application is the platform itself and
 * `component` names the concern, e.g. `network`.
 */
export function platformLabels(component: string, stack: string): Record<string, string> {
    return standardLabels({ name: PART_OF, component }, stack);
}
