import * as assert from "assert";
import { resolveWorkloads } from "../../../config/workloads";
import { buildLimitRange, buildNamespace, buildResourceQuota, sizeNamespace } from "../../../components/namespaces/namespaces";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";

const prod = resolveWorkloads({ environment: "prod", workloads: {} });
const storage = { postgresSize: "50Gi", redisSize: "10Gi" };

describe("Namespaces component", () => {
    it("labels each namespace for Pod Security restricted and the platform", () => {
        assert.deepStrictEqual(buildNamespace("voting-api", "prod", "calico", "1.30").metadata, {
            name: "voting-api",
            annotations: { "networking.voting-platform.io/cni": "calico", "voting-platform.io/kubernetes-version": "1.30" },
            labels: {
                "app.kubernetes.io/name": "voting-app",
                "app.kubernetes.io/instance": "voting-app-prod",
                "app.kubernetes.io/component": "namespace",
                "app.kubernetes.io/part-of": "voting-app",
                "app.kubernetes.io/managed-by": "pulumi",
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/enforce-version": "latest",
                "pod-security.kubernetes.io/audit": "restricted",
                "pod-security.kubernetes.io/warn": "restricted",
            },
        });
    });

    it("sizes the API quota for 10 replicas plus one surge pod plus Job headroom", () => {
        // (10 + 1) × 200m + 100m = 2300m; (10 + 1) × 256Mi + 128Mi = 2944Mi; limits twice the workload's.
        assert.deepStrictEqual(sizeNamespace("voting-api", prod, storage), {
            namespace: "voting-api",
            pods: 13,
            requests: { cpu: "2300m", memory: "2944Mi" },
            limits: { cpu: "4600m", memory: "5888Mi" },
        });
    });

    it("sizes the data namespace for PostgreSQL and Redis with their volumes", () => {
        const s = sizeNamespace("voting-data", prod, storage);
        // (1 + 1) × (250m + 100m) + 100m = 800m; (1 + 1) × (512Mi + 256Mi) + 128Mi = 1664Mi
        assert.deepStrictEqual(s, {
            namespace: "voting-data",
            pods: 6,
            requests: { cpu: "800m", memory: "1664Mi" },
            limits: { cpu: "1600m", memory: "3328Mi" },
            storage: "60Gi",
            persistentVolumeClaims: 2,
        });
        assert.deepStrictEqual(buildResourceQuota(s, "prod").spec, {
            hard: {
                pods: "6",
                "requests.cpu": "800m",
                "requests.memory": "1664Mi",
                "limits.cpu": "1600m",
                "limits.memory": "3328Mi",
                "services.loadbalancers": "0",
                "services.nodeports": "0",
                "requests.storage": "60Gi",
                persistentvolumeclaims: "2",
            },
        });
    });

    it("sizes staging smaller than prod", () => {
        const staging = resolveWorkloads({ environment: "staging", workloads: {} });
        assert.strictEqual(sizeNamespace("voting-api", staging).pods, 7);
    });

    it("gives containers default requests and caps them at the namespace's largest workload", () => {
        assert.deepStrictEqual(buildLimitRange("voting-api", prod, "prod").spec, {
            limits: [
                {
                    type: "Container",
                    defaultRequest: { cpu: "100m", memory: "128Mi" },
                    default: { cpu: "200m", memory: "256Mi" },
                    max: { cpu: "400m", memory: "512Mi" },
                },
            ],
        });
    });

    it("renders four namespaces, each with one quota and one limit range", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        for (const ns of ["voting-frontend", "voting-api", "voting-consumer", "voting-data"]) {
            assert.strictEqual(objs.filter((o) => o.kind === "Namespace" && o.metadata?.name === ns).length, 1, ns);
            assert.strictEqual(objs.filter((o) => o.kind === "ResourceQuota" && o.metadata?.namespace === ns).length, 1, ns);
            assert.strictEqual(objs.filter((o) => o.kind === "LimitRange" && o.metadata?.namespace === ns).length, 1, ns);
        }
    });
});
