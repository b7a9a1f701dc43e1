import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../tools/lib/stackConfig";

const DIR = path.join(PROJECT_ROOT, ".github", "workflows");
const text = (f: string) => fs.readFileSync(path.join(DIR, f), "utf8");

interface Step {
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
    readonly env?: Record<string, string>;
}
interface Job {
    readonly needs?: string | string[];
    readonly environment?: string;
    readonly permissions?: Record<string, string>;
    readonly concurrency?: { group: string; "cancel-in-progress": boolean };
    readonly env?: Record<string, string>;
    readonly strategy?: { matrix: Record<string, string[]> };
    readonly steps: Step[];
}
interface Workflow {
    readonly on: Record<string, unknown>;
    readonly permissions: Record<string, string>;
    readonly env?: Record<string, string>;
    readonly jobs: Record<string, Job>;
}

const workflow = (f: string) => parse(text(f)) as Workflow;
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith(".yml"));
const allJobs = () => FILES.flatMap((f) => Object.entries(workflow(f).jobs).map(([id, job]) => ({ file: f, id, job })));
const PULUMI = "pulumi/actions@";
const pulumiCommand = (s: Step) => (s.uses?.startsWith(PULUMI) ? (s.with?.command as string | undefined) : undefined);

/** The stack a job acts on: its `STACK` env, a literal or an expression such as `${{ matrix.stack }}`. */
const stackOf = (job: Job) => job.env?.STACK;

describe("GitHub Actions workflows", () => {
    it("are the pull-request, deploy, rollback and policy-pack workflows", () => {
        assert.deepStrictEqual(FILES.sort(), ["deploy.yml", "policy-pack.yml", "pull-request.yml", "rollback.yml"]);
    });

    for (const f of ["deploy.yml", "policy-pack.yml", "pull-request.yml", "rollback.yml"]) {
        it(`validates ${f} against the GitHub Actions workflow schema`, () => {
            assert.deepStrictEqual(validateWorkflow(text(f)).errors, []);
        });
    }

    it("has a schema check that rejects an unknown job key and a bad permission", () => {
        const bad = "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    permissions:\n      contents: maybe\n    step:\n      - run: echo\n";
        const errors = JSON.stringify(validateWorkflow(bad).errors);
        assert.match(errors, /Additional property 'step' is not allowed/);
        assert.match(errors, /"path":"\/jobs\/a\/permissions"/);
    });

    it("pins every action by a full commit SHA with its version beside it", () => {
        const uses = FILES.flatMap((f) => [...text(f).matchAll(/uses: (\S+)(.*)$/gm)].map((m) => `${m[1]}${m[2]}`));
        assert.ok(uses.length > 30, `only ${uses.length} uses`);
        const unpinned = uses.filter((u) => !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/.test(u));
        assert.deepStrictEqual(unpinned, []);
        const versions = new Map<string, Set<string>>();
        for (const u of uses) {
            const [action, ref] = u.split("@");
            versions.set(action, (versions.get(action) ?? new Set()).add(ref));
        }
        assert.deepStrictEqual(
            [...versions].filter(([, refs]) => refs.size > 1).map(([a]) => a),
            [],
            "one version of each action everywhere",
        );
    });

    it("runs every preview and update with the pack and that stack's pack config", () => {
        const runs = allJobs().flatMap(({ file, id, job }) =>
            job.steps.filter((s) => pulumiCommand(s) === "preview" || pulumiCommand(s) === "up").map((s) => ({ file, id, job, step: s })),
        );
        assert.deepStrictEqual(
            runs.map((r) => `${r.file}:${r.id}:${pulumiCommand(r.step)}`),
            ["deploy.yml:staging:up", "deploy.yml:prod:up", "pull-request.yml:preview:preview", "rollback.yml:rollback:up"],
        );
        for (const { job, step } of runs) {
            const stack = step.with!["stack-name"] as string;
            assert.strictEqual(stack === stackOf(job) || stack === "${{ matrix.stack }}" || stack === "${{ inputs.stack }}", true, stack);
            assert.strictEqual(step.with!.policyPacks, "policies");
            assert.strictEqual(step.with!.policyPackConfigs, `policies/config/${stack}.json`);
            for (const literal of ["staging", "prod"]) if (stack === literal) assert.strictEqual(stackOf(job), literal);
        }
        const preview = workflow("pull-request.yml").jobs.preview;
        assert.deepStrictEqual(preview.strategy!.matrix.stack, ["staging", "prod"]);
        assert.strictEqual(preview.steps.find((s) => pulumiCommand(s) === "preview")!.with!["comment-on-pr"], true);
        for (const stack of ["staging", "prod"]) assert.ok(fs.existsSync(path.join(PROJECT_ROOT, "policies", "config", `${stack}.json`)));
    });

    it("updates prod only behind the prod environment, after staging, one update per stack at a time", () => {
        const deploy = workflow("deploy.yml").jobs;
        assert.deepStrictEqual([deploy.staging.needs, deploy.prod.needs], ["test", "staging"]);
        assert.deepStrictEqual(
            [deploy.staging.environment, deploy.prod.environment, workflow("rollback.yml").jobs.rollback.environment],
            ["staging", "prod", "${{ inputs.stack }}"],
        );
        const updates = allJobs().filter(({ job }) => job.steps.some((s) => pulumiCommand(s) === "up"));
        for (const { id, job } of updates) {
            assert.ok(job.environment, `${id} updates without an environment`);
            const stack = job.env!.STACK;
            assert.deepStrictEqual(job.concurrency, { group: `pulumi-${stack}`, "cancel-in-progress": false });
        }
        assert.strictEqual(workflow("pull-request.yml").jobs.preview.environment, undefined, "a preview waits for no reviewer");
        assert.deepStrictEqual(workflow("rollback.yml").on.workflow_dispatch, {
            inputs: {
                stack: { description: "Stack to roll back", required: true, type: "choice", options: ["staging", "prod"] },
                ref: { description: "Commit SHA or tag of the release to return to", required: true, type: "string" },
            },
        });
    });

    it("names each update's release after its commit and gates success on the verification Jobs", () => {
        for (const { id, job } of allJobs().filter(({ job }) => job.steps.some((s) => pulumiCommand(s) === "up"))) {
            const names = job.steps.map((s) => s.run ?? pulumiCommand(s) ?? "");
            const release = names.findIndex((n) => /^pulumi config set --stack "\$STACK" release "\$(GITHUB_SHA|\(git rev-parse HEAD\))"$/.test(n));
            const up = names.indexOf("up");
            const verify = names.indexOf("bash .github/scripts/verify-release.sh");
            assert.ok(release >= 0 && release < up && up < verify, `${id}: release ${release}, up ${up}, verify ${verify}`);
        }
    });

    it("tests with .ci/run and checks each stack with SARIF uploaded to code scanning", () => {
        const pr = workflow("pull-request.yml").jobs;
        for (const f of ["pull-request.yml", "deploy.yml", "policy-pack.yml"]) {
            assert.ok(
                workflow(f).jobs.test.steps.some((s) => s.run === "bash .ci/run"),
                f,
            );
        }
        assert.deepStrictEqual(pr.check.strategy!.matrix.stack, ["staging", "prod"]);
        const run = pr.check.steps.find((s) => s.run?.includes("npm run --silent check"))!.run!;
        assert.match(run, /npm run --silent check -- --stack "\$STACK" --format sarif > "check-\$STACK\.sarif"/);
        const upload = pr.check.steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))!;
        assert.strictEqual(upload.with!.sarif_file, "check-${{ matrix.stack }}.sarif");
        assert.deepStrictEqual(pr.preview.needs, ["test", "check", "scan-images"]);
    });

    it("scans every image of each stack with Trivy before the preview, failing on a HIGH or CRITICAL vulnerability (1.1.4)", () => {
        const scan = workflow("pull-request.yml").jobs["scan-images"];
        assert.deepStrictEqual(scan.strategy!.matrix.stack, ["staging", "prod"]);
        assert.strictEqual(stackOf(scan), "${{ matrix.stack }}");
        assert.match(scan.env!.TRIVY_IMAGE, /^aquasec\/trivy:\d+\.\d+\.\d+$/);
        const run = scan.steps.map((s) => s.run).filter(Boolean);
        assert.ok(run.includes('npm run --silent images -- --stack "$STACK" | bash .github/scripts/scan-images.sh'), run.join("\n"));
        assert.match(
            fs.readFileSync(path.join(PROJECT_ROOT, ".github", "scripts", "scan-images.sh"), "utf8"),
            /--severity HIGH,CRITICAL --exit-code 1/,
        );
    });

    it("publishes the pack on a tag and enables it with prod's pack config", () => {
        const wf = workflow("policy-pack.yml");
        assert.deepStrictEqual(wf.on, { push: { tags: ["policy-v*"] } });
        const runs = wf.jobs.publish.steps.map((s) => s.run ?? "");
        assert.ok(runs.includes('pulumi policy publish "$PULUMI_ORG"'));
        assert.ok(runs.includes('pulumi policy enable "$PULUMI_ORG/voting-production-readiness" "$VERSION" --config config/prod.json'));
        assert.strictEqual(
            JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "policies", "package.json"), "utf8")).name,
            "voting-production-readiness",
        );
    });

    it("gets cloud credentials by OIDC only, with the least permissions each job needs", () => {
        for (const f of FILES) {
            assert.deepStrictEqual(workflow(f).permissions, { contents: "read" }, f);
            assert.doesNotMatch(text(f), /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|write-all/, f);
        }
        for (const { file, id, job } of allJobs()) {
            const usesAws = job.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
            const comments = job.steps.some((s) => s.with?.["comment-on-pr"] === true);
            const sarif = job.steps.some((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
            const expected: Record<string, string> = { contents: "read" };
            if (usesAws) expected["id-token"] = "write";
            if (comments) expected["pull-requests"] = "write";
            if (sarif) expected["security-events"] = "write";
            assert.deepStrictEqual(job.permissions ?? { contents: "read" }, expected, `${file}:${id}`);
            if (usesAws) {
                const creds = job.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
                assert.match(String(creds.with!["role-to-assume"]), /^\$\{\{ vars\.AWS_(PREVIEW|DEPLOY)_ROLE_ARN \}\}$/);
            }
        }
    });

    it("echoes no secret: secrets reach steps only through env, and no script reads them", () => {
        for (const f of FILES) {
            const wf = workflow(f);
            const secretEnv = new Set<string>();
            const collect = (env?: Record<string, string>) => {
                for (const [k, v] of Object.entries(env ?? {})) if (String(v).includes("secrets.")) secretEnv.add(k);
            };
            collect(wf.env);
            for (const job of Object.values(wf.jobs)) {
                collect(job.env);
                job.steps.forEach((s) => collect(s.env));
            }
            for (const job of Object.values(wf.jobs)) {
                for (const s of job.steps) {
                    if (!s.run) continue;
                    assert.doesNotMatch(s.run, /\$\{\{\s*secrets\./, `${f}: a secret expanded into a script`);
                    for (const name of secretEnv) assert.ok(!s.run.includes(name), `${f}: a script reads ${name}`);
                    assert.doesNotMatch(s.run, /set -x|printenv|\benv\b\s*$/m, `${f}: a script dumps its environment`);
                }
            }
        }
    });
});

describe("verify-release.sh", () => {
    const script = path.join(PROJECT_ROOT, ".github", "scripts", "verify-release.sh");

    /** Runs the gate with a stand-in kubectl that prints `jobs` as `kubectl get jobs -o jsonpath` would. */
    function gate(jobs: string) {
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "kubectl-"));
        fs.writeFileSync(path.join(bin, "kubectl"), `#!/usr/bin/env bash\nprintf '%s' "$JOBS"\n`, { mode: 0o755 });
        return spawnSync("bash", [script], { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, JOBS: jobs }, encoding: "utf8" });
    }

    it("passes when every verification Job succeeded", () => {
        const r = gate("voting-api/verify-connectivity-1a2b 1\nvoting-data/verify-connectivity-1a2b 1\n");
        assert.strictEqual(r.status, 0, r.stdout + r.stderr);
        assert.strictEqual(r.stdout, "succeeded: voting-api/verify-connectivity-1a2b\nsucceeded: voting-data/verify-connectivity-1a2b\n");
    });

    it("fails, naming the Job, when one did not succeed", () => {
        const r = gate("voting-api/verify-connectivity-1a2b 1\nvoting-data/verify-connectivity-1a2b \n");
        assert.strictEqual(r.status, 1);
        assert.match(
            r.stdout,
            /::error::verification Job voting-data\/verify-connectivity-1a2b did not succeed; kubectl logs -n voting-data job\/verify-connectivity-1a2b/,
        );
    });

    it("fails when no verification Job ran", () => {
        const r = gate("");
        assert.strictEqual(r.status, 1);
        assert.match(r.stdout, /::error::no verification Job found/);
    });

    it("is valid bash", () => {
        execFileSync("bash", ["-n", script]);
    });
});
