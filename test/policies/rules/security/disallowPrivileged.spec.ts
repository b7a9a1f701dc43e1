import * as assert from "assert";
import { disallowPrivileged } from "../../../../policies/rules/security/disallowPrivileged";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const container = (d: any) => d.spec.template.spec.containers[0];

describe(disallowPrivileged.name, () => {
    it("accepts the compliant pod on every kind that runs pods, and privileged: false", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(disallowPrivileged, asKind(k)), [], k);
        const off = withChange(compliantDeployment(), (x) => (container(x).securityContext.privileged = false));
        assert.deepStrictEqual(violations(disallowPrivileged, off), []);
    });

    it("refuses a privileged container on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.containers[0].securityContext.privileged = true))) {
            assert.deepStrictEqual(violations(disallowPrivileged, obj), [
                `${named(obj)}: container "api" runs privileged: set securityContext.privileged: false`,
            ]);
        }
    });

    it("refuses privileged init and ephemeral containers", () => {
        const d = withChange(compliantDeployment(), (x) => {
            x.spec.template.spec.initContainers = [{ name: "init", image: "i:1", securityContext: { privileged: true } }];
            x.spec.template.spec.ephemeralContainers = [{ name: "debug", image: "i:1", securityContext: { privileged: true } }];
        });
        assert.deepStrictEqual(violations(disallowPrivileged, d), [
            'Deployment voting-api/api: init container "init" runs privileged: set securityContext.privileged: false',
            'Deployment voting-api/api: ephemeral container "debug" runs privileged: set securityContext.privileged: false',
        ]);
    });

    it("judges the pods of a PodTemplate, an Argo Rollout and any kind whose spec.template.spec holds containers", () => {
        const template = withChange(compliantDeployment(), (x) => (container(x).securityContext.privileged = true)).spec.template;
        const objects = [
            { apiVersion: "v1", kind: "PodTemplate", metadata: { name: "t", namespace: "voting-api" }, template },
            { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", metadata: { name: "r", namespace: "voting-api" }, spec: { template } },
            { apiVersion: "serving.knative.dev/v1", kind: "Service", metadata: { name: "k", namespace: "voting-api" }, spec: { template } },
            {
                apiVersion: "example.com/v1",
                kind: "ScheduledTask",
                metadata: { name: "s", namespace: "voting-api" },
                spec: { jobTemplate: { spec: { template } } },
            },
        ];
        assert.deepStrictEqual(violations(disallowPrivileged, objects), [
            'PodTemplate voting-api/t: container "api" runs privileged: set securityContext.privileged: false',
            'Rollout voting-api/r: container "api" runs privileged: set securityContext.privileged: false',
            'Service voting-api/k: container "api" runs privileged: set securityContext.privileged: false',
            'ScheduledTask voting-api/s: container "api" runs privileged: set securityContext.privileged: false',
        ]);
    });

    it("takes a custom kind's spec.template for a pod template only when it holds containers", () => {
        const report = { apiVersion: "example.com/v1", kind: "Report", metadata: { name: "r", namespace: "voting-api" } };
        assert.deepStrictEqual(violations(disallowPrivileged, { ...report, spec: { template: { spec: { format: "pdf" } } } }), []);
        const template = { spec: { containers: [{ name: "run", image: "i:1", securityContext: { privileged: true } }] } };
        assert.deepStrictEqual(violations(disallowPrivileged, { ...report, spec: { template } }), [
            'Report voting-api/r: container "run" runs privileged: set securityContext.privileged: false',
        ]);
    });
});
