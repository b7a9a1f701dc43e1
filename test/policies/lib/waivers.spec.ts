import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { setToday, today } from "../../../policies/lib/clock";
import { evaluateAll, resolveRules } from "../../../policies/lib/evaluate";
import type { K8sObject } from "../../../policies/lib/k8s";
import { defineRule } from "../../../policies/lib/rule";
import { parseWaiver, WAIVER_RULE } from "../../../policies/lib/waivers";
import { RULES } from "../../../policies/rules";
import { disableServiceAccountTokenAutomount } from "../../../policies/rules/security/disableServiceAccountTokenAutomount";
import { requireReadOnlyRootFilesystem } from "../../../policies/rules/security/requireReadOnlyRootFilesystem";
import { PROJECT_ROOT } from "../../../tools/lib/stackConfig";
import { compliantDeployment } from "../../helpers/fixtures";
import { cloudViolations, violations, withChange } from "../../helpers/policy";

const KEY = "waiver.voting-platform.io/require-read-only-root-filesystem";
const WRITABLE = 'Deployment voting-api/api: container "api" has a writable root filesystem: set securityContext.readOnlyRootFilesystem: true';

/** The compliant Deployment with a writable root filesystem, and the given annotations. */
function writable(annotations: Record<string, string> = {}): K8sObject {
    return withChange(compliantDeployment(), (d) => {
        d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
        d.metadata!.annotations = annotations;
    });
}

describe("waivers", () => {
    before(() => setToday("2026-06-15"));
    after(() => setToday(undefined));

    describe("the annotation's value", () => {
        it("carries a reason and an optional expiry date", () => {
            assert.deepStrictEqual(parseWaiver("p", KEY, "nginx writes its pid to / (expires 2026-09-30)"), {
                policy: "p",
                annotation: KEY,
                reason: "nginx writes its pid to /",
                expires: "2026-09-30",
            });
            assert.deepStrictEqual(parseWaiver("p", KEY, "  legacy image, see OPS-12  "), {
                policy: "p",
                annotation: KEY,
                reason: "legacy image, see OPS-12",
            });
        });

        it("is void without a reason, or with a flag copied from a peer tool instead of one", () => {
            for (const value of ["", "   ", "true", "yes", "(expires 2026-09-30)"]) {
                assert.strictEqual(parseWaiver("p", KEY, value).problem, `waives p without a reason; write why as the value of ${KEY}`, value);
            }
        });

        it("is void with an expiry that is not a calendar date", () => {
            assert.strictEqual(
                parseWaiver("p", KEY, "legacy (expires 2026-02-30)").problem,
                'waives p until "2026-02-30", which is not a date; write (expires YYYY-MM-DD)',
            );
            assert.strictEqual(
                parseWaiver("p", KEY, "legacy (expires soon)").problem,
                'waives p until "soon", which is not a date; write (expires YYYY-MM-DD)',
            );
        });

        it("holds through its expiry day and is void the day after", () => {
            assert.strictEqual(parseWaiver("p", KEY, "legacy (expires 2026-06-15)").problem, undefined);
            assert.strictEqual(
                parseWaiver("p", KEY, "legacy (expires 2026-06-14)").problem,
                "waives p until 2026-06-14, which has passed; fix the findings or renew the waiver with a new date",
            );
        });

        it("is judged against a clock the tests fix, or VOTING_POLICY_TODAY", () => {
            assert.strictEqual(today(), "2026-06-15");
            setToday(undefined);
            const saved = process.env.VOTING_POLICY_TODAY;
            process.env.VOTING_POLICY_TODAY = "2030-01-02";
            try {
                assert.strictEqual(today(), "2030-01-02");
            } finally {
                if (saved === undefined) delete process.env.VOTING_POLICY_TODAY;
                else process.env.VOTING_POLICY_TODAY = saved;
                setToday("2026-06-15");
            }
        });
    });

    describe("on a policy's findings, under CrossGuard and offline alike", () => {
        it("reports the finding when the object waives nothing", () => {
            assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, writable()), [WRITABLE]);
        });

        it("keeps a finding the object waives with a reason from being reported", () => {
            assert.deepStrictEqual(
                violations(requireReadOnlyRootFilesystem, writable({ [KEY]: "nginx writes its pid to / (expires 2026-09-30)" })),
                [],
            );
        });

        it("waives only the policy the annotation names", () => {
            const other = { "waiver.voting-platform.io/require-non-root": "runs as root to bind :80" };
            assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, writable(other)), [WRITABLE]);
        });

        it("reports the finding again once the waiver has expired, or when it gives no reason", () => {
            assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, writable({ [KEY]: "legacy (expires 2026-06-14)" })), [WRITABLE]);
            assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, writable({ [KEY]: "true" })), [WRITABLE]);
        });

        it("does not let an object waive a policy the stack's pack config makes unwaivable, and says so", () => {
            assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, writable({ [KEY]: "legacy image" }), { waivable: false }), [
                `${WRITABLE} (its waiver does not apply: this stack's pack config does not let objects waive require-read-only-root-filesystem)`,
            ]);
        });

        it("exempts the objects the pack config names, by namespace, name or kind, with the reason", () => {
            const exempt = (e: Record<string, string>) => ({ exempt: [{ ...e, reason: "vendor image" }] });
            assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, writable(), exempt({ namespace: "voting-api" })), []);
            assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, writable(), exempt({ namespace: "voting-api", name: "api" })), []);
            assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, writable(), exempt({ kind: "Deployment", name: "api" })), []);
            assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, writable(), exempt({ namespace: "voting-api", name: "frontend" })), [
                WRITABLE,
            ]);
            assert.deepStrictEqual(violations(requireReadOnlyRootFilesystem, writable(), exempt({ kind: "StatefulSet" })), [WRITABLE]);
        });

        it("applies to a stack policy's findings on the object they name", () => {
            const mounted = withChange(compliantDeployment(), (d) => delete d.spec.template.spec.automountServiceAccountToken);
            const message =
                "Deployment voting-api/api: mounts a ServiceAccount token by default (ServiceAccount api is not in the resource set to disable it); set automountServiceAccountToken: false";
            assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, mounted), [message]);
            const waived = withChange(mounted, (d) => {
                d.metadata!.annotations = { "waiver.voting-platform.io/disable-service-account-token-automount": "the operator watches Pods" };
            });
            assert.deepStrictEqual(violations(disableServiceAccountTokenAutomount, waived), []);
        });

        it("exempts a cloud resource by its Pulumi name", () => {
            const rule = defineRule({
                scope: "cloud",
                name: "require-sample-bucket-versioning",
                description: "Sample.",
                severity: "high",
                enforcementLevel: "mandatory",
                remediationSteps: "Version it.",
                checklist: ["4.2.2"],
                check: (resources) => resources.map((r) => ({ resource: r, message: `bucket ${r.name} is not versioned` })),
            });
            const buckets = ["backups", "scratch"].map((name) => ({ type: "aws:s3/bucketV2:BucketV2", name, props: {} }));
            assert.deepStrictEqual(cloudViolations(rule, buckets, { exempt: [{ name: "scratch", reason: "throwaway build cache" }] }), [
                "bucket backups is not versioned",
            ]);
        });
    });

    describe("offline", () => {
        it("lists each waived finding with its source, reason and expiry", () => {
            const cfg = { "require-read-only-root-filesystem": { exempt: [{ name: "other", reason: "vendor" }] } };
            const { violations: vs, waived } = evaluateAll(resolveRules([requireReadOnlyRootFilesystem], cfg), [
                writable({ [KEY]: "nginx writes its pid to / (expires 2026-09-30)" }),
                withChange(writable(), (d) => (d.metadata!.name = "other")),
            ]);
            assert.deepStrictEqual(vs, []);
            assert.deepStrictEqual(
                waived.map((w) => [w.message.split(":")[0], w.waiver]),
                [
                    ["Deployment voting-api/api", { source: "annotation", reason: "nginx writes its pid to /", expires: "2026-09-30" }],
                    ["Deployment voting-api/other", { source: "pack config", reason: "vendor" }],
                ],
            );
        });
    });

    describe("prod's pack config", () => {
        const prod = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "policies", "config", "prod.json"), "utf8"));

        it("decides, for every policy mandatory in prod, whether an object may waive it", () => {
            const undecided = resolveRules(RULES, prod)
                .filter((r) => r.level === "mandatory" && r.rule.name !== WAIVER_RULE)
                .filter((r) => typeof prod[r.rule.name] !== "object" || typeof prod[r.rule.name].waivable !== "boolean")
                .map((r) => r.rule.name);
            assert.deepStrictEqual(undecided, []);
        });

        it("never lets an object waive the rules that keep a pod from owning its node", () => {
            for (const name of [
                "require-non-root",
                "disallow-privileged",
                "disallow-host-namespaces",
                "disallow-host-path",
                "disallow-privilege-escalation",
            ]) {
                assert.strictEqual(prod[name].waivable, false, name);
            }
        });

        it("wants every waiver to run out within 90 days", () => {
            assert.deepStrictEqual(prod[WAIVER_RULE], { maxDays: 90 });
        });
    });
});
