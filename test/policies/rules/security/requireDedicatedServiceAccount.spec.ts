import * as assert from "assert";
import { podTemplate, namespaceOf, type K8sObject } from "../../../../policies/lib/k8s";
import { requireDedicatedServiceAccount, serviceAccountOf } from "../../../../policies/rules/security/requireDedicatedServiceAccount";
import { kubernetesObjects } from "../../../../tools/lib/render";
import { asKind, compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";
import { rendered } from "../../../helpers/render";

const withServiceAccount = (obj: K8sObject, name: string | undefined) =>
    withChange(obj, (x) => {
        const spec = podTemplate(x)!.spec;
        if (name === undefined) delete spec.serviceAccountName;
        else spec.serviceAccountName = name;
    });

describe("require-dedicated-service-account", () => {
    it("accepts workloads that each run as their own ServiceAccount", () => {
        assert.deepStrictEqual(violations(requireDedicatedServiceAccount, [compliantDeployment(), withServiceAccount(asKind("Job"), "migrate")]), []);
    });

    it("refuses a pod that leaves serviceAccountName unset", () => {
        assert.deepStrictEqual(violations(requireDedicatedServiceAccount, withServiceAccount(compliantDeployment(), undefined)), [
            "Deployment voting-api/api: runs as the namespace's default ServiceAccount (serviceAccountName unset); give it a ServiceAccount of its own",
        ]);
    });

    it("refuses a pod that names the default ServiceAccount, on every pod-bearing kind", () => {
        for (const kind of ["Pod", "Job", "CronJob", "StatefulSet", "DaemonSet"] as const) {
            assert.deepStrictEqual(violations(requireDedicatedServiceAccount, withServiceAccount(asKind(kind), "default")), [
                `${kind} voting-api/api-${kind.toLowerCase()}: runs as the namespace's default ServiceAccount (serviceAccountName: default); give it a ServiceAccount of its own`,
            ]);
        }
    });

    it("reads the deprecated serviceAccount field as Kubernetes does, and an empty name as unset", () => {
        const legacy = withChange(withServiceAccount(compliantDeployment(), undefined), (x) => (x.spec.template.spec.serviceAccount = "api"));
        assert.deepStrictEqual(serviceAccountOf(legacy.spec.template.spec), { name: "api", set: true });
        assert.deepStrictEqual(violations(requireDedicatedServiceAccount, legacy), []);
        assert.strictEqual(violations(requireDedicatedServiceAccount, withServiceAccount(compliantDeployment(), "")).length, 1);
    });

    it("refuses two workloads of a namespace that share one ServiceAccount, on each of them", () => {
        assert.deepStrictEqual(violations(requireDedicatedServiceAccount, [compliantDeployment(), asKind("CronJob")]), [
            "Deployment voting-api/api: shares ServiceAccount api with CronJob api-cronjob; give each workload its own",
            "CronJob voting-api/api-cronjob: shares ServiceAccount api with Deployment api; give each workload its own",
        ]);
    });

    it("names every other workload on the shared ServiceAccount", () => {
        assert.deepStrictEqual(violations(requireDedicatedServiceAccount, [compliantDeployment(), asKind("CronJob"), asKind("Job")]), [
            "Deployment voting-api/api: shares ServiceAccount api with CronJob api-cronjob, Job api-job; give each workload its own",
            "CronJob voting-api/api-cronjob: shares ServiceAccount api with Deployment api, Job api-job; give each workload its own",
            "Job voting-api/api-job: shares ServiceAccount api with Deployment api, CronJob api-cronjob; give each workload its own",
        ]);
    });

    it("does not count one name in two namespaces as shared", () => {
        const elsewhere = withChange(asKind("Job"), (x) => (x.metadata!.namespace = "voting-consumer"));
        assert.deepStrictEqual(violations(requireDedicatedServiceAccount, [compliantDeployment(), elsewhere]), []);
    });

    for (const [stack, count] of [
        ["prod", 22],
        ["staging", 21],
    ] as const) {
        it(`finds every pod of the rendered ${stack} stack on a ServiceAccount of its own that the stack creates without a token`, async () => {
            const objs = kubernetesObjects(await rendered(stack));
            assert.deepStrictEqual(violations(requireDedicatedServiceAccount, objs), []);
            const workloads = objs.filter((o) => podTemplate(o));
            assert.strictEqual(workloads.length, count);
            for (const w of workloads) {
                const name = serviceAccountOf(podTemplate(w)!.spec).name;
                const sa = objs.find((o) => o.kind === "ServiceAccount" && o.metadata?.name === name && namespaceOf(o) === namespaceOf(w));
                assert.strictEqual(sa?.automountServiceAccountToken, false, `${w.kind} ${w.metadata?.name}: ServiceAccount ${name}`);
            }
        });
    }
});
