import * as assert from "assert";
import { resolveRules } from "../../../../policies/lib/evaluate";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { enforceMinimumRequests } from "../../../../policies/rules/resources/enforceMinimumRequests";
import { asPodKind, containerOf, POD_KINDS, specOf } from "../../../helpers/dataFixtures";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const CFG = { workloads: { "voting-api/api": { cpu: "200m", memory: "256Mi" } } };
const requesting = (requests: Record<string, string>, base: K8sObject = compliantDeployment()) =>
    withChange(base, (x) => (containerOf(x).resources = { requests, limits: { cpu: "2", memory: "2Gi" } }));
const check = (obj: K8sObject, cfg: Record<string, unknown> = CFG) => violations(enforceMinimumRequests, obj, cfg);

describe(enforceMinimumRequests.name, () => {
    it("accepts a workload requesting exactly its minimum, on every kind that runs pods", () => {
        for (const kind of POD_KINDS) assert.deepStrictEqual(check(asPodKind(kind, compliantDeployment())), [], kind);
    });

    it("accepts requests over the minimum, written in any unit", () => {
        assert.deepStrictEqual(check(requesting({ cpu: "0.201", memory: "0.25Gi" })), []);
        assert.deepStrictEqual(check(requesting({ cpu: "1", memory: "268435457" })), []);
    });

    it("refuses a millicore and a byte under the minimum, saying how much it requests", () => {
        assert.deepStrictEqual(check(requesting({ cpu: "199m", memory: "268435455" })), [
            "Deployment voting-api/api: requests 199m of cpu where at least 200m is required",
            "Deployment voting-api/api: requests 268435455 bytes of memory where at least 256Mi is required",
        ]);
    });

    it("refuses the registry's 64Mi API on every kind that runs pods", () => {
        for (const kind of POD_KINDS) {
            const obj = asPodKind(kind, requesting({ cpu: "200m", memory: "64Mi" }));
            assert.deepStrictEqual(check(obj), [`${kind} voting-api/api: requests 64Mi of memory where at least 256Mi is required`]);
        }
    });

    it("leaves a workload that requests nothing to require-resource-requests, and counts a limit as the request as Kubernetes does", () => {
        const none = withChange(compliantDeployment(), (x) => delete containerOf(x).resources);
        assert.deepStrictEqual(check(none), []);
        const limitOnly = withChange(compliantDeployment(), (x) => (containerOf(x).resources = { limits: { cpu: "200m", memory: "256Mi" } }));
        assert.deepStrictEqual(check(limitOnly), []);
    });

    it("adds up the running containers and sidecars, and leaves out init containers that finish", () => {
        const split = withChange(requesting({ cpu: "100m", memory: "128Mi" }), (x) => {
            specOf(x).initContainers = [
                { name: "proxy", image: "p:1", restartPolicy: "Always", resources: { requests: { cpu: "60m", memory: "64Mi" } } },
                { name: "migrate", image: "m:1", resources: { requests: { cpu: "4", memory: "4Gi" } } },
            ];
            specOf(x).containers.push({ name: "exporter", image: "e:1", resources: { requests: { cpu: "40m", memory: "64Mi" } } });
        });
        assert.deepStrictEqual(check(split), []);
        const short = withChange(split, (x) => (specOf(x).containers[1].resources.requests.cpu = "39m"));
        assert.deepStrictEqual(check(short), ["Deployment voting-api/api: requests 199m of cpu where at least 200m is required"]);
    });

    it("writes whole cores and Gi as a reader does", () => {
        assert.deepStrictEqual(check(requesting({ cpu: "500m", memory: "1Gi" }), { workloads: { "voting-api/api": { cpu: "1", memory: "2Gi" } } }), [
            "Deployment voting-api/api: requests 500m of cpu where at least 1 is required",
            "Deployment voting-api/api: requests 1Gi of memory where at least 2Gi is required",
        ]);
    });

    it("judges only the workloads its settings name, in their namespace, and each resource only when given", () => {
        const small = requesting({ cpu: "1m", memory: "1Mi" });
        assert.deepStrictEqual(check(small, { workloads: {} }), []);
        assert.deepStrictEqual(check(small, { workloads: { "voting-frontend/api": { cpu: "200m" } } }), []);
        assert.deepStrictEqual(check(small, { workloads: { "voting-api/api": { memory: "2Mi" } } }), [
            "Deployment voting-api/api: requests 1Mi of memory where at least 2Mi is required",
        ]);
        assert.deepStrictEqual(check({ apiVersion: "v1", kind: "Service", metadata: { name: "api", namespace: "voting-api" } }), []);
    });

    it("refuses a setting that is not a quantity before any workload is judged", () => {
        assert.throws(
            () => resolveRules([enforceMinimumRequests], { [enforceMinimumRequests.name]: { workloads: { "voting-api/api": { cpu: "lots" } } } }),
            /bad setting: workloads\["voting-api\/api"\]\["cpu"\] must match/,
        );
    });

    it("blocks the registry's mutants of 2.2.1 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("2.2.1", "the API requests 64Mi of memory where the checklist asks 256Mi"), [
            "enforce-minimum-requests: Deployment voting-api/api: requests 64Mi of memory where at least 256Mi is required",
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("2.2.1", "PostgreSQL requests 100m of CPU where the checklist asks 250m"), [
            // The server's 100m plus its password-sync sidecar's 20m: the rule sums the pod's containers.
            "enforce-minimum-requests: StatefulSet voting-data/postgres: requests 120m of cpu where at least 250m is required",
        ]);
    });
});
