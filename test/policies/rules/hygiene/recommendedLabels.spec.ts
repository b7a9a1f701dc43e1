import * as assert from "assert";
import { RECOMMENDED_LABELS, requireRecommendedLabels } from "../../../../policies/rules/hygiene/requireRecommendedLabels";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { kubernetesObjects } from "../../../../tools/lib/render";
import { LABELS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";
import { rendered } from "../../../helpers/render";

const quota: K8sObject = {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "compute", namespace: "voting-api", labels: { ...LABELS } },
    spec: { hard: { pods: "10" } },
};

describe("require-recommended-labels (P.11)", () => {
    it("accepts an object of any kind that carries the five labels", () => {
        assert.deepStrictEqual(violations(requireRecommendedLabels, quota), []);
    });

    it("judges objects that run no pods: a quota without labels", () => {
        const bare = withChange(quota, (x) => delete x.metadata!.labels);
        assert.deepStrictEqual(violations(requireRecommendedLabels, bare), [
            `ResourceQuota voting-api/compute: lacks labels ${RECOMMENDED_LABELS.join(", ")}`,
        ]);
    });

    it("names the one label a NetworkPolicy lacks", () => {
        const np = withChange(quota, (x) => {
            x.apiVersion = "networking.k8s.io/v1";
            x.kind = "NetworkPolicy";
            x.metadata!.name = "default-deny";
            delete x.metadata!.labels!["app.kubernetes.io/instance"];
            x.spec = { podSelector: {} };
        });
        assert.deepStrictEqual(violations(requireRecommendedLabels, np), [
            "NetworkPolicy voting-api/default-deny: lacks labels app.kubernetes.io/instance",
        ]);
    });

    it("names a cluster-scoped object without a namespace, and counts an empty value as missing", () => {
        const issuer: K8sObject = {
            apiVersion: "cert-manager.io/v1",
            kind: "ClusterIssuer",
            metadata: { name: "letsencrypt", labels: { ...LABELS, "app.kubernetes.io/component": "" } },
            spec: {},
        };
        assert.deepStrictEqual(violations(requireRecommendedLabels, issuer), ["ClusterIssuer letsencrypt: lacks labels app.kubernetes.io/component"]);
    });

    for (const stack of ["prod", "staging"]) {
        it(`finds every object the ${stack} stack renders labelled, whatever its kind`, async () => {
            const objs = kubernetesObjects(await rendered(stack));
            const kinds = new Set(objs.map((o) => o.kind));
            for (const kind of ["ResourceQuota", "LimitRange", "NetworkPolicy", "Role", "RoleBinding", "Namespace", "Certificate"])
                assert.ok(kinds.has(kind), `${stack} renders no ${kind}`);
            assert.deepStrictEqual(violations(requireRecommendedLabels, objs), []);
        });
    }
});
