import * as assert from "assert";
import { requireDistinctValidProbes } from "../../../../policies/rules/reliability/requireDistinctValidProbes";
import { requireLivenessProbe } from "../../../../policies/rules/reliability/requireLivenessProbe";
import { requireReadinessProbe } from "../../../../policies/rules/reliability/requireReadinessProbe";
import { asKind, compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const container = (d: any) => d.spec.template.spec.containers[0];

describe("probe policies (2.1.1, 2.1.2, P.7)", () => {
    it("accept the compliant Deployment", () => {
        for (const rule of [requireLivenessProbe, requireReadinessProbe, requireDistinctValidProbes])
            assert.deepStrictEqual(violations(rule, compliantDeployment()), []);
    });

    it("refuse a long-running container without liveness or readiness probes", () => {
        const d = withChange(compliantDeployment(), (x) => {
            delete container(x).livenessProbe;
            delete container(x).readinessProbe;
        });
        assert.deepStrictEqual(violations(requireLivenessProbe, d), [
            'Deployment voting-api/api: container "api" has no liveness probe: add livenessProbe (e.g. httpGet /health)',
        ]);
        assert.deepStrictEqual(violations(requireReadinessProbe, d), [
            'Deployment voting-api/api: container "api" has no readiness probe: add readinessProbe (e.g. httpGet /ready)',
        ]);
    });

    it("refuse a liveness probe that restarts after a single failure", () => {
        const d = withChange(compliantDeployment(), (x) => (container(x).livenessProbe.failureThreshold = 1));
        assert.deepStrictEqual(violations(requireLivenessProbe, d), [
            'Deployment voting-api/api: container "api" restarts after 1 failed liveness probe(s); set livenessProbe.failureThreshold to at least 3',
        ]);
    });

    it("ask nothing of Jobs, CronJobs, completing Pods and init containers", () => {
        const strip = (x: any, spec: any) => {
            delete spec.containers[0].livenessProbe;
            delete spec.containers[0].readinessProbe;
            spec.initContainers = [{ name: "migrate", image: "m:1" }];
            return x;
        };
        const job = asKind("Job");
        strip(job, job.spec.template.spec);
        const cron = asKind("CronJob");
        strip(cron, cron.spec.jobTemplate.spec.template.spec);
        const pod = asKind("Pod");
        strip(pod, pod.spec);
        pod.spec.restartPolicy = "Never";
        for (const obj of [job, cron, pod]) {
            assert.deepStrictEqual(violations(requireLivenessProbe, obj), [], obj.kind);
            assert.deepStrictEqual(violations(requireReadinessProbe, obj), [], obj.kind);
        }
    });

    it("judge a restartable init container (a sidecar) like a container", () => {
        const d = withChange(
            compliantDeployment(),
            (x) => (x.spec.template.spec.initContainers = [{ name: "proxy", image: "p:1", restartPolicy: "Always" }]),
        );
        assert.deepStrictEqual(violations(requireLivenessProbe, d), [
            'Deployment voting-api/api: init container "proxy" has no liveness probe: add livenessProbe (e.g. httpGet /health)',
        ]);
    });

    it("flag probes on undeclared ports", () => {
        const d = withChange(compliantDeployment(), (x) => (container(x).livenessProbe.httpGet.port = "metrics"));
        assert.deepStrictEqual(violations(requireDistinctValidProbes, d), [
            'Deployment voting-api/api: container "api" has a livenessProbe on port "metrics", which the container does not declare',
        ]);
        const numbered = withChange(compliantDeployment(), (x) => (container(x).readinessProbe.httpGet.port = 9000));
        assert.deepStrictEqual(violations(requireDistinctValidProbes, numbered), [
            'Deployment voting-api/api: container "api" has a readinessProbe on port 9000, which the container does not declare',
        ]);
    });
});

describe("require-distinct-valid-probes (P.7)", () => {
    const SAME = (check: string) =>
        `Deployment voting-api/api: container "api" runs the same check for liveness and readiness (${check}): whatever takes the pod out of rotation also gets it restarted; let liveness check only that the process answers`;

    it("accepts liveness and readiness on different paths", () => {
        assert.deepStrictEqual(violations(requireDistinctValidProbes, compliantDeployment()), []);
    });

    it("refuses identical probes", () => {
        const same = withChange(compliantDeployment(), (x) => (container(x).readinessProbe = { ...container(x).livenessProbe }));
        assert.deepStrictEqual(violations(requireDistinctValidProbes, same), [SAME("httpGet /health on port 8000")]);
    });

    it("refuses the same httpGet check with other timings", () => {
        const timed = withChange(compliantDeployment(), (x) => {
            container(x).readinessProbe = {
                httpGet: { path: "/health", port: "http" },
                initialDelaySeconds: 10,
                periodSeconds: 5,
                failureThreshold: 1,
            };
        });
        assert.deepStrictEqual(violations(requireDistinctValidProbes, timed), [SAME("httpGet /health on port 8000")]);
    });

    it("sees a named port and its number as the same port", () => {
        const numbered = withChange(compliantDeployment(), (x) => (container(x).readinessProbe.httpGet = { path: "/health", port: 8000 }));
        assert.deepStrictEqual(violations(requireDistinctValidProbes, numbered), [SAME("httpGet /health on port 8000")]);
    });

    it("tells the schemes apart, and reads an unset scheme and path as HTTP and /", () => {
        const https = withChange(
            compliantDeployment(),
            (x) => (container(x).readinessProbe.httpGet = { path: "/health", port: "http", scheme: "HTTPS" }),
        );
        assert.deepStrictEqual(violations(requireDistinctValidProbes, https), []);
        const root = withChange(compliantDeployment(), (x) => {
            container(x).livenessProbe.httpGet = { port: "http", scheme: "HTTP" };
            container(x).readinessProbe.httpGet = { path: "/", port: 8000 };
        });
        assert.deepStrictEqual(violations(requireDistinctValidProbes, root), [SAME("httpGet / on port 8000")]);
    });

    it("compares exec commands, tcpSocket ports and grpc services", () => {
        const exec = (cmd: string) => ({ exec: { command: ["/bin/sh", "-c", cmd] } });
        const sameExec = withChange(compliantDeployment(), (x) => {
            container(x).livenessProbe = { ...exec("pg_isready"), periodSeconds: 10 };
            container(x).readinessProbe = { ...exec("pg_isready"), periodSeconds: 5 };
        });
        assert.deepStrictEqual(violations(requireDistinctValidProbes, sameExec), [SAME('exec ["/bin/sh","-c","pg_isready"]')]);
        const otherExec = withChange(sameExec, (x) => (container(x).readinessProbe = exec("psql -c 'SELECT 1'")));
        assert.deepStrictEqual(violations(requireDistinctValidProbes, otherExec), []);
        const tcp = withChange(compliantDeployment(), (x) => {
            container(x).livenessProbe = { tcpSocket: { port: "http" } };
            container(x).readinessProbe = { tcpSocket: { port: 8000 }, initialDelaySeconds: 10 };
        });
        assert.deepStrictEqual(violations(requireDistinctValidProbes, tcp), [SAME("tcpSocket on port 8000")]);
        const grpc = withChange(compliantDeployment(), (x) => {
            container(x).livenessProbe = { grpc: { port: 8000 } };
            container(x).readinessProbe = { grpc: { port: 8000, service: "ready" } };
        });
        assert.deepStrictEqual(violations(requireDistinctValidProbes, grpc), []);
    });

    it("accepts the same check on a workload the pack config allows, with its reason, and only there", () => {
        const same = withChange(compliantDeployment(), (x) => (container(x).readinessProbe = { ...container(x).livenessProbe }));
        const allowed = { sameCheckAllowed: { "voting-api/api": "a static server with no dependency" } };
        assert.deepStrictEqual(violations(requireDistinctValidProbes, same, allowed), []);
        const other = { sameCheckAllowed: { "voting-frontend/api": "another namespace" } };
        assert.deepStrictEqual(violations(requireDistinctValidProbes, same, other), [SAME("httpGet /health on port 8000")]);
    });

    it("still checks the ports of an allowed workload", () => {
        const d = withChange(compliantDeployment(), (x) => (container(x).livenessProbe.httpGet.port = "metrics"));
        assert.deepStrictEqual(violations(requireDistinctValidProbes, d, { sameCheckAllowed: { "voting-api/api": "reason" } }), [
            'Deployment voting-api/api: container "api" has a livenessProbe on port "metrics", which the container does not declare',
        ]);
    });
});
