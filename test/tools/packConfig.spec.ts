import * as assert from "assert";
import * as fs from "fs";
import { resolveRules } from "../../policies/lib/evaluate";
import { RULES } from "../../policies/rules";
import { listStacks } from "../../tools/lib/stackConfig";
import {
    declaredAccess,
    declaredBackupBounds,
    declaredExecSubjects,
    declaredExternalSecretsLevel,
    declaredMatrix,
    declaredPlaintextData,
    declaredReleaseJobs,
    declaredWorkloadSettings,
    packConfigFile,
} from "../../tools/syncPackConfig";

/** A pack-config entry without the waiver decisions (waivers.spec.ts pins those). */
const withoutWaivers = (entry: Record<string, unknown>) => {
    const { waivable, exempt, ...rest } = entry;
    void waivable;
    void exempt;
    return rest;
};

describe("per-stack pack configs", () => {
    it("declare staging's smaller sizes: one API pod kept of two, the API scaled 2 to 4, the consumer 1 to 3 and no consumer budget", () => {
        const w = declaredWorkloadSettings("staging");
        assert.strictEqual(w.budgets["voting-api/api"], 1);
        assert.strictEqual(w.budgets["voting-consumer/consumer"], undefined);
        assert.deepStrictEqual(w.autoscaling, {
            "voting-api/api": { minReplicas: 2, maxReplicas: 4, cpuUtilization: 70, memoryUtilization: 80 },
            "voting-consumer/consumer": { minReplicas: 1, maxReplicas: 3 },
        });
    });

    for (const stack of listStacks()) {
        it(`carry ${stack}'s declared traffic matrix (npm run sync-pack-config writes it)`, () => {
            const cfg = JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"));
            const { enforcementLevel, ...matrix } = withoutWaivers(cfg["enforce-traffic-matrix"]);
            assert.strictEqual(enforcementLevel, "mandatory");
            assert.deepStrictEqual(matrix, JSON.parse(JSON.stringify(declaredMatrix(stack))), "out of step: run npm run sync-pack-config");
        });

        it(`let only ${stack}'s SRE group exec into pods or read every Secret, and keep its developers read-only`, () => {
            const cfg = JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"));
            assert.deepStrictEqual(withoutWaivers(cfg["restrict-role-bindings"]), {
                enforcementLevel: "mandatory",
                execSubjects: declaredExecSubjects(stack),
                readOnlySubjects: ["Group:voting-developers"],
                secretReaders: declaredExecSubjects(stack),
            });
        });

        it(`ask no TTL of ${stack}'s Jobs that each release replaces, and only of those`, () => {
            const cfg = JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"));
            assert.deepStrictEqual(cfg["require-job-limits"].replacedEachRelease, declaredReleaseJobs(stack));
            assert.deepStrictEqual(declaredReleaseJobs(stack), [
                "voting-frontend/verify-connectivity-*",
                "voting-api/verify-connectivity-*",
                "voting-consumer/verify-connectivity-*",
            ]);
        });

        it(`bound ${stack}'s backup interval by its recovery point objective`, () => {
            const cfg = JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"));
            assert.deepStrictEqual(withoutWaivers(cfg["limit-backup-interval"]), { enforcementLevel: "mandatory", ...declaredBackupBounds(stack) });
        });

        it(`judge ${stack}'s API versions against the Kubernetes version its config declares`, () => {
            const cfg = JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"));
            assert.deepStrictEqual(withoutWaivers(cfg["disallow-deprecated-apis"]), { enforcementLevel: "mandatory", kubernetesVersion: "1.30" });
        });

        it(`carry ${stack}'s per-workload requests, budgets, start-up times, autoscaling and pools (npm run sync-pack-config writes them)`, () => {
            const cfg = JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"));
            const w = JSON.parse(JSON.stringify(declaredWorkloadSettings(stack)));
            const synced = (workloads: unknown) => ({ enforcementLevel: "mandatory", workloads });
            assert.deepStrictEqual(withoutWaivers(cfg["enforce-minimum-requests"]), synced(w.requests), "out of step: run npm run sync-pack-config");
            assert.deepStrictEqual(
                withoutWaivers(cfg["enforce-disruption-budget-minimum"]),
                synced(w.budgets),
                "out of step: run npm run sync-pack-config",
            );
            assert.deepStrictEqual(withoutWaivers(cfg["require-startup-probe"]), synced(w.startup), "out of step: run npm run sync-pack-config");
            assert.deepStrictEqual(
                withoutWaivers(cfg["enforce-autoscaler-targets"]),
                synced(w.autoscaling),
                "out of step: run npm run sync-pack-config",
            );
            assert.deepStrictEqual(withoutWaivers(cfg["enforce-connection-pool-budget"]), {
                enforcementLevel: "mandatory",
                minPoolSizes: w.minPoolSizes,
            });
        });

        it(`let ${stack}'s developers only read, and its SRE group run every platform namespace`, () => {
            const cfg = JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"));
            const access = declaredAccess(stack);
            assert.deepStrictEqual(withoutWaivers(cfg["enforce-read-only-access"]), {
                enforcementLevel: "mandatory",
                readOnlySubjects: access.readOnlySubjects,
            });
            assert.deepStrictEqual(withoutWaivers(cfg["require-namespace-admin-access"]), {
                enforcementLevel: "mandatory",
                adminSubjects: access.adminSubjects,
                namespaces: access.namespaces,
            });
        });

        it(`let ${stack}'s data servers skip TLS, and judge its External Secrets, exactly as its config decides`, () => {
            const cfg = JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"));
            const level = (entry: unknown) => (typeof entry === "string" ? entry : (entry as { enforcementLevel?: string }).enforcementLevel);
            assert.deepStrictEqual(withoutWaivers(cfg["require-data-server-tls"]), {
                enforcementLevel: "mandatory",
                plaintextAllowed: declaredPlaintextData(stack),
            });
            assert.strictEqual(level(cfg["require-external-secrets"]), declaredExternalSecretsLevel(stack));
        });

        it(`name only known policies and settings for ${stack}`, () => {
            assert.doesNotThrow(() => resolveRules(RULES, JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"))));
        });
    }

    it("hold prod to the checklist's numbers: API requests 200m/256Mi, budget 2 and HPA 3..10 at 70/80%, the consumer's ScaledObject 2..6, pool 20, PostgreSQL 60 s and Redis 30 s to start", () => {
        const w = declaredWorkloadSettings("prod");
        assert.deepStrictEqual(w.requests["voting-api/api"], { cpu: "200m", memory: "256Mi" });
        assert.deepStrictEqual(w.budgets, { "voting-frontend/frontend": 2, "voting-api/api": 2, "voting-consumer/consumer": 1 });
        assert.deepStrictEqual(w.autoscaling, {
            "voting-api/api": { minReplicas: 3, maxReplicas: 10, cpuUtilization: 70, memoryUtilization: 80 },
            "voting-consumer/consumer": { minReplicas: 2, maxReplicas: 6 },
        });
        assert.deepStrictEqual(w.minPoolSizes, { "voting-api/api": 20 });
        assert.deepStrictEqual(w.startup, { "voting-data/postgres": 60, "voting-data/redis": 30 });
        assert.deepStrictEqual([declaredPlaintextData("prod"), declaredExternalSecretsLevel("prod")], [false, "mandatory"]);
        assert.deepStrictEqual([declaredPlaintextData("staging"), declaredExternalSecretsLevel("staging")], [true, "disabled"]);
    });

    it("refuse an unknown policy or setting", () => {
        assert.throws(() => resolveRules(RULES, { "require-everything": "mandatory" }), /pack config names an unknown policy "require-everything"/);
        assert.throws(
            () => resolveRules(RULES, { "require-replicas": { minimum: 2 } }),
            /pack config gives policy "require-replicas" the unknown setting "minimum"/,
        );
        assert.throws(() => resolveRules(RULES, { all: "strict" as never }), /unknown enforcement level "strict"/);
    });

    const BAD_SETTINGS: [string, unknown, RegExp][] = [
        ["a count given as a word", { "require-replicas": { minReplicas: "two" } }, /minReplicas must be an integer, not "two"/],
        ["a count below its minimum", { "require-replicas": { minReplicas: -1 } }, /minReplicas must be at least 1, not -1/],
        [
            "a per-workload minimum of zero",
            { "require-replicas": { workloads: { "voting-api/api": 0 } } },
            /workloads\["voting-api\/api"\] must be at least 1, not 0/,
        ],
        [
            "an empty prefix, which would exempt every binding",
            { "disallow-cluster-admin-bindings": { managedPrefixes: [""] } },
            /managedPrefixes\[0\] must not be empty/,
        ],
        ["a flow that is not one", { "enforce-traffic-matrix": { allowed: ["api to db"] } }, /allowed\[0\] must match/],
        [
            "an outside peer without ports",
            { "enforce-traffic-matrix": { outside: [{ id: "a/b", namespace: "a", labels: {} }] } },
            /outside\[0\] needs the key "ports"/,
        ],
        ["a label that is not a string", { "require-dns-egress": { dnsLabels: { "k8s-app": 5 } } }, /dnsLabels\["k8s-app"\] must be a string, not 5/],
        ["a ratio below one", { "require-resource-limits": { maxLimitToRequestRatio: 0.5 } }, /maxLimitToRequestRatio must be at least 1, not 0.5/],
        ["a Kubernetes version that is not one", { "disallow-deprecated-apis": { kubernetesVersion: "latest" } }, /kubernetesVersion must match/],
        [
            "an enforcement level that is not a string",
            { "require-replicas": 5 },
            /pack config gives "require-replicas" 5; give an enforcement level or an object of settings/,
        ],
        [
            "an enforcement level of the wrong type in an object",
            { all: { enforcementLevel: ["mandatory"] } },
            /unknown enforcement level \["mandatory"\]/,
        ],
        ["a pack config that is a list", [], /pack config is \[\]; it must be a JSON object keyed by policy name/],
        ["a setting named like a prototype property", { "require-replicas": { constructor: 1 } }, /unknown setting "constructor"/],
    ];
    for (const [what, config, message] of BAD_SETTINGS) {
        it(`refuse ${what} before any rule runs`, () => {
            assert.throws(() => resolveRules(RULES, config as never), message);
        });
    }
});
