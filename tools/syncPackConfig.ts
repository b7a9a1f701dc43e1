/**
 * Writes what each stack's config decides into its pack config (policies/config/<stack>.json): the
 * traffic matrix, who may exec into pods, and the Kubernetes version the objects must work on, so that
 * `pulumi preview --policy-pack-config` and `npm run check` judge the policies against the matrix the
 * program declares. A test fails when a pack config is out of step.
 *
 *   npm run sync-pack-config
 */
import * as fs from "fs";
import * as path from "path";
import { matrixPackConfig } from "../components/network/trafficMatrix";
import { releaseJobPatterns } from "../components/verify/connectivity";
import { decodeConfigValue, validateConfig } from "../config/validate";
import { NAMESPACES, resolveWorkloads } from "../config/workloads";
import { BACKUP_NAME } from "../components/jobs/postgresBackup";
import type { MatrixConfig } from "../policies/lib/matrix";
import { runCli } from "./lib/cli";
import { CHECKLIST_MIN_AVAILABLE } from "../components/workloads/apps";
import { budgetMinAvailable } from "../components/workloads/workload";
import type { DeclaredSize } from "../policies/rules/resources/requireDeclaredSizes";
import { listStacks, loadStackConfig, PROJECT_ROOT } from "./lib/stackConfig";

function stackConfig(stack: string) {
    const sc = loadStackConfig(stack);
    const prefix = `${sc.project}:`;
    const raw = Object.fromEntries(
        Object.entries(sc.values)
            .filter(([k]) => k.startsWith(prefix))
            .map(([k, v]) => [k.slice(prefix.length), decodeConfigValue(v)]),
    );
    return validateConfig(raw, sc.project, stack);
}

/** The matrix the program declares for a stack. */
export function declaredMatrix(stack: string): MatrixConfig {
    const cfg = stackConfig(stack);
    return matrixPackConfig(cfg, resolveWorkloads(cfg));
}

/** Jobs the program names per release, which Pulumi deletes when the next release replaces them. */
export function declaredReleaseJobs(stack: string): string[] {
    const cfg = stackConfig(stack);
    return releaseJobPatterns(cfg, resolveWorkloads(cfg));
}

/** The backup CronJobs and the bound the stack's recovery point objective puts on them (daily without one). */
export function declaredBackupBounds(stack: string): { backups: string[]; maxIntervalMinutes: number; recoveryPointObjectiveMinutes: number } {
    const rpo = stackConfig(stack).backup.rpoMinutes;
    return { backups: [`${NAMESPACES.data}/${BACKUP_NAME}`], maxIntervalMinutes: rpo ?? 1440, recoveryPointObjectiveMinutes: rpo ?? 0 };
}

/**
 * What the stack declares for each workload (checklist 2.2.1, 2.3.3, 5.1.1 after the stack's overrides): its
 * requests, the pods its budget keeps (where it keeps a number: a single replica gets maxUnavailable), and
 * its autoscaler's bounds (where one scales it).
 */
export function declaredSizes(stack: string): Record<string, DeclaredSize> {
    const cfg = stackConfig(stack);
    const out: Record<string, DeclaredSize> = {};
    for (const w of resolveWorkloads(cfg)) {
        const kept = budgetMinAvailable(w.replicas, (CHECKLIST_MIN_AVAILABLE as Partial<Record<string, number>>)[w.name]);
        out[`${w.namespace}/${w.name}`] = {
            requests: { cpu: w.requests.cpu, memory: w.requests.memory },
            ...(kept >= 1 ? { minAvailable: kept } : {}),
            ...(w.maxReplicas > w.replicas ? { minReplicas: w.replicas, maxReplicas: w.maxReplicas } : {}),
        };
    }
    return out;
}

/** Who may exec into pods: the stack's SRE group, and no one else. */
export function declaredExecSubjects(stack: string): string[] {
    return [`Group:${stackConfig(stack).rbac.sreGroup}`];
}

export const packConfigFile = (stack: string) => path.join(PROJECT_ROOT, "policies", "config", `${stack}.json`);

/** The waiver decisions of a pack-config entry (see policies/lib/waivers.ts), which a sync keeps. */
function waiverSettings(entry: unknown): Record<string, unknown> {
    if (!entry || typeof entry !== "object") return {};
    const { waivable, exempt } = entry as Record<string, unknown>;
    return { ...(waivable !== undefined ? { waivable } : {}), ...(exempt !== undefined ? { exempt } : {}) };
}

async function main(): Promise<number> {
    for (const stack of listStacks()) {
        const file = packConfigFile(stack);
        const current = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
        current["enforce-traffic-matrix"] = {
            enforcementLevel: "mandatory",
            ...declaredMatrix(stack),
            ...waiverSettings(current["enforce-traffic-matrix"]),
        };
        current["disallow-deprecated-apis"] = {
            enforcementLevel: "mandatory",
            kubernetesVersion: stackConfig(stack).kubernetesVersion,
            ...waiverSettings(current["disallow-deprecated-apis"]),
        };
        current["restrict-role-bindings"] = {
            ...current["restrict-role-bindings"],
            enforcementLevel: "mandatory",
            execSubjects: declaredExecSubjects(stack),
            readOnlySubjects: [`Group:${stackConfig(stack).rbac.developerGroup}`],
            secretReaders: declaredExecSubjects(stack),
        };
        current["limit-backup-interval"] = {
            enforcementLevel: "mandatory",
            ...declaredBackupBounds(stack),
            ...waiverSettings(current["limit-backup-interval"]),
        };
        current["require-declared-sizes"] = {
            enforcementLevel: "mandatory",
            workloads: declaredSizes(stack),
            ...waiverSettings(current["require-declared-sizes"]),
        };
        const jobLimits = current["require-job-limits"];
        current["require-job-limits"] = {
            ...(typeof jobLimits === "string" ? { enforcementLevel: jobLimits } : (jobLimits ?? {})),
            replacedEachRelease: declaredReleaseJobs(stack),
        };
        fs.writeFileSync(file, JSON.stringify(current, null, 4) + "\n");
        process.stdout.write(`${path.relative(PROJECT_ROOT, file)}: ${current["enforce-traffic-matrix"].allowed.length} allowed flows\n`);
    }
    return 0;
}

if (require.main === module) runCli("sync-pack-config", main);
