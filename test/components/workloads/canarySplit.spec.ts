import * as assert from "assert";
import { spawn, spawnSync, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { matrixPackConfig } from "../../../components/network/trafficMatrix";
import { CANARY_WEIGHT_STEPS } from "../../../config/types";
import { decodeConfigValue, validateConfig } from "../../../config/validate";
import { resolveWorkloads } from "../../../config/workloads";
import { evaluate, resolveRules, type PackConfig } from "../../../policies/lib/evaluate";
import { RULES } from "../../../policies/rules";
import type { K8sObject } from "../../../policies/lib/k8s";
import { parse, stringify } from "yaml";
import { kubernetesObjects, renderStack } from "../../../tools/lib/render";
import { loadStackConfig, PROJECT_ROOT } from "../../../tools/lib/stackConfig";
import { rendered } from "../../helpers/render";
import { validateAgainstSchema } from "../../helpers/schema";
import { ciRequiresTools, freePort } from "../../helpers/servers";
import { renderVariant } from "../../helpers/variant";

const DIGEST = "sha256:" + "c".repeat(64);
const STABLE = "api.voting-api.svc.cluster.local:8000";
const CANARY = "api-canary.voting-api.svc.cluster.local:8000";

const find = (objects: readonly K8sObject[], kind: string, namespace: string, name: string): K8sObject | undefined =>
    objects.find((o) => o.kind === kind && o.metadata?.namespace === namespace && o.metadata?.name === name);
const nginxConf = (objects: readonly K8sObject[]): string => find(objects, "ConfigMap", "voting-frontend", "frontend-config")!.data["default.conf"];

/** The location /api/ block and the rest of the site as the stack renders them without a canary. */
const SITE = (proxyPass: string) => `server {
    listen 8080;
    server_name _;
    root /usr/share/nginx/html;
    client_max_body_size 1m;

    location /api/ {
        proxy_pass ${proxyPass};
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;
        proxy_connect_timeout 5s;
        proxy_read_timeout 30s;
    }

    location / {
        try_files $uri $uri/ /index.html;
    }
}
`;

const SPLIT = (weight: number) => `upstream api_stable {
    server ${STABLE};
}

upstream api_canary {
    server ${CANARY};
}

split_clients "$request_id" $api_upstream {
    ${weight}% api_canary;
    * api_stable;
}

${SITE("http://$api_upstream")}`;

/** nginx from Debian's nginx-light: on PATH, or in /usr/sbin, which a non-root PATH may leave out. */
function nginxBinary(): string | undefined {
    if (spawnSync("sh", ["-c", "command -v nginx"]).status === 0) return "nginx";
    return fs.existsSync("/usr/sbin/nginx") ? "/usr/sbin/nginx" : undefined;
}

interface Site {
    readonly port: number;
    stop(): Promise<void>;
}

/** A tiny upstream that answers every request with its own name. */
async function upstream(name: string): Promise<{ port: number; server: http.Server }> {
    const port = await freePort();
    const server = http.createServer((_req, res) => res.end(name));
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    return { port, server };
}

/**
 * Runs the rendered site in a real nginx. The Service names are the cluster's DNS, which this machine
 * cannot resolve: they, and the listen port, are the only text changed, each to a local port.
 */
async function runSite(conf: string, stablePort: number, canaryPort: number): Promise<Site> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "frontend-nginx-"));
    const port = await freePort();
    const local = conf
        .split(STABLE)
        .join(`127.0.0.1:${stablePort}`)
        .split(CANARY)
        .join(`127.0.0.1:${canaryPort}`)
        .replace("listen 8080;", `listen 127.0.0.1:${port};`);
    assert.ok(!local.includes("svc.cluster.local"), local);
    fs.writeFileSync(path.join(dir, "default.conf"), local);
    const temps = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `    ${t}_temp_path ${dir}/${t};`).join("\n");
    fs.writeFileSync(
        path.join(dir, "nginx.conf"),
        `daemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n    access_log off;\n${temps}\n    include ${dir}/default.conf;\n}\n`,
    );
    const nginx: ChildProcess = spawn(nginxBinary()!, ["-p", dir, "-c", path.join(dir, "nginx.conf")], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    nginx.stderr!.on("data", (d) => (stderr += String(d)));
    const until = Date.now() + 10_000;
    for (;;) {
        const up = await new Promise<boolean>((resolve) =>
            http
                .get({ host: "127.0.0.1", port, path: "/api/health" }, (res) => {
                    res.resume();
                    resolve(true);
                })
                .on("error", () => resolve(false)),
        );
        if (up) break;
        if (nginx.exitCode !== null || Date.now() > until) {
            throw new Error(
                `nginx did not serve the rendered site: ${stderr}${fs.existsSync(path.join(dir, "error.log")) ? fs.readFileSync(path.join(dir, "error.log"), "utf8") : ""}`,
            );
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    return {
        port,
        stop: () =>
            new Promise((resolve) => {
                nginx.once("exit", () => {
                    fs.rmSync(dir, { recursive: true, force: true });
                    resolve();
                });
                nginx.kill("SIGTERM");
            }),
    };
}

/** Sends `n` requests to /api/votes through the site, eight at a time, and counts who answered each. */
async function countAnswers(port: number, n: number): Promise<Record<string, number>> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const answer = () =>
        new Promise<string>((resolve, reject) => {
            http.get({ host: "127.0.0.1", port, path: "/api/votes", agent }, (res) => {
                let body = "";
                res.on("data", (d) => (body += String(d)));
                res.on("end", () => resolve(`${res.statusCode} ${body}`));
            }).on("error", reject);
        });
    const counts: Record<string, number> = {};
    for (let sent = 0; sent < n; sent += 8) {
        for (const a of await Promise.all(Array.from({ length: Math.min(8, n - sent) }, answer))) counts[a] = (counts[a] ?? 0) + 1;
    }
    agent.destroy();
    return counts;
}

/** Renders the program with staging's config and a canary at `weight`, from a stack file in a temporary folder. */
async function renderStagingCanary(weight: number): Promise<K8sObject[]> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "staging-canary-"));
    fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
    const doc = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.staging.yaml"), "utf8"));
    doc.config["voting-platform:canary"] = { tag: "0.6.0", weight };
    fs.writeFileSync(path.join(root, "Pulumi.stagingcanary.yaml"), stringify(doc));
    return kubernetesObjects(await renderStack("stagingcanary", PROJECT_ROOT, root));
}

/** The whole pack with the stack's config, its traffic matrix synced with the stack's canary. */
function packViolations(stack: "prod" | "staging", canary: Record<string, unknown>, objects: readonly K8sObject[]): string[] {
    const sc = loadStackConfig(stack);
    const raw = Object.fromEntries(Object.entries(sc.values).map(([k, v]) => [k.replace(/^voting-platform:/, ""), decodeConfigValue(v)]));
    const pack = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "policies", "config", `${stack}.json`), "utf8")) as PackConfig;
    const cfg = validateConfig({ ...raw, canary }, sc.project, stack);
    const matrix = matrixPackConfig(cfg, resolveWorkloads(cfg));
    const synced: PackConfig = { ...pack, "enforce-traffic-matrix": { ...(pack["enforce-traffic-matrix"] as object), ...matrix } };
    return evaluate(resolveRules(RULES, synced), objects).map((v) => `${v.level} ${v.policy}: ${v.message}`);
}

describe("canary weights (the frontend's nginx splits /api/ requests between the API's tracks)", () => {
    const objects = new Map<number, K8sObject[]>();
    let staging: K8sObject[];

    before(async function () {
        this.timeout(300_000);
        // The mock runtime is global: the committed stacks render first, the variants after them.
        await rendered("prod");
        await rendered("staging");
        for (const weight of [0, ...CANARY_WEIGHT_STEPS]) {
            const result = await renderVariant(`canary${weight}`, (c) => {
                c["voting-platform:canary"] = { tag: "0.6.0", digest: DIGEST, weight };
            });
            objects.set(weight, kubernetesObjects(result));
        }
        staging = await renderStagingCanary(50);
    });

    it("renders the committed prod and staging sites with the single proxy_pass to the API Service", async () => {
        for (const stack of ["prod", "staging"]) {
            assert.strictEqual(nginxConf(kubernetesObjects(await rendered(stack))), SITE(`http://${STABLE}`), stack);
        }
    });

    it("renders weight 0 as the site without a canary, while the canary's Deployment and Service stay", () => {
        const o = objects.get(0)!;
        assert.strictEqual(nginxConf(o), SITE(`http://${STABLE}`));
        assert.deepStrictEqual(
            ["Deployment", "Service"].map((kind) => find(o, kind, "voting-api", "api-canary")?.kind),
            ["Deployment", "Service"],
        );
    });

    for (const weight of CANARY_WEIGHT_STEPS) {
        it(`renders weight ${weight} as a split_clients on $request_id sending ${weight}% of /api/ to the api-canary Service`, () => {
            assert.strictEqual(nginxConf(objects.get(weight)!), SPLIT(weight));
        });
    }

    it("scales the canary at each step by an HPA of its own, from prod's API minimum of three to its maximum of ten", () => {
        const hpa = (o: K8sObject[]) => find(o, "HorizontalPodAutoscaler", "voting-api", "api-canary")!;
        assert.deepStrictEqual(
            CANARY_WEIGHT_STEPS.map((w) => [
                find(objects.get(w)!, "Deployment", "voting-api", "api-canary")!.spec.replicas,
                hpa(objects.get(w)!).spec,
            ]),
            CANARY_WEIGHT_STEPS.map(() => [
                undefined,
                {
                    ...hpa(objects.get(10)!).spec,
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api-canary" },
                    minReplicas: 3,
                    maxReplicas: 10,
                },
            ]),
        );
    });

    it("rolls the frontend on each change of weight: its pods carry the checksum of the site", () => {
        const checksums = [0, ...CANARY_WEIGHT_STEPS].map(
            (w) => find(objects.get(w)!, "Deployment", "voting-frontend", "frontend")!.spec.template.metadata.annotations["checksum/config"],
        );
        assert.strictEqual(new Set(checksums).size, 4);
    });

    it("gives the API Service track: stable and the api-canary Service track: canary at every weight", () => {
        for (const [weight, o] of objects) {
            assert.deepStrictEqual(
                ["api", "api-canary"].map((name) => find(o, "Service", "voting-api", name)!.spec.selector.track),
                ["stable", "canary"],
                `weight ${weight}`,
            );
        }
    });

    it("renders the frontend ConfigMap and both API Services valid against their schemas at every weight", async () => {
        for (const o of objects.values()) {
            await validateAgainstSchema(find(o, "ConfigMap", "voting-frontend", "frontend-config")!);
            for (const name of ["api", "api-canary"]) await validateAgainstSchema(find(o, "Service", "voting-api", name)!);
        }
    });

    it("gives the whole prod pack, its matrix synced with the canary, 0 violations at every weight", () => {
        for (const [weight, o] of objects) {
            assert.deepStrictEqual(packViolations("prod", { tag: "0.6.0", digest: DIGEST, weight }, o), [], `weight ${weight}`);
        }
    });

    it("renders staging at weight 50 with the same split and the canary scaled from two to four, and its whole pack gives 0 violations", () => {
        assert.strictEqual(nginxConf(staging), SPLIT(50));
        const hpa = find(staging, "HorizontalPodAutoscaler", "voting-api", "api-canary")!;
        assert.deepStrictEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas], [2, 4]);
        assert.deepStrictEqual(
            ["api", "api-canary"].map((name) => find(staging, "Service", "voting-api", name)!.spec.selector.track),
            ["stable", "canary"],
        );
        assert.deepStrictEqual(packViolations("staging", { tag: "0.6.0", weight: 50 }, staging), []);
    });

    describe("the rendered site in a real nginx, over 2000 requests", function () {
        this.timeout(120_000);
        let stable: { port: number; server: http.Server };
        let canary: { port: number; server: http.Server };

        before(async function () {
            if (!nginxBinary()) {
                if (ciRequiresTools()) throw new Error("nginx is not installed; .ci/run installs nginx-light");
                console.log("      skipped: nginx is not installed (apt-get install nginx-light)");
                this.skip();
            }
            stable = await upstream("stable");
            canary = await upstream("canary");
        });

        after(async () => {
            for (const u of [stable, canary]) if (u) await new Promise((r) => u.server.close(r));
        });

        const measure = async (weight: number, rendered = objects.get(weight)!) => {
            const site = await runSite(nginxConf(rendered), stable.port, canary.port);
            try {
                return await countAnswers(site.port, 2000);
            } finally {
                await site.stop();
            }
        };

        it("sends every request to the stable API at weight 0", async () => {
            assert.deepStrictEqual(await measure(0), { "200 stable": 2000 });
        });

        for (const weight of [10, 50]) {
            it(`sends ${weight}% of the requests to the canary at weight ${weight}, within 5 points, and the rest to the stable API`, async () => {
                const counts = await measure(weight);
                assert.deepStrictEqual(Object.keys(counts).sort(), ["200 canary", "200 stable"]);
                assert.strictEqual(counts["200 canary"] + counts["200 stable"], 2000);
                const share = (100 * counts["200 canary"]) / 2000;
                assert.ok(Math.abs(share - weight) <= 5, `the canary answered ${share}% of 2000 requests at weight ${weight}`);
                console.log(`      weight ${weight}: the canary answered ${counts["200 canary"]} of 2000 requests (${share}%)`);
            });
        }

        it("sends every request to the canary at weight 100", async () => {
            assert.deepStrictEqual(await measure(100), { "200 canary": 2000 });
        });

        it("sends 50% of the requests to the canary in staging's site at weight 50, within 5 points", async () => {
            const counts = await measure(50, staging);
            assert.strictEqual(counts["200 canary"] + counts["200 stable"], 2000);
            assert.ok(Math.abs(counts["200 canary"] / 20 - 50) <= 5, `the canary answered ${counts["200 canary"]} of 2000 requests`);
        });
    });
});
