/** The one source of labels: every object's labels and every selector come from here. */

export const PART_OF = "voting-app";
export const MANAGED_BY = "pulumi";

export interface LabelSubject {
    /** `app.kubernetes.io/name`, e.g. `api`. */
    readonly name: string;
    /** `app.kubernetes.io/component`, e.g. `api`, `database`. */
    readonly component: string;
    /**
     * A second instance of the workload beside its main one, e.g. `canary`: its instance label becomes
     * `<name>-<variant>-<stack>`, which the main instance's selectors do not match.
     */
    readonly variant?: string;
}

/** Recommended labels (app.kubernetes.io/*) for an object that belongs to the platform. */
export function standardLabels(subject: LabelSubject, stack: string): Record<string, string> {
    return {
        "app.kubernetes.io/name": subject.name,
        "app.kubernetes.io/instance": `${subject.name}${subject.variant ? `-${subject.variant}` : ""}-${stack}`,
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
 * The label every instance of a workload shares (its main pods and a canary's): `app.kubernetes.io/name`.
 * What selects a workload as a peer (NetworkPolicies, ServiceMonitors, Cilium policies) selects by it, so
 * each instance gets the same traffic and scraping; what owns or counts pods (a Deployment, its HPA, a
 * PodDisruptionBudget, a spread constraint) selects by `selectorLabels`, which tells instances apart.
 */
export function peerSelectorLabels(subject: Pick<LabelSubject, "name">): Record<string, string> {
    return { "app.kubernetes.io/name": subject.name };
}

/**
 * Recommended labels for an object that serves the whole platform rather than one workload (namespaces,
 * quotas, NetworkPolicies, roles, secrets, certificates): the application is the platform itself and
 * `component` names the concern, e.g. `network`.
 */
export function platformLabels(component: string, stack: string): Record<string, string> {
    return standardLabels({ name: PART_OF, component }, stack);
}

/**
 * `app.kubernetes.io/version` from an image tag (checklist 4.1.3): which release a workload runs, readable
 * by selectors, dashboards and `kubectl get -L`. Tags outside the label-value grammar are trimmed to fit.
 */
export function versionLabel(tag: string): Record<string, string> {
    const value = tag
        .replace(/[^A-Za-z0-9._-]/g, "-")
        .slice(0, 63)
        .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
    return { "app.kubernetes.io/version": value };
}

/** On Jobs that act for a release of the app (migration, checks): the app version they act for. */
export const APP_VERSION_LABEL = "voting-platform.io/app-version";
