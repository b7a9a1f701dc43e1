import * as assert from "assert";
import * as ts from "typescript";
import { K6_SCRIPT, LOAD_PROFILES, SLO_THRESHOLDS } from "../../../components/loadtest/profiles";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";
import { validateAgainstSchema } from "../../helpers/schema";

/** Top-level statements of the k6 script, parsed as JavaScript. */
function parseScript() {
    const file = ts.createSourceFile("script.js", K6_SCRIPT, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
    const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
    return { file, diagnostics };
}

describe("k6 load tests (5.3.1, 5.3.4, 9.3)", () => {
    it("holds every profile to the SLO: P50 < 200 ms, P95 < 500 ms, P99 < 1 s, under 0.1% failed", () => {
        assert.deepStrictEqual(SLO_THRESHOLDS, {
            http_req_duration: ["p(50)<200", "p(95)<500", "p(99)<1000"],
            http_req_failed: ["rate<0.001"],
            checks: ["rate>0.999"],
        });
    });

    it("runs baseline at the 100 req/s sustained rate, ramp and spike up to the 500 req/s peak, and soak for an hour", () => {
        const peak = (name: keyof typeof LOAD_PROFILES) => {
            const s = LOAD_PROFILES[name].scenario;
            return s.executor === "constant-arrival-rate" ? s.rate : Math.max(s.startRate, ...s.stages.map((x) => x.target));
        };
        assert.deepStrictEqual(Object.keys(LOAD_PROFILES), ["baseline", "ramp", "spike", "soak"]);
        assert.deepStrictEqual([peak("baseline"), peak("ramp"), peak("spike"), peak("soak")], [100, 500, 500, 100]);
        assert.deepStrictEqual(LOAD_PROFILES.baseline.scenario, {
            executor: "constant-arrival-rate",
            rate: 100,
            timeUnit: "1s",
            duration: "5m",
            preAllocatedVUs: 50,
            maxVUs: 200,
        });
        const spike = LOAD_PROFILES.spike.scenario;
        assert.ok(spike.executor === "ramping-arrival-rate" && spike.stages[1].target === 500 && spike.stages[1].duration === "10s");
        assert.strictEqual(LOAD_PROFILES.soak.scenario.executor === "constant-arrival-rate" && LOAD_PROFILES.soak.scenario.duration, "1h");
    });

    it("has a script that parses, takes its options from profiles.json and records P50, P95 and P99", () => {
        const { file, diagnostics } = parseScript();
        assert.deepStrictEqual(diagnostics, []);
        const text = (n: ts.Node) => n.getText(file);
        const exported = file.statements
            .filter((s) => ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
            .map(text);
        assert.deepStrictEqual(
            exported.map((s) => s.split("\n")[0]),
            ["export const options = PROFILES[PROFILE];", "export default function () {", "export function handleSummary(data) {"],
        );
        assert.match(K6_SCRIPT, /const PROFILES = JSON\.parse\(open\("\.\/profiles\.json"\)\);/);
        for (const stat of ['d["p(50)"]', 'd["p(95)"]', 'd["p(99)"]']) assert.ok(K6_SCRIPT.includes(stat), stat);
        assert.match(K6_SCRIPT, /"X-Vote-Test": run/);
    });

    it("renders four suspended CronJobs and the ConfigMap the script reads its options from", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        const cron = objs.filter((o) => o.kind === "CronJob" && o.metadata?.name?.startsWith("load-test-"));
        assert.deepStrictEqual(
            cron.map((c) => [c.metadata?.name, c.spec.suspend]),
            [
                ["load-test-baseline", true],
                ["load-test-ramp", true],
                ["load-test-spike", true],
                ["load-test-soak", true],
            ],
        );
        for (const c of cron) await validateAgainstSchema(c);
        const pod = cron[0].spec.jobTemplate.spec.template.spec;
        assert.deepStrictEqual(
            [pod.serviceAccountName, pod.automountServiceAccountToken, pod.containers[0].image],
            ["load-test-baseline", false, "docker.io/grafana/k6:0.55.0"],
        );
        const cm = objs.find((o) => o.kind === "ConfigMap" && o.metadata?.name === "load-test")!;
        assert.strictEqual(cm.data["script.js"], K6_SCRIPT);
        const profiles = JSON.parse(cm.data["profiles.json"]);
        assert.deepStrictEqual(Object.keys(profiles), ["baseline", "ramp", "spike", "soak"]);
        for (const p of Object.values<any>(profiles)) {
            assert.deepStrictEqual(p.thresholds, SLO_THRESHOLDS);
            assert.deepStrictEqual(p.summaryTrendStats, ["avg", "min", "med", "p(50)", "p(95)", "p(99)", "max"]);
        }
        assert.deepStrictEqual(profiles.ramp.scenarios.ramp, LOAD_PROFILES.ramp.scenario);
    });
});
