/**
 * Writes what each stack's config decides into its pack config (policies/config/<stack>.json): the
 * traffic matrix, who may exec into pods, the Kubernetes version the objects must work on, each
 * workload's sizes, budgets, autoscaling and start-up time, who reads and who runs the platform, and
 * whether the stack's data servers may skip TLS and whether External Secrets write its Secrets, so that
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
import { BACKUP_NAME } from "../components/jobs/postgresBackup";
import { budgetMinAvailable, NAMESPACES, PROD_MIN_DB_POOL_SIZE, resolveWorkloads } from "../config/workloads";
import { dataTlsEnabled } from "../components/data/dataTls";
import { HPA_TARGETS } from "../components/workloads/workload";
import type { MatrixConfig } from "../policies/lib/matrix";
import { runCli } from "./lib/cli";
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

/** Who may exec into pods: the stack's SRE group, and no one else. */
export function declaredExecSubjects(stack: string): string[] {
    return [`Group:${stackConfig(stack).rbac.sreGroup}`];
}

/** The per-workload numbers of the checklist as this stack resolves them, keyed `namespace/name`. */
export function declaredWorkloadSettings(stack: string) {
    const cfg = stackConfig(stack);
    const workloads = resolveWorkloads(cfg);
    const key = (w: { namespace: string; name: string }) => `${w.namespace}/${w.name}`;
    const api = workloads.find((w) => w.name === "api")!;
    return {
        requests: Object.fromEntries(workloads.map((w) => [key(w), { ...w.requests }])),
        budgets: Object.fromEntries(workloads.filter((w) => budgetMinAvailable(w) > 0).map((w) => [key(w), budgetMinAvailable(w)])),
        startup: Object.fromEntries(workloads.filter((w) => w.startupSeconds !== undefined).map((w) => [key(w), w.startupSeconds!])),
        // The API's HPA (with the checklist's utilisation targets), and every other workload an autoscaler
        // runs between its replicas and maxReplicas (prod's consumer, through KEDA's ScaledObject).
        autoscaling: {
            ...Object.fromEntries(
                workloads.filter((w) => w.maxReplicas > w.replicas).map((w) => [key(w), { minReplicas: w.replicas, maxReplicas: w.maxReplicas }]),
            ),
            [key(api)]: {
                minReplicas: api.replicas,
                maxReplicas: api.maxReplicas,
                cpuUtilization: HPA_TARGETS.cpu,
                memoryUtilization: HPA_TARGETS.memory,
            },
        },
        minPoolSizes: cfg.environment === "prod" ? { [key(api)]: PROD_MIN_DB_POOL_SIZE } : {},
    };
}

/** Who may only read (developers) and who runs the platform (SRE) in its namespaces. */
export function declaredAccess(stack: string) {
    const { rbac } = stackConfig(stack);
    return { readOnlySubjects: [`Group:${rbac.developerGroup}`], adminSubjects: [`Group:${rbac.sreGroup}`], namespaces: Object.values(NAMESPACES) };
}

/** Whether the stack's PostgreSQL and Redis may listen without TLS: only where the program gives them none (staging). */
export function declaredPlaintextData(stack: string): boolean {
    return !dataTlsEnabled(stackConfig(stack));
}

/** External Secrets are judged unless Pulumi keeps the passwords (staging's secrets backend). */
export function declaredExternalSecretsLevel(stack: string): "mandatory" | "disabled" {
    return stackConfig(stack).secrets.backend === "pulumi" ? "disabled" : "mandatory";
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
        const jobLimits = current["require-job-limits"];
        current["require-job-limits"] = {
            ...(typeof jobLimits === "string" ? { enforcementLevel: jobLimits } : (jobLimits ?? {})),
            replacedEachRelease: declaredReleaseJobs(stack),
        };
        const w = declaredWorkloadSettings(stack);
        const access = declaredAccess(stack);
        const declared: Record<string, Record<string, unknown>> = {
            "enforce-minimum-requests": { workloads: w.requests },
            "enforce-disruption-budget-minimum": { workloads: w.budgets },
            "require-startup-probe": { workloads: w.startup },
            "enforce-autoscaler-targets": { workloads: w.autoscaling },
            "enforce-connection-pool-budget": { minPoolSizes: w.minPoolSizes },
            "enforce-read-only-access": { readOnlySubjects: access.readOnlySubjects },
            "require-namespace-admin-access": { adminSubjects: access.adminSubjects, namespaces: access.namespaces },
            "require-data-server-tls": { plaintextAllowed: declaredPlaintextData(stack) },
        };
        for (const [name, settings] of Object.entries(declared)) {
            current[name] = { enforcementLevel: "mandatory", ...settings, ...waiverSettings(current[name]) };
        }
        const external = waiverSettings(current["require-external-secrets"]);
        const level = declaredExternalSecretsLevel(stack);
        current["require-external-secrets"] = Object.keys(external).length > 0 ? { enforcementLevel: level, ...external } : level;
        fs.writeFileSync(file, JSON.stringify(current, null, 4) + "\n");
        process.stdout.write(`${path.relative(PROJECT_ROOT, file)}: ${current["enforce-traffic-matrix"].allowed.length} allowed flows\n`);
    }
    return 0;
}

if (require.main === module) runCli("sync-pack-config", main);
