import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { matrixPackConfig } from "../../../components/network/trafficMatrix";
import { selectorLabels } from "../../../components/labels";
import { TRACK } from "../../../components/workloads/canary";
import type { CanaryConfig } from "../../../config/types";
import { resolveWorkloads } from "../../../config/workloads";
import { evaluate, resolveRules, type PackConfig } from "../../../policies/lib/evaluate";
import type { K8sObject } from "../../../policies/lib/k8s";
import { RULES } from "../../../policies/rules";
import { kubernetesObjects, type RenderResult } from "../../../tools/lib/render";
import { loadStackConfig, PROJECT_ROOT } from "../../../tools/lib/stackConfig";
import { decodeConfigValue, validateConfig } from "../../../config/validate";
import { rendered } from "../../helpers/render";
import { validateAgainstSchema } from "../../helpers/schema";
import { renderVariant } from "../../helpers/variant";

const DIGEST = "sha256:" + "c".repeat(64);
const CANARY: CanaryConfig = { image: { repository: "voting/api", tag: "0.6.0", digest: DIGEST }, replicas: 3, weight: 50 };

/** The prod stack's config, with the canary set or not, as the program reads it. */
function prodConfig(canary?: CanaryConfig) {
    const sc = loadStackConfig("prod");
    const raw = Object.fromEntries(Object.entries(sc.values).map(([k, v]) => [k.replace(/^voting-platform:/, ""), decodeConfigValue(v)]));
    const cfg = validateConfig(raw, sc.project, "prod");
    return canary ? { ...cfg, canary } : cfg;
}
const REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const prodPack = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "policies", "config", "prod.json"), "utf8")) as PackConfig;

const find = (objects: readonly K8sObject[], kind: string, name: string): K8sObject => {
    const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name && o.metadata?.namespace === "voting-api");
    assert.strictEqual(found.length, 1, `${kind} voting-api/${name}`);
    return found[0];
};
const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe("ApiCanary (a canary of the API beside the stable Deployment)", () => {
    let result: RenderResult;
    let objects: K8sObject[];
    let stable: K8sObject;
    let canary: K8sObject;

    before(async function () {
        this.timeout(120_000);
        // The mock runtime is global: the committed stacks render first, the variant after them.
        await rendered("prod");
        await rendered("staging");
        result = await renderVariant("canary", (c) => {
            c["voting-platform:canary"] = { tag: "0.6.0", digest: DIGEST, weight: 50 };
        });
        objects = kubernetesObjects(result);
        stable = find(objects, "Deployment", "api");
        canary = find(objects, "Deployment", "api-canary");
    });

    it("renders no canary in the committed prod and staging stacks", async () => {
        for (const stack of ["prod", "staging"]) {
            const names = kubernetesObjects(await rendered(stack)).map((o) => `${o.kind}/${o.metadata?.name}`);
            assert.deepStrictEqual(
                names.filter((n) => n.includes("canary")),
                [],
                stack,
            );
            assert.ok(names.includes("Deployment/api"), stack);
        }
    });

    it("runs the canary's tag and digest in the API's repository, its replica count left to its autoscaler", () => {
        assert.strictEqual(canary.spec.template.spec.containers[0].image, `${REGISTRY}/voting/api:0.6.0@${DIGEST}`);
        assert.strictEqual(
            stable.spec.template.spec.containers[0].image,
            `${REGISTRY}/voting/api:0.5.1@sha256:9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b`,
        );
        assert.deepStrictEqual([canary.spec.replicas, stable.spec.replicas], [undefined, undefined]);
    });

    it("scales the canary by an HPA of its own, from the API's minimum of 3 to its maximum of 10 on the API's targets", () => {
        const hpas = objects.filter((o) => o.kind === "HorizontalPodAutoscaler" && o.metadata?.namespace === "voting-api");
        assert.deepStrictEqual(
            hpas.map((h) => [h.metadata!.name, h.spec.scaleTargetRef.name, h.spec.minReplicas, h.spec.maxReplicas]),
            [
                ["api", "api", 3, 10],
                ["api-canary", "api-canary", 3, 10],
            ],
        );
        assert.deepStrictEqual(hpas[1].spec.metrics, hpas[0].spec.metrics);
    });

    it("makes the canary a second instance of the API: the stable selector, and so the API's HPA, matches no canary pod", () => {
        const pods = [stable, canary].map((d) => d.spec.template.metadata.labels as Record<string, string>);
        assert.deepStrictEqual(
            [stable, canary].map((d) => pods.map((labels) => selects(d.spec.selector.matchLabels, labels))),
            [
                [true, false],
                [false, true],
            ],
        );
        assert.deepStrictEqual(canary.spec.selector, {
            matchLabels: { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api-canary-canary" },
        });
    });

    it("labels the canary pods with the API's labels but for its instance, plus track: canary, its version the canary's tag", () => {
        const version = { "app.kubernetes.io/version": "0.6.0" };
        const instance = { "app.kubernetes.io/instance": "api-canary-canary" };
        assert.deepStrictEqual(canary.spec.template.metadata.labels, {
            ...stable.spec.template.metadata.labels,
            ...version,
            ...instance,
            [TRACK.key]: TRACK.canary,
        });
        assert.deepStrictEqual(canary.metadata!.labels, { ...stable.metadata!.labels, ...version, ...instance });
    });

    it("has Reloader roll the canary, as the stable API, when External Secrets rewrites app-connections", () => {
        const reload = (d: K8sObject) => d.metadata!.annotations?.["secret.reloader.stakater.com/reload"];
        assert.deepStrictEqual([reload(stable), reload(canary)], ["app-connections", "app-connections"]);
    });

    it("runs the canary as a ServiceAccount of its own, made as the API's", () => {
        const sa = find(objects, "ServiceAccount", "api-canary");
        const apiSa = find(objects, "ServiceAccount", "api");
        assert.strictEqual(canary.spec.template.spec.serviceAccountName, "api-canary");
        assert.deepStrictEqual(
            [sa.automountServiceAccountToken, sa.imagePullSecrets, sa.metadata!.labels],
            [false, apiSa.imagePullSecrets, { ...apiSa.metadata!.labels, "app.kubernetes.io/instance": "api-canary-canary" }],
        );
    });

    it("keeps the stable Deployment's selector as the committed stack renders it, so no replace is forced", async () => {
        const committed = find(kubernetesObjects(await rendered("prod")), "Deployment", "api");
        // The variant is a stack named "canary": the instance label carries the stack's name.
        assert.deepStrictEqual(committed.spec.selector, { matchLabels: selectorLabels({ name: "api", component: "api" }, "prod") });
        assert.deepStrictEqual(stable.spec.selector, { matchLabels: selectorLabels({ name: "api", component: "api" }, "canary") });
        assert.deepStrictEqual(Object.keys(stable.spec.selector.matchLabels).sort(), ["app.kubernetes.io/instance", "app.kubernetes.io/name"]);
    });

    it("gives the canary the API's pod spec but for its image, its ServiceAccount and the instance its spread counts", () => {
        const own = (d: K8sObject) => d.spec.selector.matchLabels as Record<string, string>;
        const withoutImage = (d: K8sObject) =>
            JSON.parse(
                JSON.stringify({
                    ...d.spec.template.spec,
                    serviceAccountName: undefined,
                    containers: d.spec.template.spec.containers.map((c: Record<string, unknown>) => ({ ...c, image: undefined })),
                }).replaceAll(JSON.stringify(own(d)), '"SELECTOR"'),
            );
        assert.deepStrictEqual(withoutImage(canary), withoutImage(stable));
        const pod = canary.spec.template.spec;
        assert.deepStrictEqual(pod.containers[0].resources, {
            requests: { cpu: "200m", memory: "256Mi", "ephemeral-storage": "64Mi" },
            limits: { cpu: "400m", memory: "512Mi", "ephemeral-storage": "320Mi" },
        });
        assert.deepStrictEqual(pod.topologySpreadConstraints[0].labelSelector, { matchLabels: own(canary) });
        assert.deepStrictEqual(
            [
                pod.containers[0].securityContext.readOnlyRootFilesystem,
                pod.containers[0].securityContext.allowPrivilegeEscalation,
                pod.securityContext.runAsNonRoot,
                pod.securityContext.runAsUser,
            ],
            [true, false, true, 65532],
        );
    });

    it("selects only the stable pods in the API Service and only the canary's in the api-canary Service", () => {
        const pods = [stable, canary].map((d) => d.spec.template.metadata.labels as Record<string, string>);
        const service = find(objects, "Service", "api");
        const canaryService = find(objects, "Service", "api-canary");
        assert.deepStrictEqual(service.spec.selector, { ...selectorLabels({ name: "api", component: "api" }, "canary"), track: "stable" });
        assert.deepStrictEqual(canaryService.spec, {
            type: "ClusterIP",
            selector: { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api-canary-canary", track: "canary" },
            ports: [{ name: "http", port: 8000, targetPort: "http", protocol: "TCP" }],
        });
        assert.deepStrictEqual(
            [service, canaryService].map((svc) => pods.map((labels) => selects(svc.spec.selector, labels))),
            [
                [true, false],
                [false, true],
            ],
        );
    });

    it("scrapes each track once: the API's ServiceMonitor selects both Services, whose pods do not overlap", () => {
        const monitor = find(objects, "ServiceMonitor", "api");
        assert.deepStrictEqual(
            objects
                .filter(
                    (o) =>
                        o.kind === "Service" &&
                        o.metadata?.namespace === "voting-api" &&
                        selects(monitor.spec.selector.matchLabels, o.metadata!.labels!),
                )
                .map((o) => o.metadata!.name),
            ["api", "api-canary"],
        );
    });

    it("budgets each track by its own PodDisruptionBudget, and lets the API's NetworkPolicies select both", () => {
        const pods = [stable, canary].map((d) => d.spec.template.metadata.labels as Record<string, string>);
        const budgets = ["api", "api-canary"].map((name) => find(objects, "PodDisruptionBudget", name));
        assert.deepStrictEqual(
            budgets.map((pdb) => [pdb.spec.minAvailable, pods.map((labels) => selects(pdb.spec.selector.matchLabels, labels))]),
            [
                [2, [true, false]],
                [2, [false, true]],
            ],
        );
        const apiPolicies = objects.filter(
            (o) =>
                o.kind === "NetworkPolicy" &&
                o.metadata?.namespace === "voting-api" &&
                o.spec.podSelector.matchLabels?.["app.kubernetes.io/name"] === "api",
        );
        assert.ok(apiPolicies.length >= 2, "the API has its own ingress and egress policies");
        for (const np of apiPolicies) {
            assert.deepStrictEqual(
                pods.map((labels) => selects(np.spec.podSelector.matchLabels, labels)),
                [true, true],
                np.metadata!.name,
            );
        }
    });

    it("orders the update: the API Service after the rollout that labels the stable pods, the frontend after the api-canary Service", () => {
        const deps = (key: string) => result.resources.find((r) => r.key === key)!.options.dependsOn;
        assert.ok(deps("kubernetes:core/v1:Service::voting-api-service").includes("kubernetes:apps/v1:Deployment::voting-api-deployment"));
        assert.ok(
            deps("kubernetes:apps/v1:Deployment::voting-frontend-deployment").includes("kubernetes:core/v1:Service::voting-api-canary-service"),
        );
        assert.deepStrictEqual(deps("kubernetes:core/v1:Service::voting-frontend-service"), []);
    });

    it("starts and ends a canary without restarting PostgreSQL: max_connections keeps room for it in every stack", async () => {
        const args = (objs: readonly K8sObject[]) =>
            objs.find((o) => o.kind === "StatefulSet" && o.metadata?.name === "postgres")!.spec.template.spec.containers[0].args as string[];
        const committed = args(kubernetesObjects(await rendered("prod")));
        assert.deepStrictEqual(args(objects), committed);
        // API and canary at the API's maximum of 10 with pools of 20, the consumer's 6 pods with pools of 5, 20 reserved.
        assert.ok(committed.includes(`max_connections=${(10 + 10) * 20 + 6 * 5 + 20}`), committed.join(" "));
    });

    it("renders every object of the variant valid against its schema", async () => {
        for (const obj of objects) await validateAgainstSchema(obj);
        await validateAgainstSchema(canary);
    });

    it("declares the canary's flows in the matrix as the API's, and none while no canary is set", () => {
        const workloads = resolveWorkloads({ environment: "prod", workloads: {} });
        const without = matrixPackConfig(prodConfig(), workloads);
        const withCanary = matrixPackConfig(prodConfig(CANARY), workloads);
        assert.deepStrictEqual(
            without.allowed.filter((f) => f.includes("api-canary")),
            [],
        );
        assert.deepStrictEqual(withCanary.allowed.slice(0, without.allowed.length), without.allowed);
        assert.deepStrictEqual(withCanary.allowed.slice(without.allowed.length), [
            "voting-frontend/frontend -> voting-api/api-canary:8000/TCP",
            "voting-api/api-canary -> voting-data/postgres:5432/TCP",
            "voting-api/api-canary -> voting-data/redis:6379/TCP",
            "monitoring/prometheus -> voting-api/api-canary:8000/TCP",
            "voting-api/verify-smoke -> voting-api/api-canary:8000/TCP",
            "voting-api/api-canary -> voting-api/otel-collector:4317/TCP",
            "voting-api/api-canary -> kube-system/kube-dns:53/UDP",
            "voting-api/api-canary -> kube-system/kube-dns:53/TCP",
            "voting-frontend/verify-connectivity -> voting-api/api-canary:8000/TCP",
        ]);
        assert.deepStrictEqual(withCanary.denied.slice(without.denied.length), ["voting-consumer/consumer -> voting-api/api-canary:8000/TCP"]);
    });

    it("gives the whole prod pack, its matrix synced with the canary, 0 violations over the variant", () => {
        const workloads = resolveWorkloads({ environment: "prod", workloads: {} });
        const pack: PackConfig = {
            ...prodPack,
            "enforce-traffic-matrix": {
                ...(prodPack["enforce-traffic-matrix"] as object),
                ...matrixPackConfig(prodConfig(CANARY), workloads),
            },
        };
        const found = evaluate(resolveRules(RULES, pack), objects);
        assert.deepStrictEqual(
            found.map((v) => `${v.level} ${v.policy}: ${v.message}`),
            [],
        );
    });

    it("is refused by the prod pack when the canary's pods carry the stable instance, which both autoscalers would then read", () => {
        const workloads = resolveWorkloads({ environment: "prod", workloads: {} });
        const pack: PackConfig = {
            ...prodPack,
            "enforce-traffic-matrix": { ...(prodPack["enforce-traffic-matrix"] as object), ...matrixPackConfig(prodConfig(CANARY), workloads) },
        };
        const shared = objects.map((o) => {
            if (o !== canary) return o;
            const copy = JSON.parse(JSON.stringify(o)) as K8sObject;
            copy.spec.template.metadata.labels["app.kubernetes.io/instance"] = stable.spec.selector.matchLabels["app.kubernetes.io/instance"];
            copy.spec.selector.matchLabels["app.kubernetes.io/instance"] = stable.spec.selector.matchLabels["app.kubernetes.io/instance"];
            return copy;
        });
        const found = evaluate(resolveRules(RULES, pack), shared).filter((v) => v.level === "mandatory");
        assert.deepStrictEqual(
            found.filter((v) => v.policy === "disallow-overlapping-autoscalers").map((v) => v.message.split(":")[0]),
            [
                "HorizontalPodAutoscaler voting-api/api-canary and HorizontalPodAutoscaler voting-api/api both act on the pods of Deployment voting-api/api, Deployment voting-api/api-canary, which the selectors of Deployment voting-api/api-canary and Deployment voting-api/api both match",
            ],
        );
    });

    it("is refused by the committed prod matrix until the pack config is synced with the canary", () => {
        const found = evaluate(resolveRules(RULES, prodPack), objects).filter((v) => v.level === "mandatory");
        assert.deepStrictEqual([...new Set(found.map((v) => v.policy))], ["enforce-traffic-matrix"]);
        assert.ok(
            found.some((v) => v.message === "voting-api/api-canary → voting-data/postgres:5432 is allowed but not declared in the traffic matrix"),
        );
    });
});
