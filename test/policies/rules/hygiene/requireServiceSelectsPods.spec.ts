import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireServiceSelectsPods } from "../../../../policies/rules/hygiene/requireServiceSelectsPods";
import { asKind, compliantDeployment, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const SELF = { "app.kubernetes.io/name": "api" };
const service = (selector: unknown, ports: unknown[] = [{ name: "http", port: 8000, targetPort: "http" }], namespace = "voting-api"): K8sObject => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "api", namespace },
    spec: { selector, ports },
});
const check = (...objs: K8sObject[]) => violations(requireServiceSelectsPods, objs);

describe(requireServiceSelectsPods.name, () => {
    it("accepts a Service whose selector and targetPort match a workload, by port name or number", () => {
        assert.deepStrictEqual(check(compliantDeployment(), service(SELF)), []);
        assert.deepStrictEqual(check(compliantDeployment(), service(SELF, [{ port: 80, targetPort: 8000 }])), []);
        assert.deepStrictEqual(check(compliantDeployment(), service(SELF, [{ port: 80, targetPort: "8000" }])), []);
    });

    it("takes the port as the targetPort when none is given", () => {
        assert.deepStrictEqual(check(compliantDeployment(), service(SELF, [{ port: 8000 }])), []);
        assert.deepStrictEqual(check(compliantDeployment(), service(SELF, [{ port: 80 }])), [
            "Service voting-api/api: targetPort 80 is not a port of the pods it selects",
        ]);
    });

    it("finds the pods of every kind that runs them", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(check(asKind(k), service(SELF)), [], k);
    });

    it("refuses a selector that matches no pods, or matches pods only in another namespace", () => {
        assert.deepStrictEqual(check(compliantDeployment(), service({ app: "api" })), [
            'Service voting-api/api: selector {"app":"api"} matches no pods in voting-api',
        ]);
        assert.deepStrictEqual(check(compliantDeployment(), service(SELF, undefined, "voting-frontend")), [
            'Service voting-frontend/api: selector {"app.kubernetes.io/name":"api"} matches no pods in voting-frontend',
        ]);
    });

    it("refuses each targetPort no selected pod declares", () => {
        assert.deepStrictEqual(
            check(
                compliantDeployment(),
                service(SELF, [
                    { port: 80, targetPort: 80 },
                    { port: 81, targetPort: "metrics" },
                    { port: 82, targetPort: "http" },
                ]),
            ),
            [
                "Service voting-api/api: targetPort 80 is not a port of the pods it selects",
                'Service voting-api/api: targetPort "metrics" is not a port of the pods it selects',
            ],
        );
    });

    it("asks nothing of Services without a selector, with an empty one, or of type ExternalName", () => {
        assert.deepStrictEqual(check(service(undefined)), []);
        assert.deepStrictEqual(check(service({})), []);
        assert.deepStrictEqual(check(withChange(service(SELF), (x) => (x.spec.type = "ExternalName"))), []);
    });

    it("accepts a Service with no ports, and finds a port on any of the workloads it selects", () => {
        assert.deepStrictEqual(
            check(
                compliantDeployment(),
                withChange(service(SELF), (x) => delete x.spec.ports),
            ),
            [],
        );
        const metrics = withChange(
            asKind("StatefulSet"),
            (x) => (x.spec.template.spec.containers[0].ports = [{ name: "metrics", containerPort: 9090 }]),
        );
        assert.deepStrictEqual(check(compliantDeployment(), metrics, service(SELF, [{ port: 9090, targetPort: "metrics" }])), []);
    });
});
