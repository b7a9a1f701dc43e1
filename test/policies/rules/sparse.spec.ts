import * as assert from "assert";
import { describe as describeObject, type K8sObject } from "../../../policies/lib/k8s";
import { RULES } from "../../../policies/rules";
import { POD_KINDS, asKind, podSpecOf } from "../../helpers/fixtures";
import { violations } from "../../helpers/policy";

const meta = (name: string, namespace = "voting-api") => ({ name, namespace });

/**
 * Objects with parts missing or empty, as hand-written YAML has them: every rule must judge each without
 * throwing, through CrossGuard and offline alike, and say what it finds about the object it names. (Entries that
 * are null inside lists are the checker's totality work; the API server refuses most of them.)
 */
function sparseObjects(): K8sObject[] {
    const bareContainers = POD_KINDS.flatMap((k) => {
        const full = asKind(k);
        const spec = podSpecOf(full);
        for (const key of Object.keys(spec)) delete spec[key];
        spec.containers = [{ name: "c", image: "registry.example.com/c:1" }, { name: "d" }, {}];
        spec.initContainers = [{ name: "i", securityContext: {}, ports: [{}], env: [{}, { name: "X" }], resources: {}, livenessProbe: {} }];
        spec.ephemeralContainers = "not-a-list";
        return [
            full,
            { apiVersion: full.apiVersion, kind: k, metadata: meta(`${k.toLowerCase()}-empty`), spec: {} },
            { apiVersion: full.apiVersion, kind: k, metadata: meta(`${k.toLowerCase()}-none`) },
        ];
    });
    const hollowPod: K8sObject = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: meta("hollow"),
        spec: {
            securityContext: {},
            affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [null, {}] } },
            volumes: [null, {}],
            containers: [
                {
                    name: "h",
                    securityContext: { capabilities: {}, windowsOptions: {}, seccompProfile: {} },
                    livenessProbe: { exec: { command: ["true"] } },
                    readinessProbe: { grpc: {} },
                },
            ],
        },
    };
    const other = (kind: string, spec?: unknown, extra: Record<string, unknown> = {}): K8sObject => ({
        apiVersion: "v1",
        kind,
        metadata: meta(`${kind.toLowerCase()}-sparse`),
        ...(spec === undefined ? {} : { spec }),
        ...extra,
    });
    return [
        ...bareContainers,
        hollowPod,
        other("Service"),
        other("Service", { selector: { "app.kubernetes.io/name": "api" }, ports: [null, {}] }),
        other("Ingress"),
        other("Ingress", { rules: [{}, { http: {} }, { http: { paths: [{}] } }], tls: [{}], defaultBackend: {} }),
        other("NetworkPolicy"),
        other("NetworkPolicy", { podSelector: {}, ingress: [{}, { from: [{}] }], egress: [{ to: [{}], ports: [{}] }] }),
        other("PodDisruptionBudget"),
        other("PodDisruptionBudget", { minAvailable: 1 }),
        other("HorizontalPodAutoscaler"),
        other("ScaledObject"),
        other("ScaledObject", { scaleTargetRef: { name: "deployment-none" }, triggers: [{ type: "redis-streams" }] }),
        other("Role"),
        other("Role", undefined, { rules: [{}] }),
        other("RoleBinding"),
        other("RoleBinding", undefined, { roleRef: {}, subjects: [null, {}] }),
        other("ConfigMap", undefined, { data: null }),
        other("PrometheusRule"),
        other("PrometheusRule", { groups: [{}, { rules: [{}] }] }),
        other("ServiceMonitor"),
        other("PodMonitor", { namespaceSelector: {} }),
        { apiVersion: "v1", kind: "Namespace" },
        { kind: "Namespace", metadata: { name: "voting-api", annotations: {}, labels: {} } },
    ];
}

const CONFIG: Record<string, Record<string, unknown>> = {
    "enforce-traffic-matrix": { allowed: ["voting-api/pod-none -> voting-api/hollow:80"], strict: true },
    "require-stream-lag-autoscaling": { consumers: ["voting-api/deployment-none", "voting-api/deployment-empty", "voting-api/api"] },
    "require-metrics-scraping": { workloads: ["voting-api/hollow", "voting-api/api"] },
    "require-critical-alerts": { alerts: ["A"] },
    "require-image-digest": { registries: ["registry.example.com"] },
    "require-image-pull-secrets": { privateRegistries: ["registry.example.com"] },
    "restrict-image-registries": { allowedRegistries: ["registry.example.com/"] },
};

describe("every rule, on objects with parts missing", () => {
    for (const rule of RULES) {
        it(`${rule.name} judges each sparse object, and all of them together, without throwing`, () => {
            const objects = sparseObjects();
            const cfg = CONFIG[rule.name] ?? {};
            const names = new Set(objects.map((o) => describeObject(o)));
            const found = rule.scope === "resource" ? objects.flatMap((o) => violations(rule, o, cfg)) : violations(rule, objects, cfg);
            for (const m of found) assert.ok(typeof m === "string" && m.length > 0, `${rule.name}: ${JSON.stringify(m)}`);
            if (rule.scope === "resource")
                for (const m of found)
                    assert.ok(
                        [...names].some((n) => m.startsWith(`${n}: `)),
                        `${rule.name} names no object: ${m}`,
                    );
        });
    }
});
