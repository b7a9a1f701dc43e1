import { goDurationMinutes } from "../../lib/duration";
import { externalSecretTarget } from "../../lib/secretRefs";
import { describe, namespaceOf, nameOf, podTemplate, record, records, show, str, text, type K8sObject } from "../../lib/k8s";
import { isRegistryTokenKind, REGISTRY_TOKENS, type RegistryTokenKind } from "../../lib/registryTokens";
import { resourceSet, type ResourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

const PULL_TYPES: readonly unknown[] = ["kubernetes.io/dockerconfigjson", "kubernetes.io/dockercfg"];
/** External Secrets refreshes every hour when an ExternalSecret sets no refreshInterval. */
const DEFAULT_REFRESH = "1h";

const names = (refs: unknown): string[] =>
    records(refs)
        .map((r) => str(r.name))
        .filter((n): n is string => n !== undefined && n !== "");

/** The registry token an ExternalSecret renders from, directly or through a ClusterGenerator of the resource set. */
function tokenKind(es: K8sObject, set: ResourceSet): RegistryTokenKind | undefined {
    for (const source of records(record(es.spec).dataFrom)) {
        const ref = record(record(source.sourceRef).generatorRef);
        if (isRegistryTokenKind(ref.kind)) return ref.kind;
        const name = str(ref.name);
        if (ref.kind === "ClusterGenerator" && name !== undefined) {
            const kind = record(set.find("ClusterGenerator", undefined, name)?.spec).kind;
            if (isRegistryTokenKind(kind)) return kind;
        }
    }
    return undefined;
}

/**
 * Checklist 6.3.2: a pull secret nobody creates fails every pull from the private registry, and one made
 * from a short-lived registry token fails once the token expires. Every pull secret a pod or ServiceAccount
 * names is produced in its namespace (a Secret of a docker-config type, or an ExternalSecret rendering one)
 * or declared a prerequisite; one rendered from a registry token is refreshed within half its lifetime.
 */
export const requirePullSecretSource = defineRule<{ prerequisites: string[] }>({
    scope: "stack",
    name: "require-pull-secret-source",
    description:
        "Every imagePullSecret a pod or ServiceAccount names is produced in its namespace (a kubernetes.io/dockerconfigjson Secret, or an ExternalSecret rendering one) or declared a prerequisite in the pack config; an ExternalSecret rendering a registry token (ECR, GCR, ACR) refreshes it within half the token's lifetime.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Render the pull secret with an ExternalSecret from a registry-token generator (ECRAuthorizationToken, GCRAccessToken, ACRAccessToken) in every namespace that pulls, with a refreshInterval under half the token's lifetime; or, if the cluster provides it, name it in prerequisites.",
    checklist: ["6.3.2"],
    settings: {
        prerequisites: {
            type: "array",
            items: { type: "string" },
            description: "Pull secrets the cluster provides outside the resource set: a name (every namespace) or namespace/name.",
            default: [],
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        const set = resourceSet(objects);
        const users = new Map<string, K8sObject[]>();
        const use = (obj: K8sObject, refs: string[]) => {
            for (const name of new Set(refs)) {
                const key = `${namespaceOf(obj)}/${name}`;
                const using = users.get(key);
                if (using) using.push(obj);
                else users.set(key, [obj]);
            }
        };
        for (const obj of objects) {
            const pod = podTemplate(obj);
            if (pod) use(obj, names(pod.spec.imagePullSecrets));
            else if (obj.kind === "ServiceAccount") use(obj, names(obj.imagePullSecrets));
        }
        for (const [key, using] of users) {
            const ns = namespaceOf(using[0]);
            const name = key.slice(key.indexOf("/") + 1);
            if (cfg.prerequisites.includes(name) || cfg.prerequisites.includes(key)) continue;
            const secret = set.find("Secret", ns, name);
            const es = set.inNamespace("ExternalSecret", ns).find((o) => externalSecretTarget(o) === name);
            const who = using.map((o) => `${o.kind} ${nameOf(o)}`).join(", ");
            const say = (what: string) =>
                out.push({ object: using[0], message: `Secret ${key}, which ${who} pull${using.length > 1 ? "" : "s"} with, ${what}` });
            if (secret) {
                if (!PULL_TYPES.includes(secret.type))
                    say(`has type ${text(secret.type ?? "Opaque")}; the kubelet reads only kubernetes.io/dockerconfigjson`);
            } else if (es) {
                const type = record(record(record(es.spec).target).template).type;
                if (!PULL_TYPES.includes(type))
                    say(
                        `is rendered by ${describe(es)} with type ${text(type ?? "Opaque")}; set target.template.type: kubernetes.io/dockerconfigjson`,
                    );
            } else {
                say(
                    "is produced by nothing in the resource set (no dockerconfigjson Secret, no ExternalSecret rendering one), and the pack config does not declare it a prerequisite",
                );
            }
        }
        for (const es of set.ofKind("ExternalSecret")) {
            const kind = tokenKind(es, set);
            if (!kind) continue;
            const raw = record(es.spec).refreshInterval ?? DEFAULT_REFRESH;
            const interval = typeof raw === "string" ? raw : show(raw);
            const minutes = typeof raw === "string" ? goDurationMinutes(raw) : undefined;
            const lifetime = REGISTRY_TOKENS[kind].lifetimeMinutes;
            if (minutes === undefined) {
                out.push({ object: es, message: `${describe(es)}: has refreshInterval ${show(raw)}, which is not a duration` });
            } else if (minutes === 0) {
                out.push({
                    object: es,
                    message: `${describe(es)}: never refreshes (refreshInterval ${interval}), so its ${kind} pull token stops working after ${lifetime} minutes`,
                });
            } else if (minutes > lifetime / 2) {
                out.push({
                    object: es,
                    message: `${describe(es)}: refreshes every ${interval}, but the ${kind} it renders expires ${lifetime} minutes after it is made; refresh at least every ${lifetime / 2} minutes`,
                });
            }
        }
        return out;
    },
});
