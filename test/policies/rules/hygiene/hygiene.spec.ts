import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disallowDuplicateEnv } from "../../../../policies/rules/hygiene/disallowDuplicateEnv";
import { disallowExposedServices } from "../../../../policies/rules/hygiene/disallowExposedServices";
import { requireJobLimits } from "../../../../policies/rules/hygiene/requireJobLimits";
import { requirePriorityClass } from "../../../../policies/rules/hygiene/requirePriorityClass";
import { requireRecommendedLabels } from "../../../../policies/rules/hygiene/requireRecommendedLabels";
import { requireSelectorMatchesTemplate } from "../../../../policies/rules/hygiene/requireSelectorMatchesTemplate";
import { requireServiceSelectsPods } from "../../../../policies/rules/hygiene/requireServiceSelectsPods";
import { asKind, compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const service = (selector: Record<string, string>, targetPort: unknown = "http"): K8sObject => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "api", namespace: "voting-api" },
    spec: { selector, ports: [{ name: "http", port: 8000, targetPort }] },
});

describe("peer-check policies (P.1, P.3–P.5, P.8, P.10, P.11)", () => {
    it("require-service-selects-pods accepts a Service whose selector and targetPort match a workload", () => {
        assert.deepStrictEqual(violations(requireServiceSelectsPods, [compliantDeployment(), service({ "app.kubernetes.io/name": "api" })]), []);
        assert.deepStrictEqual(
            violations(requireServiceSelectsPods, [compliantDeployment(), service({ "app.kubernetes.io/name": "api" }, 8000)]),
            [],
        );
    });

    it("require-service-selects-pods reports a selector that matches nothing and a targetPort no pod declares", () => {
        assert.deepStrictEqual(violations(requireServiceSelectsPods, [compliantDeployment(), service({ app: "api" })]), [
            'Service voting-api/api: selector {"app":"api"} matches no pods in voting-api',
        ]);
        assert.deepStrictEqual(violations(requireServiceSelectsPods, [compliantDeployment(), service({ "app.kubernetes.io/name": "api" }, 80)]), [
            "Service voting-api/api: targetPort 80 is not a port of the pods it selects",
        ]);
    });

    it("require-selector-matches-template refuses a missing or mismatched selector", () => {
        assert.deepStrictEqual(violations(requireSelectorMatchesTemplate, compliantDeployment()), []);
        assert.deepStrictEqual(
            violations(
                requireSelectorMatchesTemplate,
                withChange(compliantDeployment(), (x) => delete x.spec.selector),
            ),
            ["Deployment voting-api/api: has no selector; set spec.selector.matchLabels to the template's stable labels"],
        );
        assert.deepStrictEqual(
            violations(
                requireSelectorMatchesTemplate,
                withChange(compliantDeployment(), (x) => (x.spec.selector.matchLabels = { app: "web" })),
            ),
            ['Deployment voting-api/api: selector {"app":"web"} does not match its pod template labels'],
        );
    });

    it("require-job-limits asks no TTL of a Job the pack config names as replaced each release, and only of it", () => {
        const job = withChange(asKind("Job"), (x) => {
            x.metadata!.name = "verify-connectivity-a5f7611f";
            Object.assign(x.spec, { activeDeadlineSeconds: 300, backoffLimit: 0 });
        });
        const cfg = { replacedEachRelease: ["voting-api/verify-connectivity-*"] };
        assert.deepStrictEqual(violations(requireJobLimits, job, cfg), []);
        assert.deepStrictEqual(violations(requireJobLimits, job, { replacedEachRelease: ["voting-frontend/verify-connectivity-*"] }), [
            "Job voting-api/verify-connectivity-a5f7611f: sets no ttlSecondsAfterFinished; finished pods pile up",
        ]);
        const cron = withChange(asKind("CronJob"), (x) => {
            x.metadata!.name = "verify-connectivity-nightly";
            Object.assign(x.spec, { startingDeadlineSeconds: 60, concurrencyPolicy: "Forbid" });
            Object.assign(x.spec.jobTemplate.spec, { activeDeadlineSeconds: 300, backoffLimit: 0 });
        });
        assert.deepStrictEqual(violations(requireJobLimits, cron, cfg), [
            "CronJob voting-api/verify-connectivity-nightly: sets no ttlSecondsAfterFinished; finished pods pile up",
        ]);
    });

    it("require-job-limits accepts a bounded Job and reports what an unbounded CronJob lacks", () => {
        const job = withChange(asKind("Job"), (x) =>
            Object.assign(x.spec, { activeDeadlineSeconds: 300, backoffLimit: 4, ttlSecondsAfterFinished: 3600 }),
        );
        assert.deepStrictEqual(violations(requireJobLimits, job), []);
        const cron = withChange(asKind("CronJob"), (x) => (x.spec.jobTemplate.spec.template.spec.restartPolicy = "Always"));
        assert.deepStrictEqual(violations(requireJobLimits, cron), [
            "CronJob voting-api/api-cronjob: sets no activeDeadlineSeconds; a stuck run would never end",
            "CronJob voting-api/api-cronjob: sets no backoffLimit (Kubernetes retries 6 times); set it explicitly",
            "CronJob voting-api/api-cronjob: sets no ttlSecondsAfterFinished; finished pods pile up",
            'CronJob voting-api/api-cronjob: has restartPolicy "Always"; use OnFailure or Never',
            "CronJob voting-api/api-cronjob: sets no startingDeadlineSeconds; missed runs start late and in bursts",
            "CronJob voting-api/api-cronjob: allows overlapping runs; set concurrencyPolicy: Forbid",
        ]);
    });

    it("disallow-duplicate-env reports a variable defined twice", () => {
        const d = withChange(
            compliantDeployment(),
            (x) => (x.spec.template.spec.containers[0].env = [{ name: "A", value: "1" }, { name: "B" }, { name: "A", value: "2" }]),
        );
        assert.deepStrictEqual(violations(disallowDuplicateEnv, d), ['Deployment voting-api/api: container "api" defines env A more than once']);
    });

    it("disallow-exposed-services refuses NodePort, LoadBalancer and externalIPs unless excepted", () => {
        const lb = withChange(service({ app: "api" }), (x) => {
            x.spec.type = "LoadBalancer";
            x.spec.externalIPs = ["203.0.113.10"];
        });
        assert.deepStrictEqual(violations(disallowExposedServices, service({ app: "api" })), []);
        assert.deepStrictEqual(violations(disallowExposedServices, lb), [
            "Service voting-api/api: is a LoadBalancer, exposed outside the cluster; use ClusterIP behind the Ingress",
            "Service voting-api/api: sets externalIPs; remove them",
        ]);
        assert.deepStrictEqual(violations(disallowExposedServices, lb, { allowed: ["voting-api/api"] }), []);
    });

    it("require-priority-class asks long-running pods for a priority class", () => {
        assert.deepStrictEqual(violations(requirePriorityClass, compliantDeployment()), []);
        assert.deepStrictEqual(
            violations(
                requirePriorityClass,
                withChange(compliantDeployment(), (x) => delete x.spec.template.spec.priorityClassName),
            ),
            ["Deployment voting-api/api: sets no priorityClassName; name the platform's PriorityClass"],
        );
        assert.deepStrictEqual(violations(requirePriorityClass, asKind("Job")), []);
    });

    it("require-recommended-labels reports missing labels on the object and its pod template", () => {
        assert.deepStrictEqual(violations(requireRecommendedLabels, compliantDeployment()), []);
        const bare = withChange(compliantDeployment(), (x) => {
            x.metadata!.labels = { "app.kubernetes.io/name": "api" };
            delete x.spec.template.metadata.labels["app.kubernetes.io/part-of"];
        });
        assert.deepStrictEqual(violations(requireRecommendedLabels, bare), [
            "Deployment voting-api/api: lacks labels app.kubernetes.io/instance, app.kubernetes.io/component, app.kubernetes.io/part-of, app.kubernetes.io/managed-by",
            "Deployment voting-api/api: its pod template lacks labels app.kubernetes.io/part-of",
        ]);
    });
});
