import { SECRET_RELOAD_ANNOTATION } from "../../lib/annotations";
import { goDurationMinutes } from "../../lib/duration";
import {
    annotationsOf,
    describe,
    type K8sObject,
    labelsOf,
    nameOf,
    namespaceOf,
    type PodTemplate,
    record,
    records,
    selectorMatches,
    str,
    stringMap,
    strings,
} from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
import { externalSecretTarget, secretRefs } from "../../lib/secretRefs";
import { defineRule, type Finding } from "../../lib/rule";

/** External Secrets' refresh when an ExternalSecret gives none. */
const DEFAULT_REFRESH = "1h";

/** The kinds Stakater Reloader restarts, each by a rolling update of its pods. */
const RESTARTABLE = new Set(["Deployment", "StatefulSet", "DaemonSet"]);

/** Stakater Reloader's annotations on a workload: restart on a change of any Secret it reads, of those named, or of those marked. */
const AUTO = "reloader.stakater.com/auto";
const SECRET_AUTO = "secret.reloader.stakater.com/auto";
const RELOAD = SECRET_RELOAD_ANNOTATION;
const SEARCH = "reloader.stakater.com/search";
const MATCH = "reloader.stakater.com/match";

/** Go's strconv.ParseBool true, as Reloader reads its auto annotations. */
const goTrue = (v: string | undefined): boolean => v !== undefined && ["1", "t", "T", "TRUE", "true", "True"].includes(v);

/** How often External Secrets rewrites a target from the secret manager, in words; undefined when it never does after the first sync. */
function refreshOf(spec: Record<string, unknown>): string | undefined {
    // CreatedOnce and OnChange sync again only when the ExternalSecret itself changes.
    const policy = str(spec.refreshPolicy);
    if (policy !== undefined && policy !== "Periodic") return undefined;
    const interval = str(spec.refreshInterval) ?? DEFAULT_REFRESH;
    return goDurationMinutes(interval) === 0 ? undefined : `every ${interval}`;
}

interface Refreshed {
    /** The writer and how often, in words. */
    readonly by: string;
    /** The Secret it writes carries Reloader's `match` annotation, which a workload's `search` looks for. */
    readonly matched: boolean;
}

/** Whether an ExternalSecret's template marks the Secret for Reloader's search. */
const marked = (spec: Record<string, unknown>): boolean =>
    stringMap(record(record(record(spec.target).template).metadata).annotations)[MATCH] === "true";

/**
 * The Secrets External Secrets keeps rewriting, as `namespace/name` → where from: each ExternalSecret's
 * target, and each ClusterExternalSecret's in the namespaces it lists or whose Namespace objects its
 * selectors match.
 */
function refreshedSecrets(objects: readonly K8sObject[]): Map<string, Refreshed> {
    const out = new Map<string, Refreshed>();
    const set = resourceSet(objects);
    for (const es of set.ofKind("ExternalSecret")) {
        const spec = record(es.spec);
        const every = refreshOf(spec);
        if (every)
            out.set(`${namespaceOf(es)}/${externalSecretTarget(es)}`, {
                by: `ExternalSecret ${namespaceOf(es)}/${nameOf(es)} ${every}`,
                matched: marked(spec),
            });
    }
    for (const ces of set.ofKind("ClusterExternalSecret")) {
        const spec = record(ces.spec);
        const inner = record(spec.externalSecretSpec);
        const every = refreshOf(inner);
        if (!every) continue;
        const selectors = [...records(spec.namespaceSelectors), ...records([spec.namespaceSelector])];
        const namespaces = new Set(strings(spec.namespaces));
        for (const ns of set.ofKind("Namespace")) {
            // The API server labels every namespace with its own name.
            const labels = { ...labelsOf(ns), "kubernetes.io/metadata.name": nameOf(ns) };
            if (selectors.some((s) => selectorMatches(s, labels))) namespaces.add(nameOf(ns));
        }
        const target = str(record(inner.target).name) ?? str(spec.externalSecretName) ?? nameOf(ces);
        for (const ns of namespaces) out.set(`${ns}/${target}`, { by: `ClusterExternalSecret ${nameOf(ces)} ${every}`, matched: marked(inner) });
    }
    return out;
}

/** The Secrets a pod template reads through the environment, each with the variables it sets from it. */
function envSecrets(spec: unknown): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const r of secretRefs(spec)) {
        if (r.via === "volume") continue;
        const what = r.via === "env" ? (r.variable ?? "?") : `envFrom of ${r.container}`;
        out.set(r.name, [...(out.get(r.name) ?? []), what]);
    }
    return out;
}

/** The Secrets a pod template's containers mount as files, which the kubelet rewrites when they change. */
function mountedSecrets(spec: unknown): Set<string> {
    return new Set(secretRefs(spec).flatMap((r) => (r.mounted ? [r.name] : [])));
}

/** Whether a name matches one of Reloader's comma-separated patterns, each a whole-name regular expression. */
function matchesPattern(patterns: string, name: string): boolean {
    return patterns.split(",").some((p) => {
        try {
            return new RegExp(`^${p.trim()}$`).test(name);
        } catch {
            return false;
        }
    });
}

/**
 * Whether Stakater Reloader rolls workload `w` when Secret `name` changes: its annotations (the pod
 * template's when the workload carries none of Reloader's) turn auto on, name the Secret, or search for
 * Secrets marked `match` (`matched`: the Secret's writer marks it).
 */
function reloaded(w: PodTemplate, name: string, matched: boolean): boolean {
    const own = annotationsOf(w.object);
    const a = [AUTO, SECRET_AUTO, RELOAD, SEARCH].some((k) => k in own) ? own : w.metadata.annotations;
    if (goTrue(a[AUTO]) || goTrue(a[SECRET_AUTO])) return true;
    if (a[RELOAD] && matchesPattern(a[RELOAD], name)) return true;
    return a[SEARCH] === "true" && matched;
}

/**
 * Checklist 6.1.3: a rotated password reaches every pod that holds it. Environment variables are set when
 * a container starts, so a Deployment, StatefulSet or DaemonSet that reads a Secret External Secrets keeps
 * rewriting (an ExternalSecret or ClusterExternalSecret refreshed periodically, External Secrets' 1h when
 * unset) through env or envFrom keeps the old value until its pods restart. Each such reader must be
 * annotated for Stakater Reloader (`secret.reloader.stakater.com/reload` naming the Secret, or
 * `reloader.stakater.com/auto: "true"`), which rolls its pods when the Secret changes, or also mount the
 * Secret as a volume, whose files the kubelet rewrites and the pod can follow (as the data servers'
 * password sidecars do). Jobs, CronJobs and bare pods start afresh with the current value and are not judged.
 */
export const requireSecretReload = defineRule({
    scope: "stack",
    name: "require-secret-reload",
    description:
        "Every Deployment, StatefulSet or DaemonSet that reads through its environment a Secret External Secrets keeps refreshing is rolled when the Secret changes (Stakater Reloader's annotations) or mounts it as files too, so a rotated value reaches running pods without a manual restart.",
    severity: "high",
    // Mandatory in prod's pack config; elsewhere (a chart checked with --manifests) it advises, as it asks for a controller in the cluster.
    enforcementLevel: "advisory",
    remediationSteps:
        'Annotate the workload with secret.reloader.stakater.com/reload: "<secret>" (comma-separated for several) and run Stakater Reloader in the cluster with --reload-strategy=annotations, or read the value from the Secret mounted as a volume.',
    checklist: ["6.1.3"],
    check: (objects) => {
        const out: Finding[] = [];
        const refreshed = refreshedSecrets(objects);
        if (refreshed.size === 0) return out;
        for (const w of resourceSet(objects).workloads) {
            const obj = w.object;
            if (!RESTARTABLE.has(obj.kind)) continue;
            const mounted = mountedSecrets(w.spec);
            for (const [name, vars] of envSecrets(w.spec)) {
                const r = refreshed.get(`${namespaceOf(obj)}/${name}`);
                if (!r || mounted.has(name) || reloaded(w, name, r.matched)) continue;
                out.push({
                    object: obj,
                    message: `${describe(obj)}: reads Secret ${name} through its environment (${vars.join(", ")}), which ${r.by} rewrites, and nothing rolls its pods when it changes, so they keep the old value until restarted; annotate it ${RELOAD}: "${name}" (Stakater Reloader) or read the Secret from a mounted volume`,
                });
            }
        }
        return out;
    },
});
