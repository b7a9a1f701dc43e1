import * as assert from "assert";
import * as path from "path";
import { requireDefaultDenyEgress } from "../../../../policies/rules/network/requireDefaultDenyEgress";
import { requireDefaultDenyIngress } from "../../../../policies/rules/network/requireDefaultDenyIngress";
import { requireDnsEgress } from "../../../../policies/rules/network/requireDnsEgress";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { loadManifestFile } from "../../../../tools/lib/manifests";
import { PROJECT_ROOT } from "../../../../tools/lib/stackConfig";
import { asKind, compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const denyAll = (ns: string): K8sObject => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "default-deny", namespace: ns },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
});

const ORIGINAL_CHART = path.join(PROJECT_ROOT, "test", "fixtures", "original-chart", "network.yaml");

describe("require-default-deny-ingress (1.2.2)", () => {
    it("accepts a namespace whose pods sit behind a default-deny ingress policy", () => {
        assert.deepStrictEqual(
            violations(requireDefaultDenyIngress, [compliantDeployment(), denyAll("voting-api")], { namespaces: ["voting-api"] }),
            [],
        );
    });

    it("reports the pods no ingress policy selects", () => {
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [compliantDeployment()], { namespaces: [] }), [
            "Namespace voting-api has no default-deny ingress NetworkPolicy, and no policy with policyTypes Ingress selects the pods of Deployment api: they accept traffic from anywhere in the cluster",
        ]);
    });

    it("says a new pod would be open when a policy isolates every current pod but none selects all pods", () => {
        const partial = withChange(denyAll("voting-api"), (x) => (x.spec.podSelector = { matchLabels: { "app.kubernetes.io/name": "api" } }));
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [compliantDeployment(), partial], { namespaces: [] }), [
            "Namespace voting-api has no default-deny ingress NetworkPolicy: every current pod is ingress-isolated by a policy that selects it, but no policy selects all pods, so a new pod would not be",
        ]);
    });

    it("names only the pods left open when a policy selects some of them", () => {
        const partial = withChange(denyAll("voting-api"), (x) => (x.spec.podSelector = { matchLabels: { "app.kubernetes.io/name": "api" } }));
        const job = withChange(asKind("Job"), (x) => (x.spec.template.metadata.labels = { app: "migrate" }));
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [compliantDeployment(), job, partial], { namespaces: [] }), [
            "Namespace voting-api has no default-deny ingress NetworkPolicy, and no policy with policyTypes Ingress selects the pods of Job api-job: they accept traffic from anywhere in the cluster",
        ]);
    });

    it("refuses a namespace-wide policy whose rule admits everything", () => {
        const allowing = withChange(denyAll("voting-api"), (x) => (x.spec.ingress = [{}]));
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [compliantDeployment(), allowing], { namespaces: [] }), [
            "Namespace voting-api has no default-deny ingress: NetworkPolicy default-deny selects every pod and allows all ingress (a rule with no peers and no ports), so every pod there accepts traffic from anywhere",
        ]);
    });

    it("accepts a namespace-wide policy that admits only named peers: every pod is isolated, now and later", () => {
        const allowing = withChange(denyAll("voting-api"), (x) => (x.spec.ingress = [{ from: [{ podSelector: {} }], ports: [{ port: 8000 }] }]));
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [compliantDeployment(), allowing], { namespaces: [] }), []);
    });

    it("reads a null rule as one that admits everything, and drops a rule that is not an object", () => {
        const nullRule = withChange(denyAll("voting-api"), (x) => (x.spec.ingress = [null]));
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [compliantDeployment(), nullRule], { namespaces: [] }), [
            "Namespace voting-api has no default-deny ingress: NetworkPolicy default-deny selects every pod and allows all ingress (a rule with no peers and no ports), so every pod there accepts traffic from anywhere",
        ]);
        const text = withChange(denyAll("voting-api"), (x) => (x.spec.ingress = ["allow-all"]));
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [compliantDeployment(), text], { namespaces: [] }), []);
    });

    it("accepts a namespace-wide policy that admits the namespace's own pods on every port", () => {
        const sameNamespace = withChange(denyAll("voting-api"), (x) => (x.spec.ingress = [{ from: [{ podSelector: {} }] }]));
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [compliantDeployment(), sameNamespace], { namespaces: [] }), []);
    });

    it("reads an absent or null podSelector as one that selects every pod", () => {
        for (const podSelector of [undefined, null]) {
            const policy = withChange(denyAll("voting-api"), (x) => (x.spec.podSelector = podSelector));
            assert.deepStrictEqual(
                violations(requireDefaultDenyIngress, [compliantDeployment(), policy], { namespaces: [] }),
                [],
                String(podSelector),
            );
        }
    });

    it("names every workload left open, in one finding", () => {
        const job = withChange(asKind("Job"), (x) => (x.spec.template.metadata.labels = { app: "migrate" }));
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [compliantDeployment(), job], { namespaces: [] }), [
            "Namespace voting-api has no default-deny ingress NetworkPolicy, and no policy with policyTypes Ingress selects the pods of Deployment api, Job api-job: they accept traffic from anywhere in the cluster",
        ]);
    });

    it("does not count an egress-only policy", () => {
        const egressOnly = withChange(denyAll("voting-api"), (x) => (x.spec.policyTypes = ["Egress"]));
        assert.strictEqual(violations(requireDefaultDenyIngress, [compliantDeployment(), egressOnly], { namespaces: [] }).length, 1);
    });

    it("reports a declared namespace even before it runs pods, and says what a new pod would get", () => {
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, [], { namespaces: ["voting-data"] }), [
            "Namespace voting-data has no default-deny ingress NetworkPolicy: a pod created there would accept traffic from anywhere in the cluster",
        ]);
    });
});

describe("require-default-deny-egress (1.2.2)", () => {
    it("accepts a namespace with a default-deny egress policy", () => {
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, [compliantDeployment(), denyAll("voting-api")], { namespaces: [] }), []);
    });

    it("reports the pods that are not egress-isolated", () => {
        const ingressOnly = withChange(denyAll("voting-api"), (x) => (x.spec.policyTypes = ["Ingress"]));
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, [compliantDeployment(), ingressOnly], { namespaces: [] }), [
            "Namespace voting-api has no default-deny egress NetworkPolicy, and no policy with policyTypes Egress selects the pods of Deployment api: they can open connections anywhere",
        ]);
    });

    it("does not count a policy whose empty egress list leaves Egress out of its defaulted policyTypes", () => {
        const implicit = withChange(denyAll("voting-api"), (x) => {
            delete x.spec.policyTypes;
            x.spec.egress = [];
        });
        assert.strictEqual(violations(requireDefaultDenyEgress, [compliantDeployment(), implicit], { namespaces: [] }).length, 1);
    });

    it("says a new pod would be open when every current pod is isolated by a policy that selects only it", () => {
        const partial = withChange(denyAll("voting-api"), (x) => (x.spec.podSelector = { matchLabels: { "app.kubernetes.io/name": "api" } }));
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, [compliantDeployment(), partial], { namespaces: [] }), [
            "Namespace voting-api has no default-deny egress NetworkPolicy: every current pod is egress-isolated by a policy that selects it, but no policy selects all pods, so a new pod would not be",
        ]);
    });

    it("refuses a namespace-wide policy with an egress rule that opens everything", () => {
        const open = withChange(denyAll("voting-api"), (x) => (x.spec.egress = [{}]));
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, [compliantDeployment(), open], { namespaces: [] }), [
            "Namespace voting-api has no default-deny egress: NetworkPolicy default-deny selects every pod and allows all egress (a rule with no peers and no ports), so every pod there can open connections anywhere",
        ]);
    });

    it("accepts a namespace-wide policy whose egress rule allows some ports to anywhere", () => {
        const dnsAnywhere = withChange(denyAll("voting-api"), (x) => (x.spec.egress = [{ ports: [{ port: 53, protocol: "UDP" }] }]));
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, [compliantDeployment(), dnsAnywhere], { namespaces: [] }), []);
    });

    it("counts a Cilium policy that selects every endpoint for egress", () => {
        const cnp: K8sObject = {
            apiVersion: "cilium.io/v2",
            kind: "CiliumNetworkPolicy",
            metadata: { name: "deny", namespace: "voting-api" },
            spec: { endpointSelector: {}, egress: [{ toEndpoints: [{ matchLabels: { app: "db" } }] }] },
        };
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, [compliantDeployment(), cnp], { namespaces: [] }), []);
    });

    it("reports a declared namespace without pods by what a new pod could do", () => {
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, [], { namespaces: ["voting-data"] }), [
            "Namespace voting-data has no default-deny egress NetworkPolicy: a pod created there would be able to open connections anywhere",
        ]);
    });

    it("finds the original chart's pods egress-isolated (its DNS policy selects them all) and leaves the cut DNS to require-dns-egress", () => {
        const chart = loadManifestFile(ORIGINAL_CHART).objects.map((o) => o.object);
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, chart, { namespaces: [] }), []);
        assert.deepStrictEqual(violations(requireDnsEgress, chart), [
            "voting-api/api cannot resolve names: no egress rule allows kube-system DNS pods on 53/UDP and 53/TCP",
            "voting-data/postgres cannot resolve names: no egress rule allows kube-system DNS pods on 53/UDP and 53/TCP",
        ]);
        assert.deepStrictEqual(violations(requireDefaultDenyIngress, chart, { namespaces: [] }), [
            "Namespace voting-api has no default-deny ingress NetworkPolicy, and no policy with policyTypes Ingress selects the pods of Deployment api: they accept traffic from anywhere in the cluster",
            "Namespace voting-data has no default-deny ingress NetworkPolicy, and no policy with policyTypes Ingress selects the pods of StatefulSet postgres: they accept traffic from anywhere in the cluster",
        ]);
    });
});
