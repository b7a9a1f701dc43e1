import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as tls from "tls";
import type { K8sObject } from "../../../policies/lib/k8s";
import { INGRESS_CONTROLLER_SERVICE } from "../../../components/verify/postDeploy";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";
import { runScript, type ScriptResult } from "../../helpers/scripts";
import { requireBinary } from "../../helpers/servers";
import { startStandInStack, type StandInStack } from "../../helpers/votingStandIn";

/** A throwaway PKI made with openssl: a CA, and server certificates it (or another CA) signs for a host name. */
class Pki {
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "public-pki-"));

    private openssl(...args: string[]): void {
        const r = spawnSync("openssl", args, { cwd: this.dir, encoding: "utf8" });
        if (r.status !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${r.stderr}`);
    }

    /** A self-signed CA; returns the path of its certificate. */
    ca(name: string): string {
        this.openssl(
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", `/CN=${name}`, "-keyout", `${name}.key`, "-out", `${name}.crt`,
        ); // prettier-ignore
        return path.join(this.dir, `${name}.crt`);
    }

    /** A server certificate for `host` signed by the CA `ca`: its key and certificate, PEM. */
    server(ca: string, host: string): { key: string; cert: string } {
        const base = `${ca}-${host}`;
        fs.writeFileSync(path.join(this.dir, `${base}.ext`), `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\n`);
        this.openssl(
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-subj", `/CN=${host}`, "-keyout", `${base}.key`, "-out", `${base}.csr`,
        ); // prettier-ignore
        this.openssl(
            "x509", "-req", "-in", `${base}.csr`, "-CA", `${ca}.crt`, "-CAkey", `${ca}.key`, "-CAcreateserial",
            "-days", "1", "-extfile", `${base}.ext`, "-out", `${base}.crt`,
        ); // prettier-ignore
        return {
            key: fs.readFileSync(path.join(this.dir, `${base}.key`), "utf8"),
            cert: fs.readFileSync(path.join(this.dir, `${base}.crt`), "utf8"),
        };
    }
}

/** The ingress controller's part: terminates TLS with `cert` and passes the stream to the app. */
async function startTlsFront(cert: { key: string; cert: string }, appUrl: string): Promise<{ port: number; close: () => Promise<void> }> {
    const app = new URL(appUrl);
    const server = tls.createServer(cert, (client) => {
        const upstream = net.connect(Number(app.port), app.hostname);
        client.pipe(upstream).pipe(client);
        client.on("error", () => upstream.destroy());
        upstream.on("error", () => client.destroy());
    });
    // A client that refuses the certificate aborts the handshake; that is the case under test, not a server fault.
    server.on("tlsClientError", () => undefined);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        port: (server.address() as net.AddressInfo).port,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

type Container = Record<string, any>;

const jobNamed = (objects: readonly K8sObject[], prefix: string): K8sObject => {
    const job = objects.find((o) => o.kind === "Job" && o.metadata?.namespace === "voting-api" && o.metadata.name?.startsWith(`${prefix}-`));
    if (!job) throw new Error(`no Job ${prefix}-<release> in voting-api`);
    return job;
};
const stepsOf = (job: K8sObject): Container[] => [...(job.spec.template.spec.initContainers ?? []), ...job.spec.template.spec.containers];

/**
 * The post-deploy checks as the rendered prod Jobs run them (each step's script and env from its
 * container), their HTTP steps over HTTPS to the public host with the certificate verified: CONNECT_TO
 * sends the public host to a local TLS front of the stand-in, where in the cluster it names the ingress
 * controller's Service. The data steps reach a local Redis and PostgreSQL over plain TCP (prod's TLS to
 * the data layer is rehearsed in test/rehearsal/checks.spec.ts and dataTls.spec.ts).
 */
describe("the prod post-deploy checks over the public HTTPS path, verifying the server certificate (8.1, 7.2.1, 7.2.2, 7.3.3)", function () {
    let stack: StandInStack;
    let objects: K8sObject[];
    let host: string;
    let pki: Pki;
    let trusted: string;

    before(async function () {
        requireBinary(this, "openssl", "openssl");
        stack = await startStandInStack(this);
        objects = kubernetesObjects(await rendered("prod"));
        const ingress = objects.find((o) => o.kind === "Ingress" && o.metadata?.namespace === "voting-frontend")!;
        host = ingress.spec.tls[0].hosts[0];
        pki = new Pki();
        trusted = pki.ca("public-ca");
        pki.ca("rogue-ca");
    });
    after(async () => stack?.stop());

    /** One rendered step's env: literal values as written, the connection Secret's keys from the local servers. */
    function envOf(c: Container, frontPort: number, work: string): Record<string, string> {
        const secrets: Record<string, string> = { DATABASE_URL: stack.databaseUrl, REDIS_URL: stack.redis.url };
        const env: Record<string, string> = {};
        for (const e of c.env) {
            if (e.value !== undefined) env[e.name] = String(e.value);
            else if (e.valueFrom?.secretKeyRef?.key in secrets) env[e.name] = secrets[e.valueFrom.secretKeyRef.key];
            else throw new Error(`step ${c.name}: env ${e.name} has a source this test does not provide`);
        }
        if (env.CONNECT_TO !== undefined) {
            const [name, port, target, targetPort] = env.CONNECT_TO.split(":");
            assert.deepStrictEqual([name, port, target, targetPort], [host, "443", INGRESS_CONTROLLER_SERVICE, "443"], `step ${c.name}: CONNECT_TO`);
            // The ingress controller's Service, here the local TLS front; the public host name and port stay as rendered.
            env.CONNECT_TO = `${name}:${port}:127.0.0.1:${frontPort}`;
        }
        if (env.API_URL !== undefined) {
            assert.strictEqual(env.API_URL, "http://api.voting-api.svc.cluster.local:8000", `step ${c.name}: API_URL`);
            // The API's Service in-cluster, over plain HTTP as the Service serves it: here the stand-in itself.
            env.API_URL = stack.app.url;
        }
        return {
            ...env,
            TMPDIR: fs.mkdtempSync(path.join(os.tmpdir(), `${c.name}-`)),
            HOME: work,
            WORK_DIR: work,
            // Stands for the public CAs the curl image's trust store carries: this CA issued the front's certificate.
            CURL_CA_BUNDLE: trusted,
        };
    }

    /** Runs the rendered Job's steps in order with the front serving `cert`; stops at the first that fails, as the pod does. */
    async function runJob(prefix: string, cert: { key: string; cert: string }, extra: Record<string, string> = {}) {
        const front = await startTlsFront(cert, stack.app.url);
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "work-"));
        const steps: { name: string; result: ScriptResult }[] = [];
        try {
            for (const c of stepsOf(jobNamed(objects, prefix))) {
                assert.deepStrictEqual(c.command.slice(0, 2), ["/bin/sh", "-c"]);
                const result = await runScript(c.command[2], { ...envOf(c, front.port, work), ...extra });
                steps.push({ name: c.name, result });
                if (result.code !== 0) break;
            }
        } finally {
            await front.close();
        }
        return steps;
    }
    const transcript = (steps: { name: string; result: ScriptResult }[]) =>
        steps.map((s) => `--- ${s.name} exited ${s.result.code}\n${s.result.stdout}${s.result.stderr}`).join("\n");

    it("renders the smoke and end-to-end Jobs' HTTP steps for the Ingress's host, with TLS_VERIFY=true and CONNECT_TO the ingress controller", () => {
        const http = [...stepsOf(jobNamed(objects, "verify-smoke")), ...stepsOf(jobNamed(objects, "verify-e2e"))].filter((c) =>
            c.env.some((e: any) => e.name === "PUBLIC_URL"),
        );
        assert.deepStrictEqual(
            http.map((c) => {
                const env = Object.fromEntries(c.env.map((e: any) => [e.name, e.value]));
                return [c.name, env.PUBLIC_URL, env.TLS_VERIFY, env.CONNECT_TO];
            }),
            ["http", "input", "vote", "results"].map((n) => [n, `https://${host}`, "true", `${host}:443:${INGRESS_CONTROLLER_SERVICE}:443`]),
        );
        assert.strictEqual(host, "voting.example.com");
    });

    it("passes the prod smoke Job over HTTPS to the public host, its certificate verified against the trusted CA", async () => {
        const steps = await runJob("verify-smoke", pki.server("public-ca", host));
        assert.deepStrictEqual(
            steps.map((s) => [s.name, s.result.code]),
            [
                ["http", 0],
                ["input", 0],
                ["consumer", 0],
            ],
            transcript(steps),
        );
        const out = steps[0].result.stdout.trim().split("\n");
        assert.deepStrictEqual(out.slice(0, 5), [
            "ok    the frontend serves the UI",
            "ok    GET /api/health is ok",
            "ok    GET /ready is ok: the API reaches PostgreSQL and Redis",
            "ok    GET /api/results gives cats=0",
            "ok    POST /api/vote accepted a test vote for cats (202)",
        ]);
        assert.match(out[5], /^ok {4}the vote was counted: cats went from 0 to 1 in \d+ s$/);
        assert.deepStrictEqual(steps[1].result.stdout.trim().split("\n"), [
            "ok    POST /api/vote refuses an option off the ballot (422)",
            "ok    POST /api/vote refuses a quoted SQL condition in the option (422)",
            "ok    POST /api/vote refuses a stacked SQL statement in the option (422)",
            "ok    POST /api/vote refuses a body that is not JSON (422)",
            "ok    POST /api/vote refuses an option that is not a string (422)",
            "ok    the public path refuses a body of 1048577 bytes, over its limit of 1048576 (413)",
            "ok    GET /api/results still lists the ballot and nothing else: cats dogs",
            "input: 0 check(s) failed",
        ]);
        assert.match(steps[2].result.stdout, /^ok {4}the consumer processed stream entry \d+-\d+ \(verify-[0-9a-f]{8}-smoke, cats\)\n$/);
    });

    it("passes the prod end-to-end Job with its vote and GET /api/results over HTTPS to the public host, verified", async () => {
        const steps = await runJob("verify-e2e", pki.server("public-ca", host));
        assert.deepStrictEqual(
            steps.map((s) => [s.name, s.result.code]),
            ["stream-baseline", "count-baseline", "vote", "stream", "count", "results", "cleanup"].map((n) => [n, 0]),
            transcript(steps),
        );
        assert.strictEqual(
            steps[2].result.stdout,
            `ok    POST /api/vote through https://${host} accepted the test vote (202); GET /api/results gave cats=1 before it\n`,
        );
        assert.strictEqual(steps[5].result.stdout, `ok    GET /api/results through https://${host} counts cats=2 (was 1)\n`);
        assert.strictEqual(steps[6].result.stdout, "ok    removed 2 test vote(s) and restored the counts\n");
    });

    it("fails the prod smoke and end-to-end Jobs, naming the mismatch, when the certificate is for another host name", async () => {
        const other = pki.server("public-ca", "other.example.net");
        const refused = `curl: (60) SSL: no alternative certificate subject name matches target host name '${host}'`;
        const before = Number(stack.pg.sql("votes", "SELECT count(*) FROM vote_events"));
        const smoke = await runJob("verify-smoke", other);
        assert.deepStrictEqual(
            [smoke.map((s) => s.name), smoke[0].result.code, smoke[0].result.stdout.trim().split("\n")],
            [
                ["http"],
                1,
                [
                    `FAIL  the frontend serves the UI: GET / answered 000: ${refused}`,
                    `FAIL  GET /api/health answered 000: ${refused}`,
                    "ok    GET /ready is ok: the API reaches PostgreSQL and Redis",
                    `FAIL  GET /api/results answered 000 without a count for cats: ${refused}`,
                    "smoke: 3 check(s) failed",
                ],
            ],
        );
        const e2e = await runJob("verify-e2e", other);
        assert.deepStrictEqual(
            [e2e.map((s) => s.name).at(-1), e2e.at(-1)!.result.code, e2e.at(-1)!.result.stdout],
            ["vote", 1, `FAIL  GET /api/results through https://${host} answered 000 without a count for cats: ${refused}\n`],
        );
        assert.strictEqual(Number(stack.pg.sql("votes", "SELECT count(*) FROM vote_events")), before, "no vote went through");
    });

    it("fails the prod smoke and end-to-end Jobs when a CA the image does not trust signed the certificate, and sends no vote", async () => {
        const rogue = pki.server("rogue-ca", host);
        const refused = "curl: (60) SSL certificate problem: unable to get local issuer certificate";
        const before = Number(stack.pg.sql("votes", "SELECT count(*) FROM vote_events"));
        const smoke = await runJob("verify-smoke", rogue);
        assert.deepStrictEqual(
            [smoke.map((s) => s.name), smoke[0].result.code, smoke[0].result.stdout.trim().split("\n")],
            [
                ["http"],
                1,
                [
                    `FAIL  the frontend serves the UI: GET / answered 000: ${refused}`,
                    `FAIL  GET /api/health answered 000: ${refused}`,
                    "ok    GET /ready is ok: the API reaches PostgreSQL and Redis",
                    `FAIL  GET /api/results answered 000 without a count for cats: ${refused}`,
                    "smoke: 3 check(s) failed",
                ],
            ],
        );
        const e2e = await runJob("verify-e2e", rogue);
        assert.deepStrictEqual(
            [e2e.at(-1)!.name, e2e.at(-1)!.result.code, e2e.at(-1)!.result.stdout],
            ["vote", 1, `FAIL  GET /api/results through https://${host} answered 000 without a count for cats: ${refused}\n`],
        );
        // The same certificate passes once its CA is trusted: the refusal was the trust store's, not the front's.
        const trustedRogue = await runJob("verify-smoke", rogue, { CURL_CA_BUNDLE: path.join(pki.dir, "rogue-ca.crt") });
        assert.deepStrictEqual(
            trustedRogue.map((s) => [s.name, s.result.code]),
            [
                ["http", 0],
                ["input", 0],
                ["consumer", 0],
            ],
            transcript(trustedRogue),
        );
        assert.strictEqual(Number(stack.pg.sql("votes", "SELECT count(*) FROM vote_events")), before + 1);
    });
});
