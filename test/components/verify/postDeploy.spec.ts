import * as assert from "assert";
import * as fs from "fs";
import { spawn } from "child_process";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { CHECKS } from "../../../components/verify/postDeploy";
import { INPUT_SCRIPT, MONITORING_SCRIPT, PERFORMANCE_RECORD_SCRIPT, PERFORMANCE_SCRIPT, SMOKE_SCRIPT } from "../../../components/verify/scripts";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";
import { runScript } from "../../helpers/scripts";
import { freePort, requireBinary } from "../../helpers/servers";
import { renderVariant } from "../../helpers/variant";

/** Prometheus's and Grafana's HTTP APIs as the monitoring check reads them, answering from `state`. */
function startMonitoringStandIn(state: {
    up: Record<string, [number, number]>;
    groups: string[];
    watchdog: boolean;
    /** Alertmanagers Prometheus knows, and its notifications sent and failed over the last 10 minutes. */
    delivery: { managers: number; sent: number; errors: number };
    retention: string;
    interval: string;
    dashboards: string[];
}) {
    const server = http.createServer((req, res) => {
        const url = new URL(req.url ?? "/", "http://x");
        const json = (body: unknown) => (res.writeHead(200, { "Content-Type": "application/json" }), res.end(JSON.stringify(body)));
        const sample = (v: number | undefined) =>
            json({
                status: "success",
                data: { resultType: "vector", result: v === undefined ? [] : [{ metric: {}, value: [1700000000.1, String(v)] }] },
            });
        if (url.pathname === "/api/v1/query") {
            const q = url.searchParams.get("query") ?? "";
            const m = /up\{namespace="([^"]+)",service="([^"]+)"\}/.exec(q);
            if (m) {
                const t = state.up[`${m[1]}/${m[2]}`];
                return sample(t === undefined ? undefined : q.startsWith("count") ? t[1] : t[0]);
            }
            if (q.includes("ALERTS")) return sample(state.watchdog ? 1 : undefined);
            if (q.includes("prometheus_notifications_alertmanagers_discovered")) return sample(state.delivery.managers);
            if (q.includes("prometheus_notifications_sent_total")) return sample(state.delivery.sent);
            if (q.includes("prometheus_notifications_errors_total")) return sample(state.delivery.errors);
            return sample(undefined);
        }
        if (url.pathname === "/api/v1/rules")
            return json({ status: "success", data: { groups: state.groups.map((name) => ({ name, rules: [{ name: "VotingPodCrashLooping" }] })) } });
        if (url.pathname === "/api/v1/status/flags") return json({ status: "success", data: { "storage.tsdb.retention.time": state.retention } });
        if (url.pathname === "/api/v1/status/config")
            return json({ status: "success", data: { yaml: `global:\n  scrape_interval: ${state.interval}\n  scrape_timeout: 10s\n` } });
        if (url.pathname === "/api/search") {
            if (req.headers.authorization !== "Bearer viewer-token") return (res.writeHead(401), res.end());
            return json(state.dashboards.map((uid) => ({ uid, type: "dash-db", tags: ["voting-platform"] })));
        }
        res.writeHead(404);
        return res.end();
    });
    return new Promise<{ url: string; close: () => void }>((resolve) =>
        server.listen(0, "127.0.0.1", () =>
            resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() }),
        ),
    );
}

describe("post-deploy checks (8.1, 8.3, 8.4, 7.3.3)", () => {
    it("renders the smoke, performance, end-to-end and monitoring Jobs, each with its own ServiceAccount and no API token", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        const jobs = objs.filter(
            (o) =>
                o.kind === "Job" &&
                o.metadata?.labels?.["app.kubernetes.io/component"] === "verification" &&
                o.metadata.name?.startsWith("verify-") &&
                !o.metadata.name.startsWith("verify-connectivity"),
        );
        assert.deepStrictEqual(
            jobs.map((j) => j.metadata!.name!.replace(/-[0-9a-f]{8}$/, "")),
            [CHECKS.smoke, CHECKS.performance, CHECKS.e2e, CHECKS.monitoring],
        );
        for (const j of jobs) {
            const pod = j.spec.template.spec;
            const name = j.metadata!.labels!["app.kubernetes.io/name"];
            assert.deepStrictEqual([pod.serviceAccountName, pod.automountServiceAccountToken, j.spec.backoffLimit], [name, false, 0]);
            assert.ok(
                objs.some((o) => o.kind === "ServiceAccount" && o.metadata?.name === name && o.automountServiceAccountToken === false),
                name,
            );
            assert.strictEqual(j.metadata?.labels?.["voting-platform.io/app-version"], "0.5.1");
        }
        const smoke = jobs[0];
        assert.strictEqual(smoke.spec.activeDeadlineSeconds, 300);
        assert.deepStrictEqual(
            [...smoke.spec.template.spec.initContainers, ...smoke.spec.template.spec.containers].map((c: any) => `${c.name} ${c.image}`),
            ["http docker.io/curlimages/curl:8.11.1", "input docker.io/curlimages/curl:8.11.1", "consumer docker.io/library/postgres:16.4-bookworm"],
        );
        const input = smoke.spec.template.spec.initContainers[1];
        assert.deepStrictEqual(input.command, ["/bin/sh", "-c", INPUT_SCRIPT]);
        const inputEnv = Object.fromEntries(input.env.map((e: any) => [e.name, e.value]));
        assert.deepStrictEqual(
            [inputEnv.PUBLIC_URL, inputEnv.TLS_VERIFY, inputEnv.BALLOT, inputEnv.MAX_BODY_BYTES, inputEnv.TEST_RUN],
            [
                "https://voting.example.com",
                "true",
                "cats dogs",
                "1048576",
                smoke.spec.template.spec.initContainers[0].env.find((e: any) => e.name === "TEST_RUN").value,
            ],
        );
        const env = Object.fromEntries(smoke.spec.template.spec.initContainers[0].env.map((e: any) => [e.name, e.value]));
        assert.deepStrictEqual(
            [env.PUBLIC_URL, env.CONNECT_TO, env.TLS_VERIFY],
            ["https://voting.example.com", "voting.example.com:443:ingress-nginx-controller.ingress-nginx.svc.cluster.local:443", "true"],
        );
        assert.deepStrictEqual(smoke.spec.template.spec.initContainers[0].command, ["/bin/sh", "-c", SMOKE_SCRIPT]);
        const e2e = jobs[2].spec.template.spec;
        assert.deepStrictEqual(
            [...e2e.initContainers, ...e2e.containers].map((c: any) => c.name),
            ["stream-baseline", "count-baseline", "vote", "stream", "count", "results", "cleanup"],
        );
        const perfPod = jobs[1].spec.template.spec;
        assert.deepStrictEqual(
            [...perfPod.initContainers, ...perfPod.containers].map((c: any) => `${c.name} ${c.image}`),
            ["load docker.io/curlimages/curl:8.11.1", "record docker.io/library/postgres:16.4-bookworm"],
        );
        const perf = Object.fromEntries(perfPod.initContainers[0].env.map((e: any) => [e.name, e.value]));
        assert.deepStrictEqual(
            [perf.TARGET_URL, perf.REQUESTS, perf.CONCURRENCY, perf.MAX_P95_MS, perf.MIN_RPS],
            ["http://frontend.voting-frontend.svc.cluster.local:8080", "100", "10", "500", "15"],
        );
        assert.deepStrictEqual(perfPod.initContainers[0].command[2], PERFORMANCE_SCRIPT);
    });

    it("records the performance baseline in a second step: psql on the connection Secret's DATABASE_URL, the run and the API's version", async () => {
        const job = kubernetesObjects(await rendered("prod")).find((o) => o.kind === "Job" && o.metadata?.name?.startsWith("verify-performance-"))!;
        const release = job.metadata!.name!.replace("verify-performance-", "");
        const record = job.spec.template.spec.containers[0];
        assert.deepStrictEqual(record.command, ["/bin/sh", "-c", PERFORMANCE_RECORD_SCRIPT]);
        assert.deepStrictEqual(record.env, [
            { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "app-connections", key: "DATABASE_URL" } } },
            { name: "TEST_RUN", value: `verify-${release}-performance` },
            { name: "APP_VERSION", value: "0.5.1" },
            { name: "HOME", value: "/tmp" },
            { name: "TMPDIR", value: "/tmp" },
        ]);
        const load = job.spec.template.spec.initContainers[0];
        assert.strictEqual(load.env.find((e: any) => e.name === "TEST_RUN").value, `verify-${release}-performance`);
        // Both steps share /work, where the load step leaves its figures.
        for (const c of [load, record])
            assert.ok(
                c.volumeMounts.some((m: any) => m.name === "work" && m.mountPath === "/work"),
                c.name,
            );
    });

    it("runs after the workloads and the ingress, the voting checks one after another", async () => {
        const { resources } = await rendered("prod");
        const key = (n: string) => resources.find((r) => r.type === "kubernetes:batch/v1:Job" && r.name === `voting-checks-${n}`)!;
        const parent = resources.find((r) => r.key === key(CHECKS.smoke).parent)!;
        for (const d of ["api", "consumer", "frontend"])
            assert.ok(parent.options.dependsOn.includes(`kubernetes:apps/v1:Deployment::voting-${d}-deployment`), d);
        assert.ok(parent.options.dependsOn.includes("voting:ingress:PublicIngress::voting-ingress"));
        assert.ok(key(CHECKS.performance).options.dependsOn.includes(key(CHECKS.smoke).key));
        assert.ok(key(CHECKS.e2e).options.dependsOn.includes(key(CHECKS.performance).key));
        assert.ok(!key(CHECKS.monitoring).options.dependsOn.includes(key(CHECKS.e2e).key));
    });

    it("trusts staging's ACME test certificate on purpose, and renders nothing when the checks are off", async () => {
        const staging = kubernetesObjects(await rendered("staging")).find((o) => o.kind === "Job" && o.metadata?.name?.startsWith("verify-smoke-"))!;
        const env = Object.fromEntries(staging.spec.template.spec.initContainers[0].env.map((e: any) => [e.name, e.value]));
        assert.strictEqual(env.TLS_VERIFY, "false");
        // The input step refuses the same bad bodies through staging's public path, at the same limit.
        const input = staging.spec.template.spec.initContainers[1];
        assert.deepStrictEqual(input.command, ["/bin/sh", "-c", INPUT_SCRIPT]);
        const inputEnv = Object.fromEntries(input.env.map((e: any) => [e.name, e.value]));
        assert.deepStrictEqual(
            [inputEnv.PUBLIC_URL, inputEnv.CONNECT_TO, inputEnv.TLS_VERIFY, inputEnv.BALLOT, inputEnv.MAX_BODY_BYTES],
            [env.PUBLIC_URL, env.CONNECT_TO, "false", "cats dogs", "1048576"],
        );
        const off = kubernetesObjects(
            await renderVariant("nochecks", (c) => (c["voting-platform:features"] = { ...c["voting-platform:features"], verificationJobs: false })),
        );
        assert.deepStrictEqual(
            off.filter((o) => o.metadata?.labels?.["app.kubernetes.io/component"] === "verification").map((o) => o.metadata?.name),
            [],
        );
    });

    describe("the monitoring check, against stand-ins of Prometheus's and Grafana's APIs", function () {
        let api: { url: string; close: () => void };
        const healthy = () => ({
            up: { "voting-api/api": [3, 3] as [number, number], "voting-consumer/consumer": [2, 2] as [number, number] },
            groups: ["voting.critical", "voting.slo"],
            watchdog: true,
            delivery: { managers: 2, sent: 20.000000481, errors: 0 },
            retention: "15d",
            interval: "15s",
            dashboards: ["voting-app", "voting-resources"],
        });
        const state = healthy();
        before(async function () {
            requireBinary(this, "curl", "curl");
            api = await startMonitoringStandIn(state);
        });
        after(() => api?.close());
        beforeEach(() => Object.assign(state, healthy()));

        const check = (env: Record<string, string> = {}) =>
            runScript(MONITORING_SCRIPT, {
                TMPDIR: fs.mkdtempSync(path.join(os.tmpdir(), "mon-")),
                PROMETHEUS_URL: api.url,
                GRAFANA_URL: api.url,
                GRAFANA_TOKEN: "viewer-token",
                TARGETS: "voting-api/api voting-consumer/consumer",
                RULE_GROUPS: "voting.critical voting.slo",
                ALERTS: "VotingPodCrashLooping",
                DASHBOARDS: "voting-app voting-resources",
                ...env,
            });

        it("passes when targets are up, rules loaded, Watchdog fires, retention and interval hold and the dashboards exist", async () => {
            const r = await check();
            assert.strictEqual(r.code, 0, r.stdout + r.stderr);
            assert.deepStrictEqual(r.stdout.trim().split("\n"), [
                "ok    target voting-api/api: 3 of 3 up",
                "ok    target voting-consumer/consumer: 2 of 2 up",
                "ok    rule group voting.critical is loaded",
                "ok    rule group voting.slo is loaded",
                "ok    alert Watchdog fires: rules evaluate",
                "ok    alerts reach Alertmanager: 20 notification(s) sent to 2 Alertmanager(s) in 10 minutes, none failed",
                "ok    Prometheus keeps 15d",
                "ok    Prometheus scrapes every 15s",
                "ok    dashboard voting-app exists in Grafana",
                "ok    dashboard voting-resources exists in Grafana",
                "monitoring: 0 check(s) failed",
            ]);
        });

        it("fails, naming each problem, when a target is down, a group missing, retention short and a dashboard absent", async () => {
            state.up["voting-consumer/consumer"] = [1, 2];
            state.groups = ["voting.critical"];
            state.retention = "10d";
            state.interval = "30s";
            state.dashboards = ["voting-app"];
            state.watchdog = false;
            state.delivery.sent = 0;
            const r = await check();
            assert.strictEqual(r.code, 1);
            assert.deepStrictEqual(
                r.stdout.split("\n").filter((l) => l.startsWith("FAIL")),
                [
                    "FAIL  target voting-consumer/consumer: 1 of 2 up",
                    "FAIL  rule group voting.slo is not loaded",
                    "FAIL  alert Watchdog does not fire: alerting is not evaluating",
                    "FAIL  Prometheus sent no alert to its 2 Alertmanager(s) in 10 minutes",
                    "FAIL  Prometheus keeps 10d; the checklist asks for 15d or more",
                    "FAIL  Prometheus scrapes every 30s; the checklist asks for 15s",
                    "FAIL  dashboard voting-resources is not in Grafana",
                ],
            );
        });

        it("fails with what to create when Grafana's token is missing, and when a target is not scraped at all", async () => {
            delete (state.up as Record<string, unknown>)["voting-api/api"];
            const r = await check({ GRAFANA_TOKEN: "" });
            assert.deepStrictEqual(
                r.stdout.split("\n").filter((l) => l.startsWith("FAIL")),
                [
                    "FAIL  Prometheus has no target for voting-api/api",
                    "FAIL  dashboards: GRAFANA_TOKEN is not set; store a Grafana service-account token (Viewer) as key token of Secret grafana-api",
                ],
            );
        });
    });

    describe("the monitoring check's alert delivery, against a real Prometheus and a stand-in of Alertmanager's API", function () {
        this.timeout(120_000);
        const running: { stop: () => void }[] = [];
        before(function () {
            requireBinary(this, "prometheus", "prometheus");
            requireBinary(this, "curl", "curl");
        });
        after(() => running.forEach((r) => r.stop()));

        /** Alertmanager's v2 API as Prometheus sends to it: every POST of alerts answered with `status`. */
        async function alertmanager(status: number): Promise<{ port: number; received: () => number }> {
            let received = 0;
            const server = http.createServer((req, res) => {
                let body = "";
                req.on("data", (d) => (body += d));
                req.on("end", () => {
                    if (req.method === "POST" && req.url === "/api/v2/alerts") received += (JSON.parse(body) as unknown[]).length;
                    res.writeHead(status);
                    res.end();
                });
            });
            await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
            running.push({ stop: () => server.close() });
            return { port: (server.address() as AddressInfo).port, received: () => received };
        }

        /** Prometheus scraping itself every second, with an always-firing Watchdog, sending to `alertmanagerPort` if given. */
        async function prometheus(alertmanagerPort?: number): Promise<string> {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prom-"));
            const port = await freePort();
            fs.writeFileSync(
                path.join(dir, "rules.yml"),
                "groups:\n  - name: watchdog\n    rules:\n      - alert: Watchdog\n        expr: vector(1)\n        labels: { severity: none }\n",
            );
            fs.writeFileSync(
                path.join(dir, "prometheus.yml"),
                [
                    "global: { scrape_interval: 1s, evaluation_interval: 1s }",
                    "rule_files: [rules.yml]",
                    ...(alertmanagerPort === undefined
                        ? []
                        : [`alerting: { alertmanagers: [ { static_configs: [ { targets: ["127.0.0.1:${alertmanagerPort}"] } ] } ] }`]),
                    `scrape_configs: [ { job_name: prometheus, static_configs: [ { targets: ["127.0.0.1:${port}"] } ] } ]`,
                    "",
                ].join("\n"),
            );
            const p = spawn(
                "prometheus",
                [
                    `--config.file=${path.join(dir, "prometheus.yml")}`,
                    `--storage.tsdb.path=${path.join(dir, "data")}`,
                    `--web.listen-address=127.0.0.1:${port}`,
                    // The resend delay Prometheus uses in a cluster is a minute; a second keeps the test short.
                    "--rules.alert.resend-delay=1s",
                ],
                { stdio: "ignore" },
            );
            running.push({ stop: () => p.kill("SIGKILL") });
            return `http://127.0.0.1:${port}`;
        }

        /**
         * The monitoring check's lines about alerting, run every 2 s until `settled` holds for them (Prometheus
         * scrapes its own counters every second, so a send shows a moment later) or a minute has passed.
         */
        async function alertLines(url: string, settled: (lines: string[]) => boolean): Promise<string[]> {
            const until = Date.now() + 60_000;
            let lines: string[] = [];
            while (Date.now() < until) {
                await new Promise((res) => setTimeout(res, 2000));
                const r = await runScript(MONITORING_SCRIPT, {
                    TMPDIR: fs.mkdtempSync(path.join(os.tmpdir(), "mon-")),
                    PROMETHEUS_URL: url,
                    GRAFANA_URL: url,
                    TARGETS: "",
                    RULE_GROUPS: "watchdog",
                    ALERTS: "Watchdog",
                    DASHBOARDS: "",
                });
                lines = r.stdout.split("\n").filter((l) => /alert|Alertmanager/.test(l));
                if (lines.includes("ok    alert Watchdog fires: rules evaluate") && settled(lines)) return lines;
            }
            return lines;
        }

        it("passes when Alertmanager takes the alerts Prometheus sends", async () => {
            const am = await alertmanager(200);
            const lines = await alertLines(await prometheus(am.port), (l) => l[1]?.startsWith("ok    alerts reach") ?? false);
            assert.ok(am.received() > 0, "Prometheus sent Alertmanager nothing");
            assert.strictEqual(lines[0], "ok    alert Watchdog fires: rules evaluate");
            assert.match(
                lines[1],
                /^ok {4}alerts reach Alertmanager: [1-9]\d* notification\(s\) sent to 1 Alertmanager\(s\) in 10 minutes, none failed$/,
            );
        });

        it("fails when Alertmanager refuses them, and when Prometheus knows no Alertmanager", async () => {
            const refusing = await alertmanager(500);
            const refused = await alertLines(await prometheus(refusing.port), (l) => l[1]?.includes("failed") ?? false);
            assert.ok(refusing.received() > 0, "Prometheus sent Alertmanager nothing");
            assert.match(refused[1], /^FAIL {2}Prometheus failed [1-9]\d* alert notification\(s\) to Alertmanager in 10 minutes$/);
            const alone = await alertLines(await prometheus(), () => true);
            assert.deepStrictEqual(alone, [
                "ok    alert Watchdog fires: rules evaluate",
                "FAIL  Prometheus knows no Alertmanager: firing alerts reach no one",
            ]);
        });
    });
});
