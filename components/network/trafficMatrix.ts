/**
 * The traffic matrix, declared once. NetworkPolicies are generated from it, the pack's
 * `enforce-traffic-matrix` checks the rendered policies against it, and the post-deploy Jobs test it.
 */
import type { PlatformConfig } from "../../config/types";
import { WORKLOAD_DEFAULTS, type ResolvedWorkload } from "../../config/workloads";
import { KNOWN_OUTSIDE, type MatrixConfig } from "../../policies/lib/matrix";
import type { Protocol } from "../../policies/lib/reachability";
import { BACKUP_NAME, RESTORE_NAME, RESTORE_TEST_NAME } from "../jobs/postgresBackup";
import { STREAM_BOOTSTRAP_NAME } from "../jobs/streamBootstrap";
import { MIGRATION_NAME } from "../jobs/schemaMigration";
import { CHECKS } from "../verify/postDeploy";
import { loadTestName, PROFILE_NAMES } from "../loadtest/loadTests";
import { collectorSpec, COLLECTOR } from "../observability/telemetry";
import { peerSelectorLabels } from "../labels";
import { canaryName } from "../workloads/canary";

/** Pods the platform talks to but does not run (kept in the pack, which needs them to judge any stack). */
export const OUTSIDE = KNOWN_OUTSIDE;

export type OutsideName = keyof typeof OUTSIDE;

/** A platform pod group: one of the five workloads, or the stream-bootstrap Job. */
export interface PlatformPeer {
    readonly name: string;
    readonly namespace: string;
    readonly component: string;
    readonly ports: readonly { port: number; protocol: Protocol }[];
}

export type PeerRef = { readonly platform: string } | { readonly outside: OutsideName };

export interface Flow {
    readonly from: PeerRef;
    readonly to: PeerRef;
    readonly port: number;
    readonly protocol: Protocol;
    /** Why the platform needs it, for the report and the docs. */
    readonly why: string;
}

/** The post-deploy checks a stack runs. */
export function enabledChecks(features: PlatformConfig["features"] | undefined): string[] {
    if (!features?.verificationJobs) return [];
    return [CHECKS.smoke, CHECKS.performance, CHECKS.e2e, ...(features.monitoring ? [CHECKS.monitoring] : [])];
}

/** The platform's pod groups in a stack (with `features`, the optional Jobs it switches on). */
export function platformPeers(workloads: readonly ResolvedWorkload[], features?: PlatformConfig["features"]): PlatformPeer[] {
    return [
        ...workloads.map((w) => ({
            name: w.name,
            namespace: w.namespace,
            component: w.component,
            ports: [{ port: w.port, protocol: "TCP" as const }],
        })),
        { name: STREAM_BOOTSTRAP_NAME, namespace: WORKLOAD_DEFAULTS.consumer.namespace, component: "init", ports: [] },
        ...[BACKUP_NAME, RESTORE_NAME, RESTORE_TEST_NAME].map((name) => ({
            name,
            namespace: WORKLOAD_DEFAULTS.postgres.namespace,
            component: "backup",
            ports: [],
        })),
        { name: MIGRATION_NAME, namespace: WORKLOAD_DEFAULTS.api.namespace, component: "migration", ports: [] },
        ...enabledChecks(features).map((name) => ({ name, namespace: WORKLOAD_DEFAULTS.api.namespace, component: "verification", ports: [] })),
        ...(features && (features.logShipping || features.tracing)
            ? [
                  {
                      name: COLLECTOR,
                      namespace: WORKLOAD_DEFAULTS.api.namespace,
                      component: "telemetry",
                      ports: [{ port: collectorSpec("prod").port, protocol: "TCP" as const }],
                  },
              ]
            : []),
        ...(features?.loadTests
            ? PROFILE_NAMES.map((p) => ({ name: loadTestName(p), namespace: WORKLOAD_DEFAULTS.api.namespace, component: "load-test", ports: [] }))
            : []),
    ];
}

const port = (w: keyof typeof WORKLOAD_DEFAULTS) => WORKLOAD_DEFAULTS[w].port;

/** Allowed flows (checklist 1.2.4 and the traffic matrix), plus what the platform itself needs. */
export function allowedFlows(cfg: Pick<PlatformConfig, "features">): Flow[] {
    const f = (from: PeerRef, to: PeerRef, p: number, why: string, protocol: Protocol = "TCP"): Flow => ({ from, to, port: p, protocol, why });
    const w = (platform: string): PeerRef => ({ platform });
    const o = (outside: OutsideName): PeerRef => ({ outside });
    const flows = [
        f(o("ingress-controller"), w("frontend"), port("frontend"), "public traffic enters through the Ingress"),
        f(o("ingress-controller"), o("acme-solver"), 8089, "cert-manager's HTTP-01 challenge for the public certificate"),
        f(w("frontend"), w("api"), port("api"), "the frontend proxies /api"),
        f(w("api"), w("postgres"), port("postgres"), "the API reads results"),
        f(w("api"), w("redis"), port("redis"), "the API appends votes to the stream"),
        f(w("consumer"), w("postgres"), port("postgres"), "the consumer writes counts"),
        f(w("consumer"), w("redis"), port("redis"), "the consumer reads the stream"),
        f(w(STREAM_BOOTSTRAP_NAME), w("redis"), port("redis"), "the init Job creates the stream and group"),
        f(o("keda-operator"), w("redis"), port("redis"), "KEDA reads the consumer group's pending entries"),
        f(w(BACKUP_NAME), w("postgres"), port("postgres"), "the scheduled pg_dump"),
        f(w(RESTORE_NAME), w("postgres"), port("postgres"), "a restore from a backup"),
        f(w(RESTORE_TEST_NAME), w("postgres"), port("postgres"), "the quarterly restore test, into a scratch database"),
        f(w(MIGRATION_NAME), w("postgres"), port("postgres"), "the schema migration before each rollout"),
    ];
    if (cfg.features.monitoring) {
        flows.push(
            f(o("prometheus"), w("api"), port("api"), "Prometheus scrapes /metrics"),
            f(o("prometheus"), w("consumer"), port("consumer"), "Prometheus scrapes the consumer's metrics"),
        );
    }
    const checks = enabledChecks(cfg.features);
    const https = 443;
    if (checks.includes(CHECKS.smoke)) {
        flows.push(
            f(w(CHECKS.smoke), o("ingress-controller"), https, "the smoke test votes through the public path"),
            f(w(CHECKS.smoke), w("postgres"), port("postgres"), "the smoke test finds the consumer's processed event"),
            f(w(CHECKS.smoke), w("api"), port("api"), "the smoke test asks the API's /ready, which is not public"),
            f(w(CHECKS.performance), w("frontend"), port("frontend"), "the performance baseline, past the edge's per-client rate limit"),
            f(w(CHECKS.performance), w("postgres"), port("postgres"), "the performance check records its baseline"),
            f(w(CHECKS.e2e), o("ingress-controller"), https, "the end-to-end test votes through the public path"),
            f(w(CHECKS.e2e), w("redis"), port("redis"), "the end-to-end test follows the vote through the stream"),
            f(w(CHECKS.e2e), w("postgres"), port("postgres"), "the end-to-end test reads the count and removes test votes"),
        );
    }
    if (cfg.features.logShipping || cfg.features.tracing) {
        const otlp = collectorSpec("prod").port;
        flows.push(
            f(w("api"), w(COLLECTOR), otlp, "the API ships logs and traces over OTLP"),
            f(w("consumer"), w(COLLECTOR), otlp, "the consumer ships logs and traces over OTLP"),
        );
        if (cfg.features.tracing) flows.push(f(w(COLLECTOR), o("tracing-backend"), 4317, "the collector exports traces"));
    }
    if (cfg.features.loadTests) {
        for (const p of PROFILE_NAMES) flows.push(f(w(loadTestName(p)), w("frontend"), port("frontend"), `the ${p} load test`));
    }
    if (checks.includes(CHECKS.monitoring)) {
        flows.push(
            f(w(CHECKS.monitoring), o("prometheus"), 9090, "the monitoring check reads targets, rules and settings"),
            f(w(CHECKS.monitoring), o("grafana"), 3000, "the monitoring check finds the dashboards"),
        );
    }
    return flows;
}

/**
 * Every pod in a platform namespace resolves names through kube-dns (checklist 1.2.3): the platform's
 * own pods and cert-manager's HTTP-01 solver, which the namespace-wide DNS policy covers too.
 */
export function dnsFlows(peers: readonly PlatformPeer[]): Flow[] {
    const sources: PeerRef[] = [...peers.map((p) => ({ platform: p.name })), { outside: "acme-solver" }];
    return sources.flatMap((from) =>
        (["UDP", "TCP"] as const).map((protocol) => ({ from, to: { outside: "kube-dns" as const }, port: 53, protocol, why: "name resolution" })),
    );
}

/** Workloads whose connectivity a post-deploy Job tests from their own network identity (checklist 8.2). */
export const VERIFIED_SOURCES = ["frontend", "api", "consumer"] as const;
/** Name of the verification Jobs in each source namespace (and of their ServiceAccount); each release adds a suffix. */
export const VERIFY_JOB = "verify-connectivity";
/** How the pack config names the verification pods of every release: the Job name with any suffix. */
export const VERIFY_JOB_PATTERN = `${VERIFY_JOB}-*`;

/** The three flows the checklist names as denied (8.2). Everything else not allowed is denied too. */
export const DENIED: readonly { from: string; to: string }[] = [
    { from: "frontend", to: "redis" },
    { from: "frontend", to: "postgres" },
    { from: "consumer", to: "api" },
];

export function peerId(ref: PeerRef, peers: readonly PlatformPeer[]): string {
    if ("outside" in ref) return OUTSIDE[ref.outside].id;
    const p = peers.find((x) => x.name === ref.platform);
    if (!p) throw new Error(`the traffic matrix names ${ref.platform}, which the platform does not run`);
    return `${p.namespace}/${p.name}`;
}

export function peerNamespace(ref: PeerRef, peers: readonly PlatformPeer[]): string {
    return peerId(ref, peers).split("/")[0];
}

/** Labels that select a peer's pods: every instance of a platform workload (its name), so a canary's too. */
export function peerLabels(ref: PeerRef, peers: readonly PlatformPeer[]): Record<string, string> {
    if ("outside" in ref) return { ...OUTSIDE[ref.outside].labels };
    const p = peers.find((x) => x.name === ref.platform)!;
    return peerSelectorLabels(p);
}

const flowString = (from: string, to: string, p: number, protocol: Protocol) => `${from} -> ${to}:${p}/${protocol}`;

/** The matrix as the pack's `enforce-traffic-matrix` takes it (policies/config/<stack>.json). */
/**
 * The API canary's pods are a pod group of their own that the API's policies select: the same flows reach
 * them and leave them as the API's, and the same flows are refused (checklist 4.3.2).
 */
function canaryFlows(flows: readonly string[], api: string): string[] {
    const canary = `${api.split("/")[0]}/${canaryName(api.split("/")[1])}`;
    return flows.flatMap((f) => {
        const [from, to] = f.split(" -> ");
        if (from === api) return [`${canary} -> ${to}`];
        if (to.startsWith(`${api}:`)) return [`${from} -> ${canary}${to.slice(api.length)}`];
        return [];
    });
}

export function matrixPackConfig(cfg: Pick<PlatformConfig, "features" | "canary">, workloads: readonly ResolvedWorkload[]): MatrixConfig {
    const peers = platformPeers(workloads, cfg.features);
    const flows = [...allowedFlows(cfg), ...dnsFlows(peers)];
    const allowed = flows.map((fl) => flowString(peerId(fl.from, peers), peerId(fl.to, peers), fl.port, fl.protocol));
    // A verification pod takes its source workload's network identity on purpose: it may go where the source goes.
    // Its Job is named per release; the matrix knows a Job by its app.kubernetes.io/name label, which stays the same.
    const mirrored = cfg.features.verificationJobs
        ? VERIFIED_SOURCES.flatMap((source) => {
              const id = peerId({ platform: source }, peers);
              const probe = `${id.split("/")[0]}/${VERIFY_JOB}`;
              return allowed.filter((f) => f.startsWith(`${id} -> `)).map((f) => f.replace(`${id} -> `, `${probe} -> `));
          })
        : [];
    const usedOutside = new Set(flows.flatMap((fl) => [fl.from, fl.to]).flatMap((r) => ("outside" in r ? [r.outside] : [])));
    const api = peerId({ platform: "api" }, peers);
    const denied = DENIED.map((d) => {
        const to = peers.find((p) => p.name === d.to)!;
        return flowString(peerId({ platform: d.from }, peers), peerId({ platform: d.to }, peers), to.ports[0].port, "TCP");
    });
    return {
        outside: Object.entries(OUTSIDE)
            .filter(([k]) => usedOutside.has(k as OutsideName))
            .map(([, v]) => v),
        allowed: [...allowed, ...mirrored, ...(cfg.canary ? canaryFlows([...allowed, ...mirrored], api) : [])],
        denied: [...denied, ...(cfg.canary ? canaryFlows(denied, api) : [])],
        strict: true,
    };
}
