import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ImageRef, PlatformConfig } from "../../config/types";
import type { ResolvedWorkload } from "../../config/workloads";
import { dataCaMount, dataCaVolume, DATA_CA_BUNDLE } from "../data/dataTls";
import { withEphemeralStorage } from "../ephemeralStorage";
import { BALLOT } from "../jobs/schemaMigration";
import { APP_VERSION_LABEL, standardLabels, versionLabel } from "../labels";
import { MONITORING_STACK } from "../monitoring/stack";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../security";
import { nginxSizeBytes } from "../workloads/apps";
import { imageName } from "../workloads/workload";
import {
    E2E_CLEANUP_SCRIPT,
    E2E_COUNT_BASELINE_SCRIPT,
    E2E_COUNT_SCRIPT,
    E2E_RESULTS_SCRIPT,
    E2E_STREAM_BASELINE_SCRIPT,
    E2E_STREAM_SCRIPT,
    E2E_VOTE_SCRIPT,
    INPUT_SCRIPT,
    MONITORING_SCRIPT,
    PERFORMANCE_RECORD_SCRIPT,
    PERFORMANCE_SCRIPT,
    PROCESSED_EVENT_SCRIPT,
    SMOKE_SCRIPT,
} from "./scripts";

type EnvVar = k8s.types.input.core.v1.EnvVar;

/** The post-deploy checks' pod groups, each with its own ServiceAccount and rows in the traffic matrix. */
export const CHECKS = {
    smoke: "verify-smoke",
    performance: "verify-performance",
    e2e: "verify-e2e",
    monitoring: "verify-monitoring",
} as const;

/** The ingress controller's Service (ingress-nginx's chart default): the public path without the cloud's load balancer. */
export const INGRESS_CONTROLLER_SERVICE = "ingress-nginx-controller.ingress-nginx.svc.cluster.local";

/** Grafana's Secret with a Viewer service-account token (key `token`), which the monitoring check reads dashboards with. */
export const GRAFANA_TOKEN_SECRET = "grafana-api";

/**
 * The checklist's performance baseline (8.3): 100 requests at 10 concurrent, P95 under 500 ms, over 15 req/s.
 * Each passing run's figures are kept in PostgreSQL's `performance_baselines` (5.3.1, 7.5.2).
 */
export const PERFORMANCE_BASELINE = { requests: 100, concurrency: 10, maxP95Ms: 500, minRps: 15 } as const;

/** Every step mounts both emptyDirs, so each container's ephemeral-storage limit covers both. */
const SCRATCH = { tmp: "32Mi", work: "1Mi" } as const;

export interface Step {
    readonly name: string;
    readonly image: ImageRef;
    readonly script: string;
    readonly env: readonly EnvVar[];
    /** The step connects to PostgreSQL or Redis: with TLS it mounts the data CA bundle. */
    readonly data?: boolean;
}

export interface CheckJobArgs {
    readonly name: string;
    readonly namespace: string;
    readonly stack: string;
    readonly release: string;
    /** The release under test: the API's image tag. */
    readonly appVersion: string;
    /** Run in order, sharing /work; the first failing step fails the Job. */
    readonly steps: readonly Step[];
    readonly deadlineSeconds: number;
    readonly imagePullSecret?: string;
    /** PostgreSQL and Redis take TLS only (prod): the data steps mount the data CA their URLs verify against. */
    readonly tls?: boolean;
}

/**
 * A check as a Job named for the release: every step but the last is an init container, so they run in
 * order and the first failure stops the pod; backoffLimit 0, so a failed check fails `pulumi up` at once.
 * On failure the pod's termination message carries the end of the log (what failed).
 */
export function buildCheckJob(a: CheckJobArgs): k8s.types.input.batch.v1.Job {
    // The version is the image that runs the check's last step; the release it checks is a label of its own.
    const labels = {
        ...standardLabels({ name: a.name, component: "verification" }, a.stack),
        ...versionLabel(a.steps[a.steps.length - 1].image.tag),
        [APP_VERSION_LABEL]: versionLabel(a.appVersion)["app.kubernetes.io/version"],
    };
    const ca = (s: Step) => a.tls === true && s.data === true;
    const container = (s: Step) => ({
        name: s.name,
        image: imageName(s.image),
        imagePullPolicy: s.image.digest ? "IfNotPresent" : "Always",
        command: ["/bin/sh", "-c", s.script],
        env: [...s.env, { name: "HOME", value: "/tmp" }, { name: "TMPDIR", value: "/tmp" }],
        resources: withEphemeralStorage({ requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "200m", memory: "128Mi" } }, [
            SCRATCH.tmp,
            SCRATCH.work,
        ]),
        securityContext: restrictedContainerSecurityContext(),
        terminationMessagePolicy: "FallbackToLogsOnError",
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, { name: "work", mountPath: "/work" }, ...(ca(s) ? [dataCaMount()] : [])],
    });
    const steps = a.steps.map(container);
    return {
        metadata: { name: `${a.name}-${a.release}`, namespace: a.namespace, labels },
        spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: a.deadlineSeconds,
            ttlSecondsAfterFinished: 86400,
            template: {
                metadata: { labels },
                spec: {
                    restartPolicy: "Never",
                    serviceAccountName: a.name,
                    automountServiceAccountToken: false,
                    securityContext: restrictedPodSecurityContext(999),
                    ...(a.imagePullSecret ? { imagePullSecrets: [{ name: a.imagePullSecret }] } : {}),
                    ...(steps.length > 1 ? { initContainers: steps.slice(0, -1) } : {}),
                    containers: steps.slice(-1),
                    volumes: [
                        { name: "tmp", emptyDir: { sizeLimit: SCRATCH.tmp } },
                        { name: "work", emptyDir: { sizeLimit: SCRATCH.work } },
                        ...(a.steps.some(ca) ? [dataCaVolume()] : []),
                    ],
                },
            },
        },
    };
}

export interface PostDeployChecksArgs {
    readonly config: PlatformConfig;
    readonly api: ResolvedWorkload;
    readonly frontend: ResolvedWorkload;
    readonly release: string;
    /** Secret in the API's namespace with DATABASE_URL and REDIS_URL. */
    readonly connectionSecret: string;
    /** PostgreSQL and Redis take TLS only, verified against the data CA (prod). */
    readonly tls?: boolean;
    readonly stream: { readonly name: string; readonly group: string };
    /** What the monitoring check expects Prometheus and Grafana to hold; undefined when monitoring is off. */
    readonly monitoring?: {
        readonly targets: readonly string[];
        readonly ruleGroups: readonly string[];
        readonly alerts: readonly string[];
        readonly dashboards: readonly string[];
    };
}

const value = (name: string, v: string | number): EnvVar => ({ name, value: String(v) });
const fromSecret = (name: string, secret: string, optional = false): EnvVar => ({
    name,
    valueFrom: { secretKeyRef: { name: secret, key: name === "GRAFANA_TOKEN" ? "token" : name, ...(optional ? { optional } : {}) } },
});

/** The checks' Jobs for a stack, in the order they run. */
export function buildCheckJobs(a: PostDeployChecksArgs): CheckJobArgs[] {
    const cfg = a.config;
    const images = cfg.images;
    const run = (check: string) => `verify-${a.release}-${check}`;
    // Let's Encrypt's staging directory signs with a root no trust store carries, by design.
    const tlsVerify = !(cfg.ingress.acme?.server ?? "").includes("acme-staging");
    const publicPath = [
        value("PUBLIC_URL", `https://${cfg.ingress.host}`),
        value("CONNECT_TO", `${cfg.ingress.host}:443:${INGRESS_CONTROLLER_SERVICE}:443`),
        value("TLS_VERIFY", String(tlsVerify)),
        value("OPTION", "cats"),
    ];
    const db = fromSecret("DATABASE_URL", a.connectionSecret);
    // The API's own URLs: in prod libpq's verify-full with sslrootcert, and rediss:// whose chain redis-cli checks with the CA.
    const redis = [fromSecret("REDIS_URL", a.connectionSecret), ...(a.tls ? [value("REDIS_CA_FILE", DATA_CA_BUNDLE.file)] : [])];
    const stream = [value("STREAM", a.stream.name), value("GROUP", a.stream.group)];
    const base = {
        namespace: a.api.namespace,
        stack: cfg.stack,
        release: a.release,
        appVersion: images.api.tag,
        imagePullSecret: images.pullSecret,
        tls: a.tls === true,
    };
    const jobs: CheckJobArgs[] = [
        {
            ...base,
            name: CHECKS.smoke,
            deadlineSeconds: 300,
            steps: [
                {
                    name: "http",
                    image: images.curl,
                    script: SMOKE_SCRIPT,
                    env: [
                        ...publicPath,
                        value("API_URL", `http://${a.api.name}.${a.api.namespace}.svc.cluster.local:${a.api.port}`),
                        value("TEST_RUN", run("smoke")),
                    ],
                },
                // Refusals of bad input through the same public path (checklist 1.3.1, 1.3.2, 7.4.3, 7.4.4).
                {
                    name: "input",
                    image: images.curl,
                    script: INPUT_SCRIPT,
                    env: [
                        ...publicPath,
                        value("TEST_RUN", run("smoke")),
                        value("BALLOT", BALLOT.join(" ")),
                        value("MAX_BODY_BYTES", nginxSizeBytes(cfg.app.requestSizeLimit)),
                    ],
                },
                { name: "consumer", image: images.postgres, script: PROCESSED_EVENT_SCRIPT, env: [db, value("TEST_RUN", run("smoke"))], data: true },
            ],
        },
        {
            ...base,
            name: CHECKS.performance,
            deadlineSeconds: 300,
            steps: [
                {
                    name: "load",
                    image: images.curl,
                    script: PERFORMANCE_SCRIPT,
                    env: [
                        // In-cluster through the frontend: the edge's per-client rate limit would throttle any single-client benchmark.
                        value("TARGET_URL", `http://${a.frontend.name}.${a.frontend.namespace}.svc.cluster.local:${a.frontend.port}`),
                        value("REQUESTS", PERFORMANCE_BASELINE.requests),
                        value("CONCURRENCY", PERFORMANCE_BASELINE.concurrency),
                        value("MAX_P95_MS", PERFORMANCE_BASELINE.maxP95Ms),
                        value("MIN_RPS", PERFORMANCE_BASELINE.minRps),
                        value("TEST_RUN", run("performance")),
                    ],
                },
                // The figures outlive the Job's TTL as a row of performance_baselines, one per release (checklist 5.3.1, 7.5.2).
                {
                    name: "record",
                    image: images.postgres,
                    script: PERFORMANCE_RECORD_SCRIPT,
                    env: [db, value("TEST_RUN", run("performance")), value("APP_VERSION", images.api.tag)],
                    data: true,
                },
            ],
        },
        {
            ...base,
            name: CHECKS.e2e,
            deadlineSeconds: 600,
            steps: [
                { name: "stream-baseline", image: images.redis, script: E2E_STREAM_BASELINE_SCRIPT, env: [...redis, ...stream], data: true },
                { name: "count-baseline", image: images.postgres, script: E2E_COUNT_BASELINE_SCRIPT, env: [db, value("OPTION", "cats")], data: true },
                { name: "vote", image: images.curl, script: E2E_VOTE_SCRIPT, env: [...publicPath, value("TEST_RUN", run("e2e"))] },
                {
                    name: "stream",
                    image: images.redis,
                    script: E2E_STREAM_SCRIPT,
                    env: [...redis, ...stream, value("TEST_RUN", run("e2e"))],
                    data: true,
                },
                { name: "count", image: images.postgres, script: E2E_COUNT_SCRIPT, env: [db, value("OPTION", "cats")], data: true },
                { name: "results", image: images.curl, script: E2E_RESULTS_SCRIPT, env: publicPath },
                { name: "cleanup", image: images.postgres, script: E2E_CLEANUP_SCRIPT, env: [db], data: true },
            ],
        },
    ];
    if (a.monitoring) {
        jobs.push({
            ...base,
            name: CHECKS.monitoring,
            deadlineSeconds: 300,
            steps: [
                {
                    name: "monitoring",
                    image: images.curl,
                    script: MONITORING_SCRIPT,
                    env: [
                        value("PROMETHEUS_URL", MONITORING_STACK.prometheusUrl),
                        value("GRAFANA_URL", MONITORING_STACK.grafanaUrl),
                        fromSecret("GRAFANA_TOKEN", GRAFANA_TOKEN_SECRET, true),
                        value("TARGETS", a.monitoring.targets.join(" ")),
                        value("RULE_GROUPS", a.monitoring.ruleGroups.join(" ")),
                        value("ALERTS", a.monitoring.alerts.join(" ")),
                        value("DASHBOARDS", a.monitoring.dashboards.join(" ")),
                        value("MIN_RETENTION_DAYS", MONITORING_STACK.minRetentionDays),
                        value("SCRAPE_INTERVAL", MONITORING_STACK.scrapeInterval),
                    ],
                },
            ],
        });
    }
    return jobs;
}

/**
 * Checklist 8.1, 8.3, 8.4, 7.2.1–7.2.3, 7.3.3, 7.3.4: after the workloads are ready, every `pulumi up` runs
 * the smoke test, then the performance baseline, then the end-to-end vote flow (which waits for the stream
 * to drain and removes the test votes); the monitoring check runs beside them. A failed check fails the update.
 */
export class PostDeployChecks extends pulumi.ComponentResource {
    public readonly jobs: k8s.batch.v1.Job[] = [];

    constructor(name: string, args: PostDeployChecksArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:verify:PostDeployChecks", name, {}, opts);
        let previous: pulumi.Resource | undefined;
        for (const job of buildCheckJobs(args)) {
            const sa = new k8s.core.v1.ServiceAccount(
                `${name}-${job.name}-sa`,
                {
                    metadata: {
                        name: job.name,
                        namespace: job.namespace,
                        labels: standardLabels({ name: job.name, component: "verification" }, job.stack),
                    },
                    automountServiceAccountToken: false,
                },
                { parent: this },
            );
            // The checks that vote run one after another, so the end-to-end check sees the stream drain after all of them.
            const chained = job.name !== CHECKS.monitoring;
            const created = new k8s.batch.v1.Job(`${name}-${job.name}`, buildCheckJob(job), {
                parent: this,
                dependsOn: [sa, ...(chained && previous ? [previous] : [])],
            });
            if (chained) previous = created;
            this.jobs.push(created);
        }
        this.registerOutputs({});
    }
}
