import * as assert from "assert";
import * as fs from "fs";
import { resolveRules } from "../../policies/lib/evaluate";
import { RULES } from "../../policies/rules";
import { listStacks } from "../../tools/lib/stackConfig";
import {
    declaredBackupBounds,
    declaredExecSubjects,
    declaredMatrix,
    declaredReleaseJobs,
    declaredSizes,
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
    it("declare prod's checklist sizes: the API requests 200m and 256Mi, keeps 2 pods through a disruption and scales 3 to 10", () => {
        assert.deepStrictEqual(declaredSizes("prod")["voting-api/api"], {
            requests: { cpu: "200m", memory: "256Mi" },
            minAvailable: 2,
            minReplicas: 3,
            maxReplicas: 10,
        });
        assert.deepStrictEqual(declaredSizes("prod")["voting-consumer/consumer"], {
            requests: { cpu: "100m", memory: "128Mi" },
            minAvailable: 1,
            minReplicas: 2,
            maxReplicas: 6,
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

        it(`judge ${stack}'s workload sizes against what its config declares`, () => {
            const cfg = JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"));
            assert.deepStrictEqual(withoutWaivers(cfg["require-declared-sizes"]), { enforcementLevel: "mandatory", workloads: declaredSizes(stack) });
        });

        it(`bound ${stack}'s backup interval by its recovery point objective`, () => {
            const cfg = JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"));
            assert.deepStrictEqual(withoutWaivers(cfg["limit-backup-interval"]), { enforcementLevel: "mandatory", ...declaredBackupBounds(stack) });
        });

        it(`judge ${stack}'s API versions against the Kubernetes version its config declares`, () => {
            const cfg = JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"));
            assert.deepStrictEqual(withoutWaivers(cfg["disallow-deprecated-apis"]), { enforcementLevel: "mandatory", kubernetesVersion: "1.30" });
        });

        it(`name only known policies and settings for ${stack}`, () => {
            assert.doesNotThrow(() => resolveRules(RULES, JSON.parse(fs.readFileSync(packConfigFile(stack), "utf8"))));
        });
    }

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
