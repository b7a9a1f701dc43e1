import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireStartupProbe } from "../../../../policies/rules/reliability/requireStartupProbe";
import { asPodKind, containerOf, POD_KINDS, postgresStatefulSet, specOf } from "../../../helpers/dataFixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const CFG = { workloads: { "voting-data/postgres": 60 } };
const probing = (probe: Record<string, unknown> | undefined, base: K8sObject = postgresStatefulSet()) =>
    withChange(base, (x) => {
        if (probe) containerOf(x).startupProbe = { exec: { command: ["pg_isready"] }, ...probe };
        else delete containerOf(x).startupProbe;
    });
const check = (obj: K8sObject, cfg: Record<string, unknown> = CFG) => violations(requireStartupProbe, obj, cfg);
const SHORT = (allows: number, sum: string) =>
    `StatefulSet voting-data/postgres: container "postgres"'s startup probe allows ${allows} s to start (${sum}) where at least 60 s are needed`;

describe(requireStartupProbe.name, () => {
    it("accepts PostgreSQL's probe of 30 failures every 2 s, on every kind that runs pods", () => {
        for (const kind of POD_KINDS) assert.deepStrictEqual(check(asPodKind(kind, postgresStatefulSet())), [], kind);
    });

    it("accepts exactly 60 s however it is made up, the initial delay included", () => {
        assert.deepStrictEqual(check(probing({ periodSeconds: 5, failureThreshold: 12 })), []);
        assert.deepStrictEqual(check(probing({ initialDelaySeconds: 20, periodSeconds: 10, failureThreshold: 4 })), []);
        assert.deepStrictEqual(check(probing({ periodSeconds: 20 })), []);
    });

    it("refuses a probe one second short, and Kubernetes' defaults (3 × 10 s)", () => {
        assert.deepStrictEqual(check(probing({ initialDelaySeconds: 1, periodSeconds: 59, failureThreshold: 1 })), []);
        assert.deepStrictEqual(check(probing({ periodSeconds: 59, failureThreshold: 1 })), [SHORT(59, "failureThreshold 1 × periodSeconds 59")]);
        assert.deepStrictEqual(check(probing({ initialDelaySeconds: 5, periodSeconds: 6, failureThreshold: 9 })), [
            SHORT(59, "initialDelaySeconds 5 + failureThreshold 9 × periodSeconds 6"),
        ]);
        assert.deepStrictEqual(check(probing({})), [SHORT(30, "failureThreshold 3 × periodSeconds 10")]);
    });

    it("refuses a named workload's container without a startup probe, on every kind that runs pods", () => {
        for (const kind of POD_KINDS) {
            assert.deepStrictEqual(check(asPodKind(kind, probing(undefined))), [
                `${kind} voting-data/postgres: container "postgres" has no startup probe; give it one that allows at least 60 s to start`,
            ]);
        }
    });

    it("asks every running container of the workload, not its init containers", () => {
        const two = withChange(postgresStatefulSet(), (x) => {
            specOf(x).containers.push({ name: "exporter", image: "e:1" });
            specOf(x).initContainers = [{ name: "init", image: "i:1" }];
        });
        assert.deepStrictEqual(check(two), [
            'StatefulSet voting-data/postgres: container "exporter" has no startup probe; give it one that allows at least 60 s to start',
        ]);
    });

    it("judges only the workloads its settings name", () => {
        assert.deepStrictEqual(check(probing(undefined), { workloads: {} }), []);
        assert.deepStrictEqual(check(probing(undefined), { workloads: { "voting-api/postgres": 60 } }), []);
    });

    it("blocks the registry's mutants of 2.1.3 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("2.1.3", "PostgreSQL's startup probe gives it 20 s where the checklist asks 60 s"), [
            `require-startup-probe: ${SHORT(20, "failureThreshold 10 × periodSeconds 2")}`,
        ]);
        assert.deepStrictEqual(await registryMutantBlockers("2.1.3", "Redis starts without a startup probe"), [
            'require-startup-probe: StatefulSet voting-data/redis: container "redis" has no startup probe; give it one that allows at least 30 s to start',
        ]);
    });
});
