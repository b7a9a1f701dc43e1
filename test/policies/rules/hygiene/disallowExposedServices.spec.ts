import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { disallowExposedServices } from "../../../../policies/rules/hygiene/disallowExposedServices";
import { violations, withChange } from "../../../helpers/policy";

const service = (spec: Record<string, unknown> = {}, namespace?: string): K8sObject => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "api", ...(namespace ? { namespace } : {}) },
    spec: { selector: { app: "api" }, ports: [{ port: 80 }], ...spec },
});

describe(disallowExposedServices.name, () => {
    it("accepts ClusterIP, headless and ExternalName Services, and an empty externalIPs", () => {
        for (const spec of [{}, { type: "ClusterIP" }, { clusterIP: "None" }, { type: "ExternalName" }, { externalIPs: [] }]) {
            assert.deepStrictEqual(violations(disallowExposedServices, service(spec, "voting-api")), [], JSON.stringify(spec));
        }
    });

    it("refuses NodePort and LoadBalancer Services, and externalIPs", () => {
        for (const type of ["NodePort", "LoadBalancer"]) {
            assert.deepStrictEqual(violations(disallowExposedServices, service({ type }, "voting-api")), [
                `Service voting-api/api: is a ${type}, exposed outside the cluster; use ClusterIP behind the Ingress`,
            ]);
        }
        assert.deepStrictEqual(violations(disallowExposedServices, service({ type: "LoadBalancer", externalIPs: ["203.0.113.10"] }, "voting-api")), [
            "Service voting-api/api: is a LoadBalancer, exposed outside the cluster; use ClusterIP behind the Ingress",
            "Service voting-api/api: sets externalIPs; remove them",
        ]);
    });

    it("accepts a listed exception by namespace and name only, the default namespace included, and refuses a bare name in the pack config", () => {
        const lb = service({ type: "LoadBalancer" }, "voting-api");
        assert.deepStrictEqual(violations(disallowExposedServices, lb, { allowed: ["voting-api/api"] }), []);
        assert.strictEqual(violations(disallowExposedServices, lb, { allowed: ["voting-frontend/api"] }).length, 1);
        assert.throws(() => violations(disallowExposedServices, lb, { allowed: ["voting-frontend/api", "api"] }), {
            message: 'pack config gives policy "disallow-exposed-services" a bad setting: allowed[1] must match ^[^/\\s]+/[^/\\s]+$, not "api"',
        });
        assert.deepStrictEqual(violations(disallowExposedServices, service({ type: "NodePort" }), { allowed: ["default/api"] }), []);
    });

    it("judges only Services", () => {
        assert.deepStrictEqual(
            violations(
                disallowExposedServices,
                withChange(service({ type: "NodePort" }), (x) => (x.kind = "Endpoints")),
            ),
            [],
        );
    });
});
