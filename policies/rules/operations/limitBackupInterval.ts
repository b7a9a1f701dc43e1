import { maxGapMinutes } from "../../lib/cron";
import { describe, num, record, show, str, type K8sObject } from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

export interface BackupIntervalConfig {
    /** The CronJobs that back up data, as `namespace/name`. */
    backups: string[];
    maxIntervalMinutes: number;
    /** 0: not judged. */
    recoveryPointObjectiveMinutes: number;
}

const minutes = (seconds: number) => `${Math.round((seconds / 60) * 10) / 10}`;

/**
 * Checklist 4.2.1, 4.2.4: a backup schedule bounds how much data a restore can lose. The largest gap
 * between two runs, computed from the cron expression, is at most `maxIntervalMinutes`; with a recovery
 * point objective, the worst case (a failure just before a run finishes: the gap, plus the latest the run
 * may start, plus the longest it may run) stays under it.
 */
export const limitBackupInterval = defineRule<BackupIntervalConfig>({
    scope: "stack",
    name: "limit-backup-interval",
    description:
        "Each backup CronJob the pack config names exists and, unless suspended (require-database-backup refuses that), runs at most maxIntervalMinutes apart (the largest gap of its cron schedule); with recoveryPointObjectiveMinutes, that gap plus startingDeadlineSeconds plus activeDeadlineSeconds stays under the objective.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Schedule the backup more often (e.g. */30 * * * *), and bound each run with startingDeadlineSeconds and activeDeadlineSeconds so that gap + late start + run time stays under the recovery point objective.",
    checklist: ["4.2.1", "4.2.4"],
    settings: {
        backups: {
            type: "array",
            items: { type: "string", pattern: "^[^/]+/[^/]+$" },
            description: "The CronJobs that back up data, as namespace/name.",
            default: [],
        },
        maxIntervalMinutes: {
            type: "integer",
            minimum: 1,
            description: "The longest two consecutive runs may be apart, in minutes.",
            default: 1440,
        },
        recoveryPointObjectiveMinutes: {
            type: "integer",
            minimum: 0,
            description: "The data a restore may lose must stay under this many minutes; 0 leaves it unjudged.",
            default: 0,
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        const set = resourceSet(objects);
        for (const id of cfg.backups) {
            const [ns, name] = id.split("/");
            const cron = set.find("CronJob", ns, name);
            if (!cron) {
                const anchor: K8sObject = set.find("Namespace", undefined, ns) ?? { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } };
                out.push({ object: anchor, message: `no CronJob ${id} in the resource set: nothing takes the backups the pack config names` });
                continue;
            }
            const say = (message: string) => out.push({ object: cron, message: `${describe(cron)}: ${message}` });
            const spec = record(cron.spec);
            const schedule = str(spec.schedule) ?? show(spec.schedule ?? "");
            // A suspended backup takes none: require-database-backup reports it for the database it leaves unprotected.
            if (spec.suspend === true) continue;
            let gap: number;
            try {
                gap = maxGapMinutes(schedule);
            } catch (e) {
                say(`has schedule ${show(schedule)}, which Kubernetes does not accept: ${(e as Error).message}`);
                continue;
            }
            if (gap === Infinity) {
                say(`has schedule ${show(schedule)}, which never fires: it takes no backups`);
                continue;
            }
            if (gap > cfg.maxIntervalMinutes) {
                say(`runs up to ${gap} minutes apart (schedule ${show(schedule)}); back up at least every ${cfg.maxIntervalMinutes} minutes`);
                continue;
            }
            if (!(cfg.recoveryPointObjectiveMinutes > 0)) continue;
            const late = num(spec.startingDeadlineSeconds);
            const run = num(record(record(spec.jobTemplate).spec).activeDeadlineSeconds);
            if (late === undefined || run === undefined) {
                const unset = [late === undefined ? "startingDeadlineSeconds" : "", run === undefined ? "activeDeadlineSeconds" : ""];
                say(
                    `sets no ${unset.filter(Boolean).join(" and no ")}, so how late a run starts or how long it takes has no bound, and neither has the data a restore could lose (objective: under ${cfg.recoveryPointObjectiveMinutes} minutes)`,
                );
                continue;
            }
            const worst = gap * 60 + late + run;
            if (worst >= cfg.recoveryPointObjectiveMinutes * 60) {
                say(
                    `could lose up to ${minutes(worst)} minutes of data: it runs up to ${gap} minutes apart, may start ${minutes(late)} minutes late and run ${minutes(run)} minutes; the recovery point objective is under ${cfg.recoveryPointObjectiveMinutes} minutes`,
                );
            }
        }
        return out;
    },
});
