import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { imagesOf } from "../../tools/images";
import { kubernetesObjects } from "../../tools/lib/render";
import { PROJECT_ROOT } from "../../tools/lib/stackConfig";
import { runTool } from "../helpers/cli";
import { rendered } from "../helpers/render";

/** Every image of a pod spec, walked by hand from the rendered object (not through the pack's library). */
function imagesByHand(obj: any): string[] {
    const spec = obj.kind === "Pod" ? obj.spec : obj.kind === "CronJob" ? obj.spec?.jobTemplate?.spec?.template?.spec : obj.spec?.template?.spec;
    if (!spec) return [];
    return [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])].map((c: any) => c.image);
}

describe("npm run images (the images a stack runs, for the CI scan of 1.1.4)", () => {
    for (const stack of ["prod", "staging"]) {
        it(`lists every image of every container and init container ${stack} renders, once each, sorted`, async () => {
            const objects = kubernetesObjects(await rendered(stack));
            const expected = [...new Set(objects.flatMap(imagesByHand))].sort();
            const listed = imagesOf(objects);
            assert.deepStrictEqual(
                listed.map((i) => i.image),
                expected,
            );
            assert.ok(expected.length >= 5, `only ${expected.length} images`);
        });
    }

    it("names the workloads that run each image, init containers and CronJobs included", async () => {
        const listed = imagesOf(kubernetesObjects(await rendered("prod")));
        const api = listed.find((i) => i.image.includes("/voting/api:"))!;
        assert.ok(api.workloads.includes("Deployment voting-api/api"), api.workloads.join(", "));
        const postgres = listed.find((i) => i.image.startsWith("docker.io/library/postgres:"))!;
        assert.ok(postgres.workloads.includes("StatefulSet voting-data/postgres"), postgres.workloads.join(", "));
        assert.ok(
            postgres.workloads.some((w) => w.startsWith("CronJob ")),
            postgres.workloads.join(", "),
        );
    });

    it("prints one image per line, and JSON with the workloads on --format json", () => {
        const text = runTool("images", ["--stack", "staging"]);
        assert.strictEqual(text.code, 0, text.stderr);
        const lines = text.stdout.trim().split("\n");
        const json = runTool("images", ["--stack", "staging", "--format", "json"]);
        assert.strictEqual(json.code, 0, json.stderr);
        const doc = JSON.parse(json.stdout) as { images: { image: string; workloads: string[] }[] };
        assert.deepStrictEqual(
            doc.images.map((i) => i.image),
            lines,
        );
        assert.ok(doc.images.every((i) => i.workloads.length > 0));
    });

    it("exits 2 with one line on stderr for an unknown stack or format", () => {
        const stack = runTool("images", ["--stack", "nope"]);
        assert.strictEqual(stack.code, 2);
        assert.strictEqual(stack.stderr, 'images: unknown stack "nope": no Pulumi.nope.yaml (stacks here: prod, staging)\n');
        const format = runTool("images", ["--stack", "prod", "--format", "xml"]);
        assert.strictEqual(format.code, 2);
        assert.strictEqual(format.stderr, "images: --format xml: use text or json\n");
    });
});

describe("scan-images.sh", () => {
    const script = path.join(PROJECT_ROOT, ".github", "scripts", "scan-images.sh");
    const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

    /**
     * Runs the scan with stand-ins for docker and aws on PATH that record their arguments; the stand-in
     * Trivy finds HIGH or CRITICAL vulnerabilities in the images listed in VULNERABLE.
     */
    function scan(images: string, vulnerable: readonly string[] = []) {
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "scan-"));
        const log = path.join(bin, "calls.log");
        fs.writeFileSync(
            path.join(bin, "docker"),
            `#!/usr/bin/env bash
echo "docker $*" >> "$CALLS"
if [ "$1" = login ]; then cat > /dev/null; echo "config=$DOCKER_CONFIG" >> "$CALLS"; exit 0; fi
image="\${@: -1}"
for v in $VULNERABLE; do [ "$v" = "$image" ] && { echo "$image: 2 HIGH"; exit 1; }; done
exit 0
`,
            { mode: 0o755 },
        );
        fs.writeFileSync(path.join(bin, "aws"), `#!/usr/bin/env bash\necho "aws $*" >> "$CALLS"\necho token\n`, { mode: 0o755 });
        const r = spawnSync("bash", [script], {
            input: images,
            encoding: "utf8",
            env: {
                ...process.env,
                PATH: `${bin}:${process.env.PATH}`,
                CALLS: log,
                VULNERABLE: vulnerable.join(" "),
                TRIVY_IMAGE: "aquasec/trivy:0.58.1",
            },
        });
        const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
        return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
    }

    const images = [
        `${ECR}/voting/api:0.5.1@sha256:${"a".repeat(64)}`,
        `${ECR}/voting/frontend:0.5.1@sha256:${"b".repeat(64)}`,
        "docker.io/library/redis:7.4.1",
    ];

    it("scans every image for HIGH and CRITICAL vulnerabilities with Trivy and passes when none has one", () => {
        const r = scan(images.join("\n") + "\n");
        assert.strictEqual(r.status, 0, r.stdout + r.stderr);
        const scans = r.calls.filter((c) => c.startsWith("docker run"));
        assert.deepStrictEqual(
            scans.map((c) => c.split(" ").pop()),
            images,
        );
        for (const c of scans) assert.match(c, / aquasec\/trivy:0\.58\.1 image --quiet --no-progress --severity HIGH,CRITICAL --exit-code 1 /);
        assert.match(r.stdout, /3 image\(s\) scanned: none has a HIGH or CRITICAL vulnerability\n$/);
    });

    it("logs in once to each ECR registry, in its region, and hands the login to Trivy", () => {
        const r = scan(images.join("\n"));
        assert.deepStrictEqual(
            r.calls.filter((c) => c.startsWith("aws ")),
            ["aws ecr get-login-password --region eu-west-1"],
        );
        const login = r.calls.filter((c) => c.startsWith("docker login"));
        assert.deepStrictEqual(login, [`docker login --username AWS --password-stdin ${ECR}`]);
        const config = r.calls.find((c) => c.startsWith("config="))!.slice("config=".length);
        assert.ok(r.calls.filter((c) => c.startsWith("docker run")).every((c) => c.includes(`-v ${config}:/root/.docker:ro`)));
    });

    it("scans the rest after a finding and fails, naming every image that has one", () => {
        const r = scan(images.join("\n"), [images[0], images[2]]);
        assert.strictEqual(r.status, 1);
        assert.strictEqual(r.calls.filter((c) => c.startsWith("docker run")).length, 3);
        assert.match(r.stdout, new RegExp(`::error::${images[0].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} has HIGH or CRITICAL vulnerabilities`));
        assert.match(r.stdout, /clean: .*voting\/frontend/);
        assert.match(r.stdout, /2 of 3 image\(s\) failed the scan: .*voting\/api.* docker\.io\/library\/redis:7\.4\.1\n$/);
    });

    it("fails when it is given no image, rather than passing an empty scan", () => {
        const r = scan("\n\n");
        assert.strictEqual(r.status, 1);
        assert.strictEqual(r.stdout, "::error::no image to scan: the stack renders no container\n");
    });

    it("is valid bash", () => {
        assert.strictEqual(spawnSync("bash", ["-n", script]).status, 0);
    });
});
