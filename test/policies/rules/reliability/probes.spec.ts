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

    it("flag identical liveness and readiness probes, and probes on undeclared ports", () => {
        const d = withChange(compliantDeployment(), (x) => (container(x).livenessProbe.httpGet.port = "metrics"));
        assert.deepStrictEqual(violations(requireDistinctValidProbes, d), [
            'Deployment voting-api/api: container "api" has a livenessProbe on port "metrics", which the container does not declare',
        ]);
        const same = withChange(compliantDeployment(), (x) => (container(x).readinessProbe = { ...container(x).livenessProbe }));
        assert.deepStrictEqual(violations(requireDistinctValidProbes, same), [
            'Deployment voting-api/api: container "api" has identical liveness and readiness probes: a busy pod would be restarted instead of taken out of rotation',
        ]);
        const numbered = withChange(compliantDeployment(), (x) => (container(x).readinessProbe.httpGet.port = 9000));
        assert.deepStrictEqual(violations(requireDistinctValidProbes, numbered), [
            'Deployment voting-api/api: container "api" has a readinessProbe on port 9000, which the container does not declare',
        ]);
    });
});
