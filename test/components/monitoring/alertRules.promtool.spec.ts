import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";
import { requireBinary } from "../../helpers/servers";

/**
 * The rendered alert rules run in Prometheus's own rule engine: `promtool test rules` feeds them
 * series as kube-state-metrics, the API and the Redis exporter would export them, evaluates every
 * 15 s, and compares the firing alerts, labels and annotations with what each case expects.
 */

interface Rule {
    alert?: string;
    annotations?: Record<string, string>;
}

interface AlertCase {
    name: string;
    series: { series: string; values: string }[];
    /** Eval times and the alerts of `alertname` expected firing then (labels without alertname). */
    expect: { at: string; alertname: string; firing: Record<string, string>[] }[];
}

/** Writes the rendered rules and one test file; returns promtool's exit status and output. */
function promtoolTest(rules: object, cases: AlertCase[], summaries: Map<string, string>): { status: number | null; output: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "promtool-"));
    try {
        // JSON is YAML: promtool reads both files as they are written here.
        fs.writeFileSync(path.join(dir, "rules.yaml"), JSON.stringify(rules, null, 2));
        const tests = {
            rule_files: ["rules.yaml"],
            evaluation_interval: "15s",
            // Groups in the order the rule file lists them (promtool otherwise picks one at random), so that
            // escalation reads the ALERTS series the critical group wrote in the same evaluation.
            group_eval_order: (rules as { groups: { name: string }[] }).groups.map((g) => g.name),
            tests: cases.map((c) => ({
                name: c.name,
                interval: "1m",
                input_series: c.series,
                alert_rule_test: c.expect.map((e) => ({
                    eval_time: e.at,
                    alertname: e.alertname,
                    exp_alerts: e.firing.map((labels) => ({ exp_labels: labels, exp_annotations: { summary: summaries.get(e.alertname)! } })),
                })),
            })),
        };
        fs.writeFileSync(path.join(dir, "tests.yaml"), JSON.stringify(tests, null, 2));
        const r = spawnSync("promtool", ["test", "rules", "tests.yaml"], { cwd: dir, encoding: "utf8" });
        return { status: r.status, output: `${r.stdout}${r.stderr}` };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** Labels every platform alert carries: the routed namespace and, where the series has one, the namespace it came from. */
const routed = (severity: string, source?: string) => ({ severity, namespace: "voting-api", ...(source ? { source_namespace: source } : {}) });

const CASES: AlertCase[] = [
    {
        name: "an API pod deleted and not replaced by a ready pod",
        series: [{ series: 'kube_deployment_status_replicas_unavailable{namespace="voting-api",deployment="api"}', values: "0 0 1x20" }],
        expect: [
            { at: "6m45s", alertname: "VotingApiPodsUnavailable", firing: [] },
            { at: "7m", alertname: "VotingApiPodsUnavailable", firing: [{ ...routed("P1", "voting-api"), deployment: "api" }] },
        ],
    },
    {
        name: "an API pod deleted and replaced by a ready pod within 2 minutes",
        series: [{ series: 'kube_deployment_status_replicas_unavailable{namespace="voting-api",deployment="api"}', values: "0 0 1 1 0x20" }],
        expect: [
            { at: "7m", alertname: "VotingApiPodsUnavailable", firing: [] },
            { at: "15m", alertname: "VotingApiPodsUnavailable", firing: [] },
        ],
    },
    {
        name: "a consumer container restarting three times in five minutes",
        series: [
            {
                series: 'kube_pod_container_status_restarts_total{namespace="voting-consumer",pod="consumer-0",container="consumer"}',
                values: "0 0 0 0 0 0 1 2 3x10",
            },
            { series: 'kube_pod_container_status_restarts_total{namespace="voting-api",pod="api-0",container="api"}', values: "4x15" },
        ],
        expect: [
            { at: "7m", alertname: "VotingPodCrashLooping", firing: [] },
            {
                at: "8m",
                alertname: "VotingPodCrashLooping",
                firing: [{ ...routed("P1", "voting-consumer"), pod: "consumer-0", container: "consumer" }],
            },
        ],
    },
    {
        // A restart a minute: increase() over 5 minutes reaches 3 at 3m (no extrapolation below a counter's zero).
        name: "a consumer container restarting every minute for 25 minutes",
        series: [
            {
                series: 'kube_pod_container_status_restarts_total{namespace="voting-consumer",pod="consumer-0",container="consumer"}',
                values: "0+1x25",
            },
        ],
        expect: [
            { at: "2m45s", alertname: "VotingPodCrashLooping", firing: [] },
            { at: "17m45s", alertname: "VotingEscalatedP1", firing: [] },
            {
                at: "18m",
                alertname: "VotingEscalatedP1",
                firing: [
                    {
                        ...routed("P0", "voting-consumer"),
                        pod: "consumer-0",
                        container: "consumer",
                        alertstate: "firing",
                        escalated_from: "VotingPodCrashLooping",
                    },
                ],
            },
        ],
    },
    {
        name: "PostgreSQL without a ready replica",
        series: [{ series: 'kube_statefulset_status_replicas_ready{namespace="voting-data",statefulset="postgres"}', values: "1 1 0x20" }],
        expect: [
            { at: "2m45s", alertname: "VotingPostgresDown", firing: [] },
            { at: "3m", alertname: "VotingPostgresDown", firing: [{ ...routed("P0", "voting-data"), statefulset: "postgres" }] },
        ],
    },
    {
        name: "PostgreSQL with its replica ready",
        series: [{ series: 'kube_statefulset_status_replicas_ready{namespace="voting-data",statefulset="postgres"}', values: "1x20" }],
        expect: [{ at: "10m", alertname: "VotingPostgresDown", firing: [] }],
    },
    {
        name: "2% of API requests failing with 5xx",
        series: [
            { series: 'http_requests_total{namespace="voting-api",status="200"}', values: "0+1000x20" },
            { series: 'http_requests_total{namespace="voting-api",status="500"}', values: "0+20x20" },
        ],
        expect: [
            { at: "5m45s", alertname: "VotingApiHighErrorRate", firing: [] },
            { at: "6m", alertname: "VotingApiHighErrorRate", firing: [routed("P0")] },
        ],
    },
    {
        name: "0.5% of API requests failing with 5xx",
        series: [
            { series: 'http_requests_total{namespace="voting-api",status="200"}', values: "0+1000x20" },
            { series: 'http_requests_total{namespace="voting-api",status="500"}', values: "0+5x20" },
        ],
        expect: [{ at: "15m", alertname: "VotingApiHighErrorRate", firing: [] }],
    },
    {
        name: "1500 votes waiting in the stream",
        series: [{ series: 'redis_stream_lag{namespace="voting-consumer",stream="votes",group="vote-processors"}', values: "1500x30" }],
        expect: [
            { at: "4m45s", alertname: "VotingStreamLagHigh", firing: [] },
            { at: "5m", alertname: "VotingStreamLagHigh", firing: [routed("P1")] },
        ],
    },
    {
        name: "exactly 1000 votes waiting in the stream",
        series: [{ series: 'redis_stream_lag{namespace="voting-consumer",stream="votes",group="vote-processors"}', values: "1000x30" }],
        expect: [{ at: "20m", alertname: "VotingStreamLagHigh", firing: [] }],
    },
];

for (const stack of ["prod", "staging"]) {
    describe(`the rendered ${stack} alert rules under promtool (3.4.1, 3.4.2, 8.4)`, function () {
        this.timeout(60000);
        let rules: { groups: unknown[] };
        let summaries: Map<string, string>;

        before(async function () {
            requireBinary(this, "promtool", "prometheus");
            const found = kubernetesObjects(await rendered(stack)).filter((o) => o.kind === "PrometheusRule");
            assert.deepStrictEqual(
                found.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`),
                ["voting-api/voting-alerts"],
            );
            rules = { groups: found[0].spec.groups };
            summaries = new Map(
                found[0].spec.groups.flatMap((g: { rules: Rule[] }) => g.rules.map((r) => [r.alert, r.annotations?.summary] as [string, string])),
            );
        });

        const run = (names: string[]) => {
            const r = promtoolTest(
                rules,
                CASES.filter((c) => names.includes(c.name)),
                summaries,
            );
            assert.strictEqual(r.status, 0, r.output);
            assert.match(r.output, /SUCCESS/);
        };

        it("fires VotingApiPodsUnavailable (P1) when an API pod is deleted and no ready pod replaces it for 5 minutes, and not when its replacement is ready sooner", () =>
            run(["an API pod deleted and not replaced by a ready pod", "an API pod deleted and replaced by a ready pod within 2 minutes"]));

        it("fires VotingPodCrashLooping (P1) at the third restart within 5 minutes, naming the pod and its namespace, and not at the second", () =>
            run(["a consumer container restarting three times in five minutes"]));

        it("fires VotingPostgresDown (P0) after a minute without a ready PostgreSQL replica, and not while one is ready", () =>
            run(["PostgreSQL without a ready replica", "PostgreSQL with its replica ready"]));

        it("fires VotingApiHighErrorRate (P0) after 5 minutes of 2% 5xx responses, and not at 0.5%", () =>
            run(["2% of API requests failing with 5xx", "0.5% of API requests failing with 5xx"]));

        it("fires VotingStreamLagHigh (P1) after 5 minutes above 1000 waiting votes, and not at 1000", () =>
            run(["1500 votes waiting in the stream", "exactly 1000 votes waiting in the stream"]));

        it("escalates a crash loop firing for 15 minutes to VotingEscalatedP1 (P0), naming the alert, pod and namespace it escalates", () =>
            run(["a consumer container restarting every minute for 25 minutes"]));

        it("fails the run when a case expects an alert before its for elapses or with another severity", () => {
            const early = promtoolTest(
                rules,
                [
                    {
                        ...CASES.find((c) => c.name === "PostgreSQL without a ready replica")!,
                        expect: [
                            { at: "2m45s", alertname: "VotingPostgresDown", firing: [{ ...routed("P0", "voting-data"), statefulset: "postgres" }] },
                        ],
                    },
                ],
                summaries,
            );
            assert.strictEqual(early.status, 1, early.output);
            assert.match(early.output, /alertname: VotingPostgresDown, time: 2m45s,\s+exp:\[\s*0:\s*Labels:\{alertname="VotingPostgresDown"/);
            assert.match(early.output, /got:\[\]/);

            const severity = promtoolTest(
                rules,
                [
                    {
                        ...CASES.find((c) => c.name === "PostgreSQL without a ready replica")!,
                        expect: [
                            { at: "3m", alertname: "VotingPostgresDown", firing: [{ ...routed("P1", "voting-data"), statefulset: "postgres" }] },
                        ],
                    },
                ],
                summaries,
            );
            assert.strictEqual(severity.status, 1, severity.output);
            assert.match(severity.output, /severity="P1"[\s\S]*got:[\s\S]*severity="P0"/);
        });
    });
}
