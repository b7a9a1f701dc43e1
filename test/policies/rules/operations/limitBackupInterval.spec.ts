import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { limitBackupInterval } from "../../../../policies/rules/operations/limitBackupInterval";
import { kubernetesObjects } from "../../../../tools/lib/render";
import { declaredBackupBounds } from "../../../../tools/syncPackConfig";
import { reportedOn, violations, withChange } from "../../../helpers/policy";
import { rendered } from "../../../helpers/render";

const PROD = { backups: ["voting-data/postgres-backup"], maxIntervalMinutes: 60, recoveryPointObjectiveMinutes: 60 };
const NAME = "CronJob voting-data/postgres-backup";

describe("limit-backup-interval", () => {
    let backup: K8sObject;
    before(async () => {
        backup = kubernetesObjects(await rendered("prod")).find((o) => o.kind === "CronJob" && o.metadata?.name === "postgres-backup")!;
    });
    const scheduled = (schedule: string) => withChange(backup, (x) => (x.spec.schedule = schedule));

    it("accepts prod's backup: every 30 minutes, 5 minutes late at most, 15 minutes to run: 50 minutes at worst", () => {
        assert.deepStrictEqual(
            [backup.spec.schedule, backup.spec.startingDeadlineSeconds, backup.spec.jobTemplate.spec.activeDeadlineSeconds],
            ["*/30 * * * *", 300, 900],
        );
        assert.deepStrictEqual(violations(limitBackupInterval, backup, PROD), []);
    });

    it("refuses the nightly dump under prod's bound", () => {
        assert.deepStrictEqual(violations(limitBackupInterval, scheduled("0 2 * * *"), PROD), [
            `${NAME}: runs up to 1440 minutes apart (schedule "0 2 * * *"); back up at least every 60 minutes`,
        ]);
    });

    it("refuses hourly dumps: the gap fits the bound, but a restore could lose the gap plus the late start plus the run", () => {
        assert.deepStrictEqual(violations(limitBackupInterval, scheduled("0 * * * *"), PROD), [
            `${NAME}: could lose up to 80 minutes of data: it runs up to 60 minutes apart, may start 5 minutes late and run 15 minutes; the recovery point objective is under 60 minutes`,
        ]);
    });

    it("refuses a worst case of exactly the objective and accepts one a minute under it", () => {
        assert.deepStrictEqual(violations(limitBackupInterval, scheduled("0,40 * * * *"), PROD), [
            `${NAME}: could lose up to 60 minutes of data: it runs up to 40 minutes apart, may start 5 minutes late and run 15 minutes; the recovery point objective is under 60 minutes`,
        ]);
        assert.deepStrictEqual(violations(limitBackupInterval, scheduled("0,39 * * * *"), PROD), []);
    });

    it("refuses a backup whose late start or run time has no bound, when an objective is set", () => {
        const unbounded = withChange(backup, (x) => {
            delete x.spec.startingDeadlineSeconds;
            delete x.spec.jobTemplate.spec.activeDeadlineSeconds;
        });
        assert.deepStrictEqual(violations(limitBackupInterval, unbounded, PROD), [
            `${NAME}: sets no startingDeadlineSeconds and no activeDeadlineSeconds, so how late a run starts or how long it takes has no bound, and neither has the data a restore could lose (objective: under 60 minutes)`,
        ]);
        assert.deepStrictEqual(violations(limitBackupInterval, unbounded, { ...PROD, recoveryPointObjectiveMinutes: 0 }), []);
    });

    it("leaves a suspended backup to require-database-backup, and refuses one that never fires and one Kubernetes would not accept", () => {
        assert.deepStrictEqual(
            violations(
                limitBackupInterval,
                withChange(scheduled("0 2 * * *"), (x) => (x.spec.suspend = true)),
                PROD,
            ),
            [],
        );
        assert.deepStrictEqual(violations(limitBackupInterval, scheduled("0 0 30 2 *"), PROD), [
            `${NAME}: has schedule "0 0 30 2 *", which never fires: it takes no backups`,
        ]);
        assert.deepStrictEqual(violations(limitBackupInterval, scheduled("*/30 * * *"), PROD), [
            `${NAME}: has schedule "*/30 * * *", which Kubernetes does not accept: it has 4 fields, not 5 (minute hour day-of-month month day-of-week)`,
        ]);
    });

    it("refuses a backup without a schedule, or with one that is not text", () => {
        const unscheduled = withChange(backup, (x) => delete x.spec.schedule);
        assert.deepStrictEqual(violations(limitBackupInterval, unscheduled, PROD), [
            `${NAME}: has schedule "\\"\\"", which Kubernetes does not accept: it has 1 fields, not 5 (minute hour day-of-month month day-of-week)`,
        ]);
        assert.deepStrictEqual(
            violations(
                limitBackupInterval,
                withChange(backup, (x) => (x.spec.schedule = 30)),
                PROD,
            ),
            [`${NAME}: has schedule "30", which Kubernetes does not accept: it has 1 fields, not 5 (minute hour day-of-month month day-of-week)`],
        );
    });

    it("names each bound a backup leaves unset", () => {
        const unset = (field: string) =>
            `${NAME}: sets no ${field}, so how late a run starts or how long it takes has no bound, and neither has the data a restore could lose (objective: under 60 minutes)`;
        const noLate = withChange(backup, (x) => delete x.spec.startingDeadlineSeconds);
        assert.deepStrictEqual(violations(limitBackupInterval, noLate, PROD), [unset("startingDeadlineSeconds")]);
        const noRun = withChange(backup, (x) => delete x.spec.jobTemplate.spec.activeDeadlineSeconds);
        assert.deepStrictEqual(violations(limitBackupInterval, noRun, PROD), [unset("activeDeadlineSeconds")]);
    });

    it("refuses a resource set without the backup it names, on the namespace", () => {
        assert.deepStrictEqual(violations(limitBackupInterval, [], PROD), [
            "no CronJob voting-data/postgres-backup in the resource set: nothing takes the backups the pack config names",
        ]);
        assert.deepStrictEqual(reportedOn(limitBackupInterval, [], PROD), ["Namespace /voting-data"]);
        const namespace: K8sObject = { apiVersion: "v1", kind: "Namespace", metadata: { name: "voting-data" } };
        const waiving = withChange(
            namespace,
            (x) => (x.metadata!.annotations = { "waiver.voting-platform.io/limit-backup-interval": "restores from the provider's snapshots" }),
        );
        assert.deepStrictEqual(violations(limitBackupInterval, [waiving], PROD), []);
    });

    it("judges nothing without a list of backups, and staging's nightly dump by the daily bound alone", () => {
        assert.deepStrictEqual(violations(limitBackupInterval, scheduled("0 0 1 * *")), []);
        const staging = declaredBackupBounds("staging");
        assert.deepStrictEqual(staging, { backups: ["voting-data/postgres-backup"], maxIntervalMinutes: 1440, recoveryPointObjectiveMinutes: 0 });
        assert.deepStrictEqual(violations(limitBackupInterval, scheduled("0 2 * * *"), staging), []);
        assert.deepStrictEqual(violations(limitBackupInterval, scheduled("0 2 */2 * *"), staging), [
            `${NAME}: runs up to 2880 minutes apart (schedule "0 2 */2 * *"); back up at least every 1440 minutes`,
        ]);
    });
});
