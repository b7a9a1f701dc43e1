import * as assert from "assert";
import { requireJobLimits } from "../../../../policies/rules/hygiene/requireJobLimits";
import { asKind } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const LIMITS = { activeDeadlineSeconds: 300, backoffLimit: 4, ttlSecondsAfterFinished: 3600 };
const job = (change: (spec: any) => void = () => undefined) =>
    withChange(asKind("Job"), (x) => {
        Object.assign(x.spec, LIMITS);
        change(x.spec);
    });
const cron = (change: (spec: any) => void = () => undefined) =>
    withChange(asKind("CronJob"), (x) => {
        Object.assign(x.spec, { startingDeadlineSeconds: 120, concurrencyPolicy: "Forbid" });
        Object.assign(x.spec.jobTemplate.spec, LIMITS);
        change(x.spec);
    });
const J = "Job voting-api/api-job";
const C = "CronJob voting-api/api-cronjob";

describe(requireJobLimits.name, () => {
    it("accepts a bounded Job and a bounded CronJob, backoffLimit 0 and concurrencyPolicy Replace included", () => {
        assert.deepStrictEqual(violations(requireJobLimits, job()), []);
        assert.deepStrictEqual(
            violations(
                requireJobLimits,
                job((s) => (s.backoffLimit = 0)),
            ),
            [],
        );
        assert.deepStrictEqual(violations(requireJobLimits, cron()), []);
        assert.deepStrictEqual(
            violations(
                requireJobLimits,
                cron((s) => (s.concurrencyPolicy = "Replace")),
            ),
            [],
        );
    });

    it("refuses each missing limit of a Job on its own", () => {
        assert.deepStrictEqual(
            violations(
                requireJobLimits,
                job((s) => delete s.activeDeadlineSeconds),
            ),
            [`${J}: sets no activeDeadlineSeconds; a stuck run would never end`],
        );
        assert.deepStrictEqual(
            violations(
                requireJobLimits,
                job((s) => delete s.backoffLimit),
            ),
            [`${J}: sets no backoffLimit (Kubernetes retries 6 times); set it explicitly`],
        );
        assert.deepStrictEqual(
            violations(
                requireJobLimits,
                job((s) => (s.ttlSecondsAfterFinished = "3600")),
            ),
            [`${J}: sets no ttlSecondsAfterFinished; finished pods pile up`],
        );
    });

    it("accepts restartPolicy OnFailure or Never, and refuses Always or none", () => {
        assert.deepStrictEqual(
            violations(
                requireJobLimits,
                job((s) => (s.template.spec.restartPolicy = "OnFailure")),
            ),
            [],
        );
        assert.deepStrictEqual(
            violations(
                requireJobLimits,
                job((s) => (s.template.spec.restartPolicy = "Always")),
            ),
            [`${J}: has restartPolicy "Always"; use OnFailure or Never`],
        );
        assert.deepStrictEqual(
            violations(
                requireJobLimits,
                job((s) => delete s.template.spec.restartPolicy),
            ),
            [`${J}: has restartPolicy "unset"; use OnFailure or Never`],
        );
    });

    it("refuses a CronJob without a starting deadline, or that allows overlapping runs, set or by default", () => {
        assert.deepStrictEqual(
            violations(
                requireJobLimits,
                cron((s) => delete s.startingDeadlineSeconds),
            ),
            [`${C}: sets no startingDeadlineSeconds; missed runs start late and in bursts`],
        );
        for (const p of ["Allow", undefined]) {
            assert.deepStrictEqual(
                violations(
                    requireJobLimits,
                    cron((s) => (s.concurrencyPolicy = p)),
                ),
                [`${C}: allows overlapping runs; set concurrencyPolicy: Forbid`],
            );
        }
    });

    it("judges the CronJob's job template like a Job", () => {
        const bare = withChange(asKind("CronJob"), (x) => (x.spec.jobTemplate.spec.template.spec.restartPolicy = "Always"));
        assert.deepStrictEqual(violations(requireJobLimits, bare), [
            `${C}: sets no activeDeadlineSeconds; a stuck run would never end`,
            `${C}: sets no backoffLimit (Kubernetes retries 6 times); set it explicitly`,
            `${C}: sets no ttlSecondsAfterFinished; finished pods pile up`,
            `${C}: has restartPolicy "Always"; use OnFailure or Never`,
            `${C}: sets no startingDeadlineSeconds; missed runs start late and in bursts`,
            `${C}: allows overlapping runs; set concurrencyPolicy: Forbid`,
        ]);
    });

    it("asks nothing of other kinds, or a Job without a spec", () => {
        for (const k of ["Pod", "Deployment", "StatefulSet", "DaemonSet"] as const)
            assert.deepStrictEqual(violations(requireJobLimits, asKind(k)), [], k);
        assert.deepStrictEqual(
            violations(
                requireJobLimits,
                withChange(asKind("Job"), (x) => delete x.spec),
            ),
            [],
        );
    });

    it("asks nothing of another kind that carries a job template", () => {
        assert.deepStrictEqual(
            violations(requireJobLimits, {
                apiVersion: "example.com/v1",
                kind: "Workflow",
                metadata: { name: "w" },
                spec: { jobTemplate: { spec: {} } },
            }),
            [],
        );
    });

    it("refuses a Job whose template has no spec as having no restart policy", () => {
        assert.deepStrictEqual(
            violations(
                requireJobLimits,
                job((s) => (s.template = {})),
            ),
            [`${J}: has restartPolicy "unset"; use OnFailure or Never`],
        );
    });
});
