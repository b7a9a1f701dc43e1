import * as assert from "assert";
import { buildDefaultDeny, buildDnsEgress, buildNetworkPolicies } from "../../../components/network/networkPolicies";
import { matrixPackConfig } from "../../../components/network/trafficMatrix";
import { CONFIG_DEFAULTS } from "../../../config/schema";
import { resolveWorkloads } from "../../../config/workloads";
import { connectionId, expandFlow, judgeFlow, modelOf, parseFlow, reachable } from "../../../policies/lib/matrix";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";
import { validateAgainstSchema } from "../../helpers/schema";
import { renderVariant } from "../../helpers/variant";

const prod = resolveWorkloads({ environment: "prod", workloads: {} });
const features = { ...CONFIG_DEFAULTS.features, monitoring: true, verificationJobs: false, ciliumL7Policies: false };

describe("TrafficPolicies (NetworkPolicies from the matrix)", () => {
    it("denies both directions and allows kube-dns, selected by kubernetes.io/metadata.name, in every namespace", () => {
        assert.deepStrictEqual(buildDefaultDeny("voting-api", "prod").spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        assert.deepStrictEqual(buildDnsEgress("voting-api", "prod").spec, {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [
                        {
                            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
                            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
                        },
                    ],
                    ports: [
                        { port: 53, protocol: "UDP" },
                        { port: 53, protocol: "TCP" },
                    ],
                },
            ],
        });
    });

    it("allows API → PostgreSQL at both ends, with the container's port, the peer namespace AND pods in one element", () => {
        const policies = buildNetworkPolicies({ features, stack: "prod" }, prod);
        const egress = policies.find((p) => (p.metadata as any).name === "allow-egress-from-api")!;
        assert.deepStrictEqual((egress.spec as any).egress[0], {
            to: [
                {
                    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "voting-data" } },
                    podSelector: { matchLabels: { "app.kubernetes.io/name": "postgres" } },
                },
            ],
            ports: [{ port: 5432, protocol: "TCP" }],
        });
        const ingress = policies.find((p) => (p.metadata as any).name === "allow-ingress-to-postgres")!;
        assert.deepStrictEqual(
            (ingress.spec as any).ingress.map((r: any) => r.from[0].podSelector.matchLabels["app.kubernetes.io/name"]),
            ["api", "consumer", "postgres-backup", "postgres-restore", "postgres-restore-test", "schema-migrate"],
        );
    });

    it("renders 4 default-deny, 4 DNS and the allow policies, every one valid against the schema", async () => {
        const nps = kubernetesObjects(await rendered("prod")).filter((o) => o.kind === "NetworkPolicy");
        assert.strictEqual(nps.filter((n) => n.metadata?.name === "default-deny").length, 4);
        assert.strictEqual(nps.filter((n) => n.metadata?.name === "allow-dns-egress").length, 4);
        assert.deepStrictEqual(
            nps
                .filter((n) => n.metadata?.name?.startsWith("allow-") && n.metadata.name !== "allow-dns-egress")
                .map((n) => n.metadata!.name)
                .sort(),
            [
                "allow-egress-from-api",
                "allow-egress-from-consumer",
                "allow-egress-from-frontend",
                "allow-egress-from-load-test-baseline",
                "allow-egress-from-load-test-ramp",
                "allow-egress-from-load-test-soak",
                "allow-egress-from-load-test-spike",
                "allow-egress-from-otel-collector",
                "allow-egress-from-postgres-backup",
                "allow-egress-from-postgres-restore",
                "allow-egress-from-postgres-restore-test",
                "allow-egress-from-schema-migrate",
                "allow-egress-from-stream-bootstrap",
                "allow-egress-from-verify-e2e",
                "allow-egress-from-verify-monitoring",
                "allow-egress-from-verify-performance",
                "allow-egress-from-verify-smoke",
                "allow-egress-to-log-service",
                "allow-egress-to-object-storage",
                "allow-ingress-to-acme-solver",
                "allow-ingress-to-api",
                "allow-ingress-to-consumer",
                "allow-ingress-to-frontend",
                "allow-ingress-to-otel-collector",
                "allow-ingress-to-postgres",
                "allow-ingress-to-redis",
            ],
        );
        for (const np of nps) await validateAgainstSchema(np);
    });

    it("with Cilium L7 on, moves the API's ingress to an HTTP-method policy and keeps the matrix exact", async () => {
        const result = await renderVariant("cilium", (c) => {
            c["voting-platform:cni"] = "cilium";
            c["voting-platform:cluster"] = { create: false };
            c["voting-platform:kubernetes"] = { context: "voting-prod", cluster: "voting-prod" };
            c["voting-platform:features"] = { ...c["voting-platform:features"], ciliumL7Policies: true };
        });
        const objects = kubernetesObjects(result);
        const cnp = objects.find((o) => o.kind === "CiliumNetworkPolicy")!;
        await validateAgainstSchema(cnp);
        assert.deepStrictEqual(cnp.spec.ingress[0].toPorts[0].rules.http, [
            { method: "POST", path: "/api/vote" },
            { method: "GET", path: "/api/results" },
            { method: "GET", path: "/api/health" },
        ]);
        assert.deepStrictEqual(
            cnp.spec.ingress.map((r: any) => [
                r.fromEndpoints[0].matchLabels["app.kubernetes.io/name"],
                r.toPorts[0].rules.http.map((h: any) => `${h.method} ${h.path}`),
            ]),
            [
                ["frontend", ["POST /api/vote", "GET /api/results", "GET /api/health"]],
                ["prometheus", ["GET /metrics"]],
                ["verify-smoke", ["GET /ready"]],
            ],
        );
        assert.ok(!objects.some((o) => o.kind === "NetworkPolicy" && o.metadata?.name === "allow-ingress-to-api"));
        const matrix = matrixPackConfig(
            {
                features: {
                    ...CONFIG_DEFAULTS.features,
                    monitoring: true,
                    verificationJobs: true,
                    logShipping: true,
                    tracing: true,
                    loadTests: true,
                    ciliumL7Policies: true,
                },
            },
            prod,
        );
        const model = modelOf(objects, matrix);
        assert.deepStrictEqual(
            reachable(model).map(connectionId).sort(),
            matrix.allowed
                .flatMap((f) => expandFlow(model, parseFlow(f)))
                .map(connectionId)
                .sort(),
        );
        assert.strictEqual(judgeFlow(model, parseFlow("voting-consumer/consumer -> voting-api/api:8000/TCP")).allowed, false);
    });
});
