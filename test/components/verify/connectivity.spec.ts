import * as assert from "assert";
import { spawnSync } from "child_process";
import * as net from "net";
import { connectivityScript, connectivityTests, type ConnectivityTest } from "../../../components/verify/connectivity";
import { CONFIG_DEFAULTS } from "../../../config/schema";
import { resolveWorkloads } from "../../../config/workloads";
import { releaseSuffix } from "../../../components/release";
import { enforceTrafficMatrix } from "../../../policies/rules/network/enforceTrafficMatrix";
import { requireJobLimits } from "../../../policies/rules/hygiene/requireJobLimits";
import { kubernetesObjects, OFFLINE_RELEASE } from "../../../tools/lib/render";
import { declaredMatrix, declaredReleaseJobs } from "../../../tools/syncPackConfig";
import { violations } from "../../helpers/policy";
import { rendered } from "../../helpers/render";
import { renderVariant } from "../../helpers/variant";
import { freePort, requireBinary } from "../../helpers/servers";

const prod = resolveWorkloads({ environment: "prod", workloads: {} });
const monitoring = { features: { ...CONFIG_DEFAULTS.features, monitoring: true, verificationJobs: true, ciliumL7Policies: false } };

function run(tests: ConnectivityTest[], env: Record<string, string> = {}) {
    const r = spawnSync("bash", ["-c", connectivityScript(tests)], {
        env: { PATH: process.env.PATH ?? "", ATTEMPTS: "2", RETRY_SECONDS: "0", TIMEOUT: "2", ...env },
        encoding: "utf8",
    });
    return { code: r.status, stdout: r.stdout };
}

describe("post-deploy connectivity verification (8.2)", () => {
    it("tests the checklist's six allowed and three denied connections, and frontend → API", () => {
        const tests = connectivityTests(monitoring, prod);
        const flat = [...tests.entries()].flatMap(([source, ts]) => ts.map((t) => `${source}: ${t.name} ${t.kind} ${t.expect}`));
        assert.deepStrictEqual(flat.sort(), [
            "api: api -> kube-dns:53 dns open",
            "api: api -> postgres:5432 tcp open",
            "api: api -> redis:6379 tcp open",
            "consumer: consumer -> api:8000 tcp closed",
            "consumer: consumer -> kube-dns:53 dns open",
            "consumer: consumer -> postgres:5432 tcp open",
            "consumer: consumer -> redis:6379 tcp open",
            "frontend: frontend -> api:8000 tcp open",
            "frontend: frontend -> postgres:5432 tcp closed",
            "frontend: frontend -> redis:6379 tcp closed",
        ]);
        assert.deepStrictEqual(
            tests.get("api")!.find((t) => t.name === "api -> postgres:5432"),
            {
                name: "api -> postgres:5432",
                kind: "tcp",
                host: "postgres.voting-data.svc.cluster.local",
                port: 5432,
                expect: "open",
            },
        );
    });

    describe("its script, run for real", function () {
        let server: net.Server;
        let open: number;
        let closed: number;
        before(async function () {
            requireBinary(this, "bash", "bash");
            requireBinary(this, "timeout", "coreutils");
            requireBinary(this, "getent", "libc-bin");
            open = await freePort();
            closed = await freePort();
            server = net.createServer((s) => s.end()).listen(open, "127.0.0.1");
        });
        after(() => server?.close());

        it("passes when every result matches the matrix", () => {
            const r = run([
                { name: "a -> open", kind: "tcp", host: "127.0.0.1", port: open, expect: "open" },
                { name: "a -> closed", kind: "tcp", host: "127.0.0.1", port: closed, expect: "closed" },
                { name: "a -> dns", kind: "dns", host: "localhost", expect: "open" },
            ]);
            assert.deepStrictEqual(r, {
                code: 0,
                stdout: "ok    a -> open (open)\nok    a -> closed (closed)\nok    a -> dns (open)\n0 of 3 connectivity test(s) differ from the traffic matrix\n",
            });
        });

        it("fails, naming each difference, when a denied port answers or an allowed one does not", () => {
            const r = run([
                { name: "frontend -> redis", kind: "tcp", host: "127.0.0.1", port: open, expect: "closed" },
                { name: "api -> postgres", kind: "tcp", host: "127.0.0.1", port: closed, expect: "open" },
                { name: "api -> dns", kind: "dns", host: "no-such-host.invalid", expect: "open" },
            ]);
            assert.deepStrictEqual(r, {
                code: 1,
                stdout: "FAIL  frontend -> redis: open, expected closed\nFAIL  api -> postgres: closed, expected open\nFAIL  api -> dns: closed, expected open\n3 of 3 connectivity test(s) differ from the traffic matrix\n",
            });
        });
    });

    it("renders one Job per source, whose pod the source's NetworkPolicies select and its Deployment and budget do not, with no ports", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        const jobs = objs.filter(
            (o) => o.kind === "Job" && o.metadata?.name === `verify-connectivity-${releaseSuffix({ release: OFFLINE_RELEASE })}`,
        );
        assert.deepStrictEqual(jobs.map((j) => j.metadata?.namespace).sort(), ["voting-api", "voting-consumer", "voting-frontend"]);
        const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
            Object.entries(selector).every(([k, v]) => labels[k] === v);
        for (const job of jobs) {
            const ns = job.metadata!.namespace!;
            const inNs = (kind: string) => objs.filter((o) => o.kind === kind && o.metadata?.namespace === ns);
            const check = job.spec.template.metadata.labels as Record<string, string>;
            const deployment = inNs("Deployment").find((d) => d.metadata!.name === check["app.kubernetes.io/name"])!;
            const source = deployment.spec.template.metadata.labels as Record<string, string>;
            const sourcePolicies = inNs("NetworkPolicy").filter(
                (np) => Object.keys(np.spec.podSelector.matchLabels ?? {}).length > 0 && selects(np.spec.podSelector.matchLabels, source),
            );
            assert.ok(sourcePolicies.length >= 2, `${ns}: the source's ingress and egress policies`);
            for (const np of sourcePolicies) assert.ok(selects(np.spec.podSelector.matchLabels, check), `${ns}/${np.metadata!.name}`);
            for (const owner of [deployment, ...inNs("PodDisruptionBudget")]) {
                assert.strictEqual(selects(owner.spec.selector.matchLabels, check), false, `${owner.kind} ${ns}/${owner.metadata!.name}`);
            }
            assert.strictEqual(job.spec.template.spec.containers[0].ports, undefined);
            assert.deepStrictEqual([job.spec.backoffLimit, job.spec.template.spec.restartPolicy], [0, "Never"]);
        }
    });

    it("runs each Job as the namespace's verify-connectivity ServiceAccount, which carries no token", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        for (const job of objs.filter((o) => o.kind === "Job" && o.metadata?.name?.startsWith("verify-connectivity-"))) {
            assert.strictEqual(job.spec.template.spec.serviceAccountName, "verify-connectivity");
            const sa = objs.find(
                (o) => o.kind === "ServiceAccount" && o.metadata?.name === "verify-connectivity" && o.metadata.namespace === job.metadata?.namespace,
            );
            assert.strictEqual(sa?.automountServiceAccountToken, false, job.metadata?.namespace);
        }
    });

    it("names the Jobs after the release, so the next release creates new ones that the same pack config still judges", async () => {
        const objs = kubernetesObjects(await renderVariant("next-release", (c) => (c["voting-platform:release"] = "3f1c2a9")));
        const names = objs.filter((o) => o.kind === "Job").map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`);
        const suffix = releaseSuffix({ release: "3f1c2a9" });
        assert.notStrictEqual(suffix, releaseSuffix({ release: OFFLINE_RELEASE }));
        for (const ns of ["voting-frontend", "voting-api", "voting-consumer"]) assert.ok(names.includes(`${ns}/verify-connectivity-${suffix}`), ns);
        assert.deepStrictEqual(violations(enforceTrafficMatrix, objs, { ...declaredMatrix("prod") }), []);
        assert.deepStrictEqual(violations(requireJobLimits, objs, { replacedEachRelease: declaredReleaseJobs("prod") }), []);
    });

    it("sets no TTL, so the finished Job stays until the next release replaces it and Pulumi never finds it gone", async () => {
        const jobs = kubernetesObjects(await rendered("prod")).filter(
            (o) => o.kind === "Job" && o.metadata?.name?.startsWith("verify-connectivity-"),
        );
        assert.strictEqual(jobs.length, 3);
        for (const job of jobs) assert.strictEqual(job.spec.ttlSecondsAfterFinished, undefined);
    });

    it("runs after the workloads, the data layer and the policies exist", async () => {
        const res = (await rendered("prod")).resources.find((r) => r.key === "voting:verify:ConnectivityVerification::voting-verify");
        assert.ok(res);
        assert.ok(res.options.dependsOn.includes("kubernetes:apps/v1:Deployment::voting-api-deployment"));
        assert.ok(res.options.dependsOn.includes("kubernetes:apps/v1:StatefulSet::voting-postgres-statefulset"));
        assert.ok(res.options.dependsOn.some((d) => d.startsWith("kubernetes:networking.k8s.io/v1:NetworkPolicy::")));
    });
});
