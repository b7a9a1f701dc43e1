import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireAwaitedRollout, SKIP_AWAIT } from "../../../../policies/rules/operations/requireAwaitedRollout";
import { asKind, compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const annotated = (obj: K8sObject, value: unknown) =>
    withChange(obj, (x) => (x.metadata!.annotations = { ...x.metadata!.annotations, [SKIP_AWAIT]: value as string }));

const service: K8sObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "api", namespace: "voting-api" },
    spec: { selector: { app: "api" }, ports: [{ port: 8000 }] },
};

describe("require-awaited-rollout", () => {
    it("accepts objects without the annotation, and a value other than the string true, which leaves the wait on", () => {
        assert.deepStrictEqual(violations(requireAwaitedRollout, [compliantDeployment(), service]), []);
        for (const value of ["false", "True", "", "1"])
            assert.deepStrictEqual(violations(requireAwaitedRollout, annotated(compliantDeployment(), value)), [], value);
    });

    it("refuses skipAwait on a Deployment, a Service and every kind that runs pods", () => {
        assert.deepStrictEqual(violations(requireAwaitedRollout, annotated(compliantDeployment(), "true")), [
            'Deployment voting-api/api: sets pulumi.com/skipAwait: "true", so pulumi up reports success without waiting for it to be ready',
        ]);
        assert.deepStrictEqual(violations(requireAwaitedRollout, annotated(service, "true")), [
            'Service voting-api/api: sets pulumi.com/skipAwait: "true", so pulumi up reports success without waiting for it to be ready',
        ]);
        for (const kind of ["Pod", "Job", "CronJob", "StatefulSet", "DaemonSet"] as const)
            assert.strictEqual(violations(requireAwaitedRollout, annotated(asKind(kind), "true")).length, 1, kind);
    });

    it("reads annotations that are not strings as absent, as the API server would refuse them", () => {
        assert.deepStrictEqual(violations(requireAwaitedRollout, annotated(compliantDeployment(), true)), []);
    });

    it("blocks the registry's mutant of 7.5.1 on the rendered prod stack", async () => {
        assert.deepStrictEqual(await registryMutantBlockers("7.5.1", "the API's rollout is not awaited"), [
            'require-awaited-rollout: Deployment voting-api/api: sets pulumi.com/skipAwait: "true", so pulumi up reports success without waiting for it to be ready',
        ]);
    });
});
