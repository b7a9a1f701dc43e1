import * as assert from "assert";
import type { K8sObject } from "../../../policies/lib/k8s";
import { autoscalerFor, isLongRunning, podHasPort, replicaFloor, resolveIntOrPercent, selectedWorkloads } from "../../../policies/lib/workloads";
import { asKind, compliantDeployment } from "../../helpers/fixtures";

describe("workload facts", () => {
    it("resolves a budget's numbers and percentages, rounding percentages up", () => {
        const cases: [unknown, number, number | undefined][] = [
            [2, 3, 2],
            ["2", 3, 2],
            [" 2 ", 3, 2],
            ["50%", 3, 2],
            ["34%", 3, 2],
            ["33%", 3, 1],
            ["100%", 3, 3],
            ["0%", 3, 0],
            [" 50% ", 4, 2],
            ["50.5%", 4, undefined],
            ["-1", 4, undefined],
            ["half", 4, undefined],
            [undefined, 4, undefined],
            [null, 4, undefined],
        ];
        for (const [v, total, want] of cases) assert.strictEqual(resolveIntOrPercent(v, total), want, `${JSON.stringify(v)} of ${total}`);
    });

    it("finds a port by name or by number, written as a number or a string, in any regular container", () => {
        const pod = {
            object: compliantDeployment(),
            metadata: { labels: {}, annotations: {} },
            path: "spec",
            spec: {
                containers: [{ ports: [{ name: "http", containerPort: 8000 }] }, { ports: [{ name: "metrics", containerPort: 9090 }] }, {}],
                initContainers: [{ ports: [{ containerPort: 7000 }] }],
            },
        };
        assert.deepStrictEqual(
            ["http", 8000, "8000", "metrics", 9090, "grpc", 8080, "9090x"].map((p) => podHasPort(pod, p)),
            [true, true, true, true, true, false, false, false],
        );
    });

    it("calls long-running the controllers that keep pods and a Pod that restarts, and not Jobs", () => {
        for (const k of ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"] as const)
            assert.strictEqual(isLongRunning(asKind(k)), true, k);
        for (const k of ["Job", "CronJob"] as const) assert.strictEqual(isLongRunning(asKind(k)), false, k);
        assert.strictEqual(isLongRunning({ kind: "Pod", spec: {} }), true);
        assert.strictEqual(isLongRunning({ kind: "Pod" }), true);
        assert.strictEqual(isLongRunning({ kind: "Pod", spec: { restartPolicy: "OnFailure" } }), false);
    });

    it("finds the autoscaler of a workload by kind, name and namespace, with KEDA's defaults", () => {
        const d = compliantDeployment();
        const so = (ref: Record<string, unknown>, spec: Record<string, unknown> = {}): K8sObject => ({
            kind: "ScaledObject",
            metadata: { name: "s", namespace: "voting-api" },
            spec: { scaleTargetRef: ref, ...spec },
        });
        assert.deepStrictEqual([autoscalerFor(d, [so({ name: "api" })])?.min, autoscalerFor(d, [so({ name: "api" })])?.max], [0, 100]);
        assert.deepStrictEqual(autoscalerFor(d, [so({ name: "api" }, { minReplicaCount: 2, maxReplicaCount: 5 })])?.max, 5);
        assert.strictEqual(autoscalerFor(d, [so({ name: "api", kind: "StatefulSet" })]), undefined);
        assert.strictEqual(autoscalerFor(d, [so({ name: "web" })]), undefined);
        const hpa: K8sObject = {
            kind: "HorizontalPodAutoscaler",
            metadata: { name: "h", namespace: "voting-api" },
            spec: { scaleTargetRef: { kind: "Deployment", name: "api" }, maxReplicas: 4 },
        };
        assert.deepStrictEqual([autoscalerFor(d, [hpa])?.min, autoscalerFor(d, [hpa])?.max], [1, 4]);
        assert.strictEqual(replicaFloor(d, [hpa]), 1);
        assert.strictEqual(replicaFloor(asKind("Pod"), []), 1);
        assert.strictEqual(replicaFloor({ ...d, spec: { replicas: "3" } }, []), 1, "a count that is not a number is Kubernetes' default");
    });

    it("selects the workloads of one namespace whose pod labels match", () => {
        const other = { ...compliantDeployment(), metadata: { name: "api", namespace: "voting-frontend" } };
        const picked = selectedWorkloads({ matchLabels: { "app.kubernetes.io/name": "api" } }, "voting-api", [
            compliantDeployment(),
            other,
            asKind("Job"),
        ]);
        assert.deepStrictEqual(
            picked.map((p) => `${p.object.kind} ${p.object.metadata?.namespace}/${p.object.metadata?.name}`),
            ["Deployment voting-api/api", "Job voting-api/api-job"],
        );
    });

    it("resolves a number written with a percent sign only when nothing follows it, and a count of several digits", () => {
        assert.strictEqual(resolveIntOrPercent("50%x", 4), undefined);
        assert.strictEqual(resolveIntOrPercent("12", 20), 12);
    });

    it("tells a port name that holds digits from a port number, and refuses a port that is neither string nor number", () => {
        const pod = {
            object: compliantDeployment(),
            metadata: { labels: {}, annotations: {} },
            path: "spec",
            spec: {
                containers: [
                    {
                        ports: [
                            { name: "web8000", containerPort: 1 },
                            { name: "9090x", containerPort: 2 },
                        ],
                    },
                ],
            },
        };
        assert.deepStrictEqual(
            ["web8000", "9090x", true, undefined, null, 1, "1"].map((p) => podHasPort(pod, p)),
            [true, true, false, false, false, true, true],
        );
    });

    it("finds no autoscaler whose target kind or name is not a string, nor an HPA that names no kind", () => {
        const d = compliantDeployment();
        const hpa = (ref: Record<string, unknown>): K8sObject => ({
            kind: "HorizontalPodAutoscaler",
            metadata: { name: "h", namespace: "voting-api" },
            spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 4 },
        });
        const so = (ref: Record<string, unknown>): K8sObject => ({
            kind: "ScaledObject",
            metadata: { name: "s", namespace: "voting-api" },
            spec: { scaleTargetRef: ref },
        });
        assert.strictEqual(autoscalerFor(d, [hpa({ kind: "Deployment", name: "api" })])?.min, 2);
        for (const ref of [{ kind: ["Deployment"], name: "api" }, { kind: "Deployment", name: ["api"] }, { name: "api" }])
            assert.strictEqual(autoscalerFor(d, [hpa(ref)]), undefined, JSON.stringify(ref));
        for (const ref of [{ kind: ["Deployment"], name: "api" }, { name: ["api"] }])
            assert.strictEqual(autoscalerFor(d, [so(ref)]), undefined, JSON.stringify(ref));
    });

    it("counts a Pod as one pod, whatever its spec says of replicas", () => {
        assert.strictEqual(replicaFloor({ kind: "Pod", metadata: { name: "p" }, spec: { replicas: 3 } }, []), 1);
    });
});
