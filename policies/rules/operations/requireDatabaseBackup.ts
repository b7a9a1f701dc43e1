import { BACKUP_RETENTION_ANNOTATION } from "../../lib/annotations";
import { clientsOf, serverWorkloads } from "../../lib/connections";
import { describe, integer, nameOf, record, strings } from "../../lib/k8s";
import { defineRule, type Finding } from "../../lib/rule";
import { isKind, LONG_RUNNING } from "../../lib/workloads";

/** Tools that take a backup of a PostgreSQL server they connect to. */
const DUMP_TOOLS = /(^|[\s/;&|(])(pg_dump|pg_dumpall|pg_basebackup|pgbackrest|wal-g|barman-cloud-backup)(\s|$|;)/m;

/**
 * Checklist 2.4.3, 4.2.1: every PostgreSQL server of the resource set is backed up by a CronJob: a
 * container of it connects to the server (PGHOST or a postgres URL naming a Service that selects the
 * server's pods) and runs a dump tool. The CronJob has a schedule, is not suspended, and declares how
 * many days its backups are kept (annotation voting-platform.io/backup-retention-days), at least the
 * configured minimum. How often it runs is limit-backup-interval's to judge.
 */
export const requireDatabaseBackup = defineRule<{ minRetentionDays: number }>({
    scope: "stack",
    name: "require-database-backup",
    description:
        "Every PostgreSQL server is backed up by an active CronJob that connects to it and runs a dump tool (pg_dump, pg_dumpall, pg_basebackup, pgBackRest, WAL-G), with a schedule and a declared retention of at least minRetentionDays.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: `Add a CronJob that runs pg_dump against the database's Service (PGHOST) and uploads the dump off the cluster, with a schedule and the annotation ${BACKUP_RETENTION_ANNOTATION} giving the days the storage keeps each dump (7 or more).`,
    checklist: ["2.4.3", "4.2.1"],
    settings: {
        minRetentionDays: { type: "integer", minimum: 1, description: "Fewest days a backup must be kept.", default: 7 },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        for (const { workload } of serverWorkloads(objects, "postgres")) {
            if (!isKind(workload, LONG_RUNNING)) continue;
            const backups = [
                ...new Set(
                    clientsOf(workload, "postgres", objects)
                        .filter((c) => c.pod.object.kind === "CronJob")
                        .filter((c) => DUMP_TOOLS.test([...strings(c.container.container.command), ...strings(c.container.container.args)].join(" ")))
                        .map((c) => c.pod.object),
                ),
            ];
            if (backups.length === 0) {
                out.push({
                    object: workload,
                    message: `${describe(workload)}: no CronJob backs up its PostgreSQL: none connects to it (PGHOST or a postgres URL naming its Service) and runs pg_dump, pg_dumpall or pg_basebackup`,
                });
                continue;
            }
            const active = backups.filter((b) => record(b.spec).suspend !== true);
            if (active.length === 0) {
                out.push({
                    object: workload,
                    message: `${describe(workload)}: its backup CronJob ${backups.map(nameOf).join(", ")} is suspended, so no backup is taken; set suspend false`,
                });
                continue;
            }
            for (const b of active) {
                const say = (m: string) => out.push({ object: b, message: `${describe(b)}: ${m}` });
                const schedule = record(b.spec).schedule;
                if (typeof schedule !== "string" || schedule.trim() === "") say(`backs up ${describe(workload)} but has no schedule; set one`);
                const raw = record(record(b.metadata).annotations)[BACKUP_RETENTION_ANNOTATION];
                const days = integer(raw);
                if (raw === undefined)
                    say(
                        `declares no retention for the backups of ${describe(workload)}; set the annotation ${BACKUP_RETENTION_ANNOTATION} to the days they are kept`,
                    );
                else if (days === undefined)
                    say(`declares retention ${JSON.stringify(raw)}, which is not a number of days (${BACKUP_RETENTION_ANNOTATION})`);
                else if (days < cfg.minRetentionDays)
                    say(`keeps the backups of ${describe(workload)} ${days} day(s) where at least ${cfg.minRetentionDays} are required`);
            }
        }
        return out;
    },
});
