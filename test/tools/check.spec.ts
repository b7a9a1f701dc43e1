import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../../tools/lib/stackConfig";
import { runTool } from "../helpers/cli";

const FIXTURES = path.join(PROJECT_ROOT, "test", "fixtures", "manifests");

const check = (...args: string[]) => runTool("check", args);

describe("npm run check", () => {
    it("renders the prod stack and reports as JSON per the contract", () => {
        const r = check("--stack", "prod", "--format", "json");
        assert.ok(r.code === 0 || r.code === 1, r.stderr);
        const report = JSON.parse(r.stdout);
        assert.deepStrictEqual(Object.keys(report), ["violations", "summary"]);
        for (const v of report.violations) {
            assert.deepStrictEqual(Object.keys(v), ["policy", "checklist", "level", "file", "kind", "namespace", "name", "message"]);
        }
        assert.strictEqual(r.code, report.summary.mandatory > 0 ? 1 : 0);
        assert.ok(report.summary.objects >= 12);
    });

    it("prints the effective traffic matrix under the stack's report", () => {
        const r = check("--stack", "prod");
        assert.strictEqual(r.code, 0, r.stdout);
        assert.match(r.stdout, /\nEffective traffic matrix \(42 reachable, 0 declared but denied\):\nFROM +TO +PORT +VERDICT\n/);
        assert.match(r.stdout, /\nvoting-api\/api +voting-data\/postgres +5432\/TCP +allowed \(declared\)\n/);
        assert.doesNotMatch(r.stdout, /voting-frontend\/frontend +voting-data/);
    });

    it("prints a text report for the staging stack by default", () => {
        const r = check("--stack", "staging");
        assert.ok(r.code === 0 || r.code === 1, r.stderr);
        assert.match(r.stdout, /^voting-production-readiness: stack staging \(rendered offline; pack config policies\/config\/staging.json\)/);
        assert.match(r.stdout, /\d+ mandatory, \d+ advisory violation\(s\) in \d+ object\(s\)/);
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
        assert.match(r.stdout, /No violations\./);
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
