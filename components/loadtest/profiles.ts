/**
 * The k6 load profiles (checklist 5.3.1, 5.3.4, 9.3) as data: the script reads them from profiles.json,
 * so the options a test checks are the options k6 runs. Rates are the SLO's (5.3.2): 100 req/s sustained,
 * 500 req/s at peak; the thresholds are its latency and availability targets.
 */

export const SLO_THRESHOLDS = {
    http_req_duration: ["p(50)<200", "p(95)<500", "p(99)<1000"],
    http_req_failed: ["rate<0.001"],
    checks: ["rate>0.999"],
} as const;

type Stage = { readonly target: number; readonly duration: string };

export interface LoadProfile {
    readonly description: string;
    readonly scenario:
        | {
              readonly executor: "constant-arrival-rate";
              readonly rate: number;
              readonly timeUnit: "1s";
              readonly duration: string;
              readonly preAllocatedVUs: number;
              readonly maxVUs: number;
          }
        | {
              readonly executor: "ramping-arrival-rate";
              readonly startRate: number;
              readonly timeUnit: "1s";
              readonly stages: readonly Stage[];
              readonly preAllocatedVUs: number;
              readonly maxVUs: number;
          };
}

export const LOAD_PROFILES: Readonly<Record<"baseline" | "ramp" | "spike" | "soak", LoadProfile>> = {
    baseline: {
        description: "100 req/s, the sustained SLO, for 5 minutes: records P50, P95 and P99",
        scenario: { executor: "constant-arrival-rate", rate: 100, timeUnit: "1s", duration: "5m", preAllocatedVUs: 50, maxVUs: 200 },
    },
    ramp: {
        description: "from 0 to 100 req/s, held, then up to the 500 req/s peak and down",
        scenario: {
            executor: "ramping-arrival-rate",
            startRate: 0,
            timeUnit: "1s",
            stages: [
                { target: 100, duration: "2m" },
                { target: 100, duration: "3m" },
                { target: 500, duration: "3m" },
                { target: 500, duration: "2m" },
                { target: 0, duration: "1m" },
            ],
            preAllocatedVUs: 100,
            maxVUs: 600,
        },
    },
    spike: {
        description: "from 100 to 500 req/s in 10 seconds, held a minute, and back",
        scenario: {
            executor: "ramping-arrival-rate",
            startRate: 100,
            timeUnit: "1s",
            stages: [
                { target: 100, duration: "1m" },
                { target: 500, duration: "10s" },
                { target: 500, duration: "1m" },
                { target: 100, duration: "10s" },
                { target: 100, duration: "1m" },
            ],
            preAllocatedVUs: 100,
            maxVUs: 600,
        },
    },
    soak: {
        description: "100 req/s for an hour: leaks, pool exhaustion and lag that only time shows",
        scenario: { executor: "constant-arrival-rate", rate: 100, timeUnit: "1s", duration: "1h", preAllocatedVUs: 50, maxVUs: 200 },
    },
};

/** profiles.json as the script reads it: k6 options per profile. */
export function k6Options(): Record<string, unknown> {
    return Object.fromEntries(
        Object.entries(LOAD_PROFILES).map(([name, p]) => [
            name,
            {
                scenarios: { [name]: p.scenario },
                thresholds: SLO_THRESHOLDS,
                summaryTrendStats: ["avg", "min", "med", "p(50)", "p(95)", "p(99)", "max"],
            },
        ]),
    );
}

/**
 * The k6 script: votes through the target, marked as test votes, checks each answer, and prints one JSON
 * line with P50, P95, P99, the rate and the failure share, so the run's numbers stay in the logs.
 */
export const K6_SCRIPT = `import http from "k6/http";
import { check } from "k6";

const PROFILE = __ENV.PROFILE || "baseline";
const PROFILES = JSON.parse(open("./profiles.json"));
if (!PROFILES[PROFILE]) throw new Error("unknown PROFILE " + PROFILE + "; use one of " + Object.keys(PROFILES).join(", "));
export const options = PROFILES[PROFILE];

const target = __ENV.TARGET_URL;
const run = "load-" + PROFILE + "-" + (__ENV.RUN_ID || "manual");

export default function () {
    const res = http.post(target + "/api/vote", JSON.stringify({ option: Math.random() < 0.5 ? "cats" : "dogs" }), {
        headers: { "Content-Type": "application/json", "X-Vote-Test": run },
        tags: { name: "POST /api/vote" },
    });
    check(res, { "vote accepted": (r) => r.status >= 200 && r.status < 300 });
}

export function handleSummary(data) {
    const d = data.metrics.http_req_duration.values;
    const line = {
        profile: PROFILE,
        p50_ms: d["p(50)"],
        p95_ms: d["p(95)"],
        p99_ms: d["p(99)"],
        rps: data.metrics.http_reqs.values.rate,
        failed_rate: data.metrics.http_req_failed.values.rate,
        thresholds_passed: Object.values(data.metrics).every((m) => !m.thresholds || Object.values(m.thresholds).every((t) => t.ok)),
    };
    return { stdout: JSON.stringify(line) + "\\n" };
}
`;
