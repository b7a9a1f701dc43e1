import * as assert from "assert";
import { spawnSync } from "child_process";
import { buildStreamBootstrapJob, STREAM_BOOTSTRAP_SCRIPT } from "../../../components/jobs/streamBootstrap";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";
import { requireBinary, startRedis, type RedisServer } from "../../helpers/servers";

function runScript(env: Record<string, string>) {
    const r = spawnSync("/bin/sh", ["-c", STREAM_BOOTSTRAP_SCRIPT], {
        env: { PATH: process.env.PATH ?? "", STREAM: "votes", GROUP: "vote-processors", ...env },
        encoding: "utf8",
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("stream bootstrap Job (7.3.1, 7.3.2)", () => {
    describe("its shell, against a real Redis", function () {
        let redis: RedisServer;
        before(async function () {
            requireBinary(this, "redis-server", "redis-server");
            requireBinary(this, "redis-cli", "redis-tools");
            redis = await startRedis();
        });
        after(() => redis?.stop());

        const cli = (...args: string[]) =>
            spawnSync("redis-cli", ["--no-auth-warning", "-u", redis.url, ...args], { encoding: "utf8" }).stdout.trim();

        it("creates stream votes with group vote-processors", () => {
            const r = runScript({ REDIS_URL: redis.url });
            assert.deepStrictEqual([r.code, r.stdout, r.stderr], [0, "created stream votes with consumer group vote-processors\n", ""]);
            assert.strictEqual(cli("XLEN", "votes"), "0");
            assert.match(cli("XINFO", "GROUPS", "votes"), /^name\nvote-processors\n/);
        });

        it("succeeds again on a second run, leaving the group as it was", () => {
            cli("XADD", "votes", "*", "option", "cats");
            const r = runScript({ REDIS_URL: redis.url });
            assert.deepStrictEqual([r.code, r.stdout], [0, "consumer group vote-processors already exists on stream votes\n"]);
            assert.strictEqual(cli("XLEN", "votes"), "1");
        });

        it("refuses a rediss:// URL without a CA certificate to verify the server with", () => {
            const r = runScript({ REDIS_URL: `rediss://default:x@127.0.0.1:${redis.port}/0` });
            assert.deepStrictEqual(
                [r.code, r.stdout, r.stderr],
                [2, "", "REDIS_URL is rediss:// but REDIS_CACERT names no readable CA certificate\n"],
            );
        });

        it("fails with Redis's reason when it cannot authenticate", () => {
            const r = runScript({ REDIS_URL: redis.url.replace(redis.password, "wrong-password"), ATTEMPTS: "2", RETRY_SECONDS: "0" });
            assert.strictEqual(r.code, 1);
            assert.match(r.stderr, /^redis did not accept XGROUP CREATE: .*WRONGPASS/);
        });
    });

    it("renders a hardened, bounded Job that reads REDIS_URL from the Secret", async () => {
        const job = kubernetesObjects(await rendered("prod")).find((o) => o.kind === "Job" && o.metadata?.name === "stream-bootstrap");
        assert.ok(job);
        assert.strictEqual(job.metadata?.namespace, "voting-consumer");
        assert.deepStrictEqual([job.spec.backoffLimit, job.spec.activeDeadlineSeconds, job.spec.ttlSecondsAfterFinished], [4, 300, 86400]);
        const c = job.spec.template.spec.containers[0];
        assert.deepStrictEqual(c.command, ["/bin/sh", "-c", STREAM_BOOTSTRAP_SCRIPT]);
        assert.deepStrictEqual(c.env[2], { name: "REDIS_URL", valueFrom: { secretKeyRef: { name: "app-connections", key: "REDIS_URL" } } });
        assert.strictEqual(c.image, "docker.io/library/redis:7.4.1-bookworm");
        assert.deepStrictEqual(c.env[3], { name: "REDIS_CACERT", value: "/tls/ca.crt" });
        assert.deepStrictEqual(c.volumeMounts[1], { name: "data-ca", mountPath: "/tls", readOnly: true });
    });

    it("verifies no CA in staging, whose Redis speaks plain TCP", async () => {
        const job = kubernetesObjects(await rendered("staging")).find((o) => o.kind === "Job" && o.metadata?.name === "stream-bootstrap")!;
        const c = job.spec.template.spec.containers[0];
        assert.deepStrictEqual(
            [c.env.map((e: { name: string }) => e.name), job.spec.template.spec.volumes.map((v: { name: string }) => v.name)],
            [["STREAM", "GROUP", "REDIS_URL"], ["tmp"]],
        );
    });

    it("runs before the consumer rolls out", async () => {
        const consumer = (await rendered("prod")).resources.find((r) => r.key === "kubernetes:apps/v1:Deployment::voting-consumer-deployment");
        assert.ok(consumer?.options.dependsOn.includes("kubernetes:batch/v1:Job::voting-stream-bootstrap-job"), JSON.stringify(consumer?.options));
    });

    it("pulls from a private registry with the configured secret", () => {
        const job = buildStreamBootstrapJob({
            namespace: "voting-consumer",
            stack: "prod",
            image: { repository: "docker.io/library/redis", tag: "7.4.1" },
            stream: "votes",
            group: "vote-processors",
            connectionSecret: "app-connections",
            imagePullSecret: "regcred",
        });
        const plain = JSON.parse(JSON.stringify(job));
        assert.deepStrictEqual(plain.spec.template.spec.imagePullSecrets, [{ name: "regcred" }]);
    });
});
