import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DOMParser } from "@xmldom/xmldom";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { RULES } from "../../policies/rules";
import { PROJECT_ROOT } from "../../tools/lib/stackConfig";
import { runTool } from "../helpers/cli";

const FIXTURES = path.join(PROJECT_ROOT, "test", "fixtures", "manifests");

const check = (...args: string[]) => runTool("check", args);

describe("npm run check", () => {
    it("renders the prod stack and reports as JSON per the contract", () => {
        const r = check("--stack", "prod", "--format", "json");
        assert.strictEqual(r.code, 0, r.stderr || r.stdout.slice(0, 2000));
        const report = JSON.parse(r.stdout);
        assert.deepStrictEqual(Object.keys(report), ["violations", "summary", "waivers", "fixes"]);
        for (const v of report.violations) {
            assert.deepStrictEqual(Object.keys(v), ["policy", "checklist", "level", "file", "kind", "namespace", "name", "message"]);
        }
        assert.strictEqual(report.summary.mandatory, 0);
        assert.ok(report.summary.objects >= 12);
    });

    it("prints the effective traffic matrix under the stack's report", () => {
        const r = check("--stack", "prod");
        assert.strictEqual(r.code, 0, r.stdout);
        assert.match(r.stdout, /\nEffective traffic matrix \(85 reachable, 0 declared but denied\):\nFROM +TO +PORT +VERDICT\n/);
        assert.match(r.stdout, /\nvoting-api\/api +voting-data\/postgres +5432\/TCP +allowed \(declared\)\n/);
        assert.doesNotMatch(r.stdout, /voting-frontend\/frontend +voting-data/);
    });

    it("prints a text report for the staging stack by default", () => {
        const r = check("--stack", "staging");
        assert.strictEqual(r.code, 0, r.stderr || r.stdout.slice(0, 2000));
        assert.match(r.stdout, /^voting-production-readiness: stack staging \(rendered offline; pack config policies\/config\/staging.json\)/);
        assert.match(r.stdout, /\n0 mandatory, \d+ advisory violation\(s\) in \d+ object\(s\)/);
    });

    it("judges multi-document YAML, List kinds and JSON, and exits 1 on a mandatory violation", () => {
        const r = check("--manifests", FIXTURES, "--format", "json");
        assert.strictEqual(r.code, 1, r.stderr);
        const report = JSON.parse(r.stdout);
        const names = new Set(report.violations.map((v: { kind: string; name: string }) => `${v.kind}/${v.name}`));
        assert.deepStrictEqual([...names].sort(), ["Deployment/api", "Pod/debug", "Pod/json-pod"]);
        assert.strictEqual(report.summary.skippedDocuments, 1);
        const privileged = report.violations.find((v: { policy: string }) => v.policy === "disallow-privileged");
        assert.deepStrictEqual(privileged, {
            policy: "disallow-privileged",
            checklist: ["1.1.3", "P.14"],
            level: "mandatory",
            file: path.join(FIXTURES, "chart.yaml"),
            kind: "Pod",
            namespace: "voting-api",
            name: "debug",
            message: 'Pod voting-api/debug: container "sh" runs privileged: set securityContext.privileged: false',
        });
    });

    it("evaluates each file as its own resource set with --each-file", () => {
        const together = JSON.parse(check("--manifests", FIXTURES, "--format", "json").stdout);
        const apart = JSON.parse(check("--manifests", FIXTURES, "--each-file", "--format", "json").stdout);
        const denyIngress = (r: { violations: { policy: string }[] }) =>
            r.violations.filter((v) => v.policy === "require-default-deny-ingress").length;
        assert.strictEqual(denyIngress(together), 1, "one namespace across both files");
        assert.strictEqual(denyIngress(apart), 2, "the namespace is reported once per file");
    });

    it("loads neither Pulumi's runtime nor gRPC for --manifests", () => {
        check("--manifests", path.join(FIXTURES, "pod.json")); // builds bin/ first
        const probe = [
            "const w = process.stdout.write.bind(process.stdout);",
            "process.stdout.write = () => true;",
            `require(${JSON.stringify(path.join(PROJECT_ROOT, "bin", "tools", "check.js"))}).main(["--manifests", ${JSON.stringify(path.join(FIXTURES, "pod.json"))}])`,
            "  .then(() => w(JSON.stringify(Object.keys(require.cache).filter((m) => /node_modules/.test(m)).map((m) => m.split('node_modules/')[1].split('/')[0]))));",
        ].join("\n");
        const r = spawnSync(process.execPath, ["-e", probe], { cwd: PROJECT_ROOT, encoding: "utf8" });
        assert.deepStrictEqual([...new Set(JSON.parse(r.stdout))], ["yaml"], r.stderr);
    });

    it("exits 0 when nothing mandatory is violated", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-"));
        fs.writeFileSync(
            path.join(dir, "svc.yaml"),
            "apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: voting-api}\nspec: {ports: [{port: 80}]}\n",
        );
        const r = check("--manifests", dir);
        assert.strictEqual(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /^ADVISORY {3}require-recommended-labels \[P\.11\]$/m);
        assert.match(r.stdout, /^0 mandatory, 1 advisory violation\(s\) in 1 object\(s\)/m);
    });

    it("exits 2 with every config problem on one line for a stack with bad config", () => {
        const stack = `test-broken-${process.pid}`;
        const file = path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`);
        const text = fs
            .readFileSync(path.join(PROJECT_ROOT, "Pulumi.prod.yaml"), "utf8")
            .replace("environment: prod", "environment: production")
            .replace("rateLimitRps: 20", "rateLimitRps: 0");
        fs.writeFileSync(file, text);
        try {
            const r = check("--stack", stack);
            assert.strictEqual(r.code, 2, r.stdout);
            assert.strictEqual(
                r.stderr,
                'check: 2 problem(s) in the stack config: config `voting-platform:environment` is "production"; use one of "staging", "prod"; config `voting-platform:ingress.rateLimitRps` is 0; set requests per second per client, e.g. 20\n',
            );
        } finally {
            fs.rmSync(file);
        }
    });

    const BAD: [string, () => string[], RegExp][] = [
        ["an unknown stack", () => ["--stack", "qa"], /^check: unknown stack "qa": no Pulumi\.qa\.yaml \(stacks here: prod, staging\)\n$/],
        ["a missing file", () => ["--manifests", "/nonexistent/x.yaml"], /^check: cannot read \/nonexistent\/x\.yaml: no such file or directory\n$/],
        [
            "invalid YAML, naming the file and line",
            () => {
                const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "check-")), "broken.yaml");
                fs.writeFileSync(f, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n");
                return ["--manifests", f];
            },
            /^check: \/.*\/broken\.yaml:\d+: invalid YAML: .*\n$/,
        ],
        ["an unknown option", () => ["--stack", "prod", "--colour"], /^check: unknown option --colour\n$/],
        ["neither --stack nor --manifests", () => [], /^check: give either --stack <name> or --manifests <file\|dir>\.\.\.\n$/],
    ];
    for (const [what, args, message] of BAD) {
        it(`exits 2 with one line on stderr for ${what}`, () => {
            const r = check(...args());
            assert.strictEqual(r.code, 2, r.stdout);
            assert.match(r.stderr, message);
            assert.strictEqual(r.stdout, "");
        });
    }
});

const WAIVERS = path.join(FIXTURES, "..", "waivers", "app.yaml");
const WAIVERS_REL = "test/fixtures/waivers/app.yaml";

/** Each distinct run of the checker once: several tests read the same report. */
const runs = new Map<string, ReturnType<typeof check>>();
function checkOnce(...args: string[]) {
    const key = JSON.stringify(args);
    if (!runs.has(key)) runs.set(key, check(...args));
    return runs.get(key)!;
}

describe("npm run check, for people and tools coming from Polaris, kube-score and kube-linter", () => {
    it("lists every policy with its level, severity, checklist IDs, peers and settings as JSON", () => {
        const r = check("--list-policies", "--format", "json");
        assert.strictEqual(r.code, 0, r.stderr);
        const { policies } = JSON.parse(r.stdout);
        assert.deepStrictEqual(
            policies.map((p: { name: string }) => p.name),
            RULES.map((rule) => rule.name),
        );
        const limits = policies.find((p: { name: string }) => p.name === "require-resource-limits");
        assert.deepStrictEqual(Object.keys(limits).slice(0, 7), ["name", "description", "severity", "level", "checklist", "peers", "settings"]);
        assert.deepStrictEqual(limits.settings, {
            maxLimitToRequestRatio: {
                type: "number",
                minimum: 1,
                default: 4,
                description: "Largest limit/request ratio accepted (the checklist's is 2).",
            },
        });
        assert.deepStrictEqual(limits.peers.polaris, ["cpuLimitsMissing", "memoryLimitsMissing"]);
        assert.deepStrictEqual(limits.levels, { generic: "mandatory", prod: "mandatory", staging: "mandatory" });
        const jobs = policies.find((p: { name: string }) => p.name === "require-job-limits");
        assert.deepStrictEqual([jobs.level, jobs.levels.prod], ["advisory", "mandatory"]);
    });

    it("prints the policy list as a table", () => {
        const r = check("--list-policies");
        assert.strictEqual(r.code, 0, r.stderr);
        assert.match(r.stdout, /^POLICY +DEFAULT +GENERIC +PROD +STAGING +SEVERITY +FIX +CHECKLIST\n/);
        assert.match(r.stdout, /\nrequire-seccomp-profile +mandatory +mandatory +mandatory +mandatory +medium +yes +1\.1\.3\n/);
    });

    it("lists waived findings apart in the JSON report, and counts them in the summary", () => {
        const r = checkOnce("--manifests", path.relative(PROJECT_ROOT, WAIVERS), "--format", "json");
        const report = JSON.parse(r.stdout);
        assert.deepStrictEqual(report.waivers, [
            {
                policy: "require-read-only-root-filesystem",
                checklist: ["1.1.2"],
                level: "mandatory",
                file: WAIVERS_REL,
                kind: "Deployment",
                namespace: "shop",
                name: "api",
                message: 'Deployment shop/api: container "api" has a writable root filesystem: set securityContext.readOnlyRootFilesystem: true',
                waiver: { source: "annotation", reason: "writes its cache to /", expires: "2099-01-01" },
            },
        ]);
        assert.strictEqual(report.summary.waived, 1);
        assert.ok(!report.violations.some((v: { policy: string }) => v.policy === "require-read-only-root-filesystem"));
        const text = check("--manifests", WAIVERS).stdout;
        assert.match(text, /\nWAIVED \(1, not counted as violations\)\n {2}require-read-only-root-filesystem: Deployment shop\/api: /);
        assert.match(text, /\n {4}waived by the object's annotation: writes its cache to \/ \(expires 2099-01-01\)\n/);
        assert.match(text, /; 1 finding\(s\) waived\n$/);
    });

    it("prints SARIF 2.1.0 that validates against its schema: a rule per policy, a result per finding at its object's line, waivers as suppressions", () => {
        const r = checkOnce("--manifests", path.relative(PROJECT_ROOT, WAIVERS), "--format", "sarif");
        assert.strictEqual(r.code, 1, r.stderr);
        const sarif = JSON.parse(r.stdout);
        const validate = sarifValidator();
        const valid: boolean = validate(sarif);
        assert.ok(valid, JSON.stringify(validate.errors, null, 2));
        const json = JSON.parse(checkOnce("--manifests", path.relative(PROJECT_ROOT, WAIVERS), "--format", "json").stdout);
        const run = sarif.runs[0];
        assert.deepStrictEqual(
            run.tool.driver.rules.map((rule: { id: string }) => rule.id),
            RULES.map((rule) => rule.name),
        );
        const seccomp = run.tool.driver.rules.find((rule: { id: string }) => rule.id === "require-seccomp-profile");
        assert.deepStrictEqual(seccomp.properties.tags, ["checklist:1.1.3", "severity:medium"]);
        assert.strictEqual(seccomp.shortDescription.text, "Every container runs under a seccomp profile: RuntimeDefault (or a Localhost profile).");
        assert.strictEqual(seccomp.help.text, "Set spec.securityContext.seccompProfile: {type: RuntimeDefault} on the pod (or on each container).");
        assert.strictEqual(run.results.length, json.violations.length + json.waivers.length);
        const result = run.results.find((x: { ruleId: string }) => x.ruleId === "require-seccomp-profile");
        assert.deepStrictEqual(result.locations[0].physicalLocation, { artifactLocation: { uri: WAIVERS_REL }, region: { startLine: 2 } });
        assert.strictEqual(result.level, "error");
        assert.strictEqual(
            result.ruleIndex,
            RULES.findIndex((rule) => rule.name === "require-seccomp-profile"),
        );
        const onService = run.results.find((x: { ruleId: string }) => x.ruleId === "require-service-selects-pods");
        assert.deepStrictEqual(onService.locations[0].physicalLocation.region, { startLine: 19 });
        const waived = run.results.filter((x: { suppressions?: unknown[] }) => x.suppressions);
        assert.deepStrictEqual(
            waived.map((x: { ruleId: string; suppressions: unknown[] }) => [x.ruleId, x.suppressions]),
            [
                [
                    "require-read-only-root-filesystem",
                    [
                        {
                            kind: "inSource",
                            status: "accepted",
                            justification: "waived by the object's annotation: writes its cache to / (expires 2099-01-01)",
                        },
                    ],
                ],
            ],
        );
    });

    it("validates SARIF with a schema that refuses a result without a message", () => {
        const validate = sarifValidator();
        const sarif = JSON.parse(checkOnce("--manifests", path.relative(PROJECT_ROOT, WAIVERS), "--format", "sarif").stdout);
        delete sarif.runs[0].results[0].message;
        assert.strictEqual(validate(sarif), false);
    });

    it("prints JUnit XML: a suite per policy, a failed case per object with a mandatory violation, a skipped case per waiver", () => {
        const r = check("--manifests", path.relative(PROJECT_ROOT, WAIVERS), "--format", "junit");
        assert.strictEqual(r.code, 1, r.stderr);
        const errors: string[] = [];
        const doc = new DOMParser({ onError: (level, msg) => void (level !== "warning" && errors.push(msg)) }).parseFromString(r.stdout, "text/xml");
        assert.deepStrictEqual(errors, []);
        const root = doc.documentElement!;
        assert.strictEqual(root.tagName, "testsuites");
        const suites = Array.from(root.getElementsByTagName("testsuite"));
        assert.deepStrictEqual(
            suites.map((s) => s.getAttribute("name")),
            RULES.map((rule) => rule.name),
        );
        const json = JSON.parse(checkOnce("--manifests", path.relative(PROJECT_ROOT, WAIVERS), "--format", "json").stdout);
        const mandatoryCases = new Set(
            json.violations
                .filter((v: { level: string }) => v.level === "mandatory")
                .map((v: { policy: string; name: string; kind: string }) => `${v.policy} ${v.kind}`),
        );
        assert.strictEqual(Number(root.getAttribute("failures")), mandatoryCases.size);
        assert.strictEqual(root.getElementsByTagName("failure").length, mandatoryCases.size);
        const seccomp = suites.find((s) => s.getAttribute("name") === "require-seccomp-profile")!;
        const [testcase] = Array.from(seccomp.getElementsByTagName("testcase"));
        assert.deepStrictEqual(
            [testcase.getAttribute("name"), testcase.getAttribute("file"), testcase.getAttribute("line")],
            ["Deployment shop/api", WAIVERS_REL, "2"],
        );
        assert.strictEqual(
            testcase.getElementsByTagName("failure")[0].textContent,
            'Deployment shop/api: container "api" has no seccomp profile: set securityContext.seccompProfile.type: RuntimeDefault',
        );
        const readOnly = suites.find((s) => s.getAttribute("name") === "require-read-only-root-filesystem")!;
        assert.strictEqual(
            readOnly.getElementsByTagName("skipped")[0].getAttribute("message"),
            "waived by the object's annotation: writes its cache to / (expires 2099-01-01)",
        );
        const clean = suites.find((s) => s.getAttribute("name") === "disallow-privileged")!;
        assert.deepStrictEqual([clean.getAttribute("tests"), clean.getAttribute("failures")], ["1", "0"]);
    });

    it("writes the manifests with the safe fixes applied to --out, leaving the input as it was", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fix-"));
        const before = fs.readFileSync(WAIVERS, "utf8");
        const r = check("--manifests", WAIVERS, "--fix", "--out", dir, "--format", "json");
        assert.strictEqual(fs.readFileSync(WAIVERS, "utf8"), before);
        const report = JSON.parse(r.stdout);
        assert.deepStrictEqual(
            report.fixes.map((f: { policy: string; changes: string[] }) => [f.policy, f.changes]),
            [
                ["disallow-privilege-escalation", ['Deployment shop/api: container "api" gets securityContext.allowPrivilegeEscalation: false']],
                ["require-drop-all-capabilities", ['Deployment shop/api: container "api" gets securityContext.capabilities.drop: ["ALL"]']],
                ["require-seccomp-profile", ['Deployment shop/api: gets spec.template.spec.securityContext.seccompProfile.type: "RuntimeDefault"']],
                ["disable-service-account-token-automount", ["Deployment shop/api: gets spec.template.spec.automountServiceAccountToken: false"]],
            ],
        );
        const written = fs.readFileSync(path.join(dir, "app.yaml"), "utf8");
        assert.match(written, /^# An API as a chart renders it/);
        assert.match(
            written,
            /\n---\napiVersion: v1\nkind: Service\nmetadata: \{name: api, namespace: shop\}\n/,
            "the unchanged Service keeps its text",
        );
        const again = JSON.parse(check("--manifests", path.join(dir, "app.yaml"), "--format", "json").stdout);
        const fixedPolicies = report.fixes.map((f: { policy: string }) => f.policy);
        assert.deepStrictEqual(
            again.violations.filter((v: { policy: string }) => fixedPolicies.includes(v.policy)),
            [],
        );
        assert.deepStrictEqual(
            again.violations,
            report.violations.map((v: { file: string }) => ({ ...v, file: path.join(dir, "app.yaml") })),
        );
    });

    it("refuses to write fixes over its input, and --fix without --out, with one line on stderr", () => {
        const over = check("--manifests", WAIVERS, "--fix", "--out", path.dirname(WAIVERS));
        assert.strictEqual(over.code, 2);
        assert.strictEqual(
            over.stderr,
            `check: --out ${path.dirname(WAIVERS)} would overwrite the input ${WAIVERS}; write the fixed files to another directory\n`,
        );
        const alone = check("--manifests", WAIVERS, "--fix");
        assert.strictEqual(alone.code, 2);
        assert.strictEqual(alone.stderr, "check: --fix and --out <dir> go together: --fix --out <dir> writes the fixed manifests there\n");
        const format = check("--manifests", WAIVERS, "--format", "xml");
        assert.strictEqual(format.stderr, 'check: --format must be text, json, sarif or junit, not "xml"\n');
    });
});

/** A validator of the SARIF 2.1.0 schema (the final rtm.5 schema, draft-04), with its formats checked. */
function sarifValidator() {
    const schema = JSON.parse(fs.readFileSync(require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"), "utf8"));
    // The schema writes one pattern (for a language tag) that is valid only without the u flag.
    const ajv = new AjvDraft04({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    return ajv.compile(schema);
}
