import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { enforceTrafficMatrix } from "../../../../policies/rules/network/enforceTrafficMatrix";
import { requireDefaultDenyEgress } from "../../../../policies/rules/network/requireDefaultDenyEgress";
import { requireDnsEgress } from "../../../../policies/rules/network/requireDnsEgress";
import { requireEnforcingCni } from "../../../../policies/rules/network/requireEnforcingCni";
import { requireNetworkPolicyTargets } from "../../../../policies/rules/network/requireNetworkPolicyTargets";
import { declaredMatrix } from "../../../../tools/syncPackConfig";
import { kubernetesObjects } from "../../../../tools/lib/render";
import { rendered } from "../../../helpers/render";
import { violations, withChange } from "../../../helpers/policy";

const prodObjects = async () => kubernetesObjects(await rendered("prod"));
/** The verification Job of a namespace, as the offline render names it. */
const VERIFY = (ns: string) => `${ns}/verify-connectivity`;
const without = (objs: K8sObject[], kind: string, namespace: string, name: string) =>
    objs.filter((o) => !(o.kind === kind && o.metadata?.namespace === namespace && o.metadata?.name === name));

describe("network policies of the pack on the rendered prod stack (1.2.1–1.2.5)", () => {
    it("accept the rendered prod stack: matrix, DNS, targets, default-deny both ways, CNI", async () => {
        const objs = await prodObjects();
        assert.deepStrictEqual(violations(enforceTrafficMatrix, objs, { ...declaredMatrix("prod") }), []);
        for (const rule of [requireDnsEgress, requireNetworkPolicyTargets, requireDefaultDenyEgress, requireEnforcingCni])
            assert.deepStrictEqual(violations(rule, objs), [], rule.name);
    });

    it("enforce-traffic-matrix names a declared flow that a missing rule cuts, and the side that cuts it", async () => {
        const objs = without(await prodObjects(), "NetworkPolicy", "voting-api", "allow-egress-from-api");
        const found = violations(enforceTrafficMatrix, objs, { ...declaredMatrix("prod") });
        assert.deepStrictEqual(found, [
            "voting-api/api → voting-data/postgres:5432 is declared but denied: no egress rule in voting-api allows it",
            "voting-api/api → voting-data/redis:6379 is declared but denied: no egress rule in voting-api allows it",
            "voting-api/api → voting-api/otel-collector:4317 is declared but denied: no egress rule in voting-api allows it",
            `${VERIFY("voting-api")} → voting-data/postgres:5432 is declared but denied: no egress rule in voting-api allows it`,
            `${VERIFY("voting-api")} → voting-data/redis:6379 is declared but denied: no egress rule in voting-api allows it`,
            `${VERIFY("voting-api")} → voting-api/otel-collector:4317 is declared but denied: no egress rule in voting-api allows it`,
        ]);
    });

    it("enforce-traffic-matrix refuses a denied flow that a broad rule opens, and (strict) any undeclared one", async () => {
        const objs = (await prodObjects()).map((o) =>
            o.kind === "NetworkPolicy" && o.metadata?.name === "allow-ingress-to-redis"
                ? withChange(o, (x) => x.spec.ingress.push({ from: [{ namespaceSelector: {} }] }))
                : o.kind === "NetworkPolicy" && o.metadata?.name === "allow-egress-from-frontend"
                  ? withChange(o, (x) =>
                        x.spec.egress.push({ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "voting-data" } } }] }),
                    )
                  : o,
        );
        // Frontend may now send to all of voting-data, but only Redis accepts it; Redis accepts anyone, but only
        // pods without egress isolation (outside the platform) can use that.
        assert.deepStrictEqual(violations(enforceTrafficMatrix, objs, { ...declaredMatrix("prod") }), [
            "voting-frontend/frontend → voting-data/redis:6379 must be denied but is allowed",
            `${VERIFY("voting-frontend")} → voting-data/redis:6379 is allowed but not declared in the traffic matrix`,
            "ingress-nginx/ingress-controller → voting-data/redis:6379 is allowed but not declared in the traffic matrix",
            "kube-system/kube-dns → voting-data/redis:6379 is allowed but not declared in the traffic matrix",
            "monitoring/prometheus → voting-data/redis:6379 is allowed but not declared in the traffic matrix",
            "monitoring/grafana → voting-data/redis:6379 is allowed but not declared in the traffic matrix",
            "monitoring/tempo → voting-data/redis:6379 is allowed but not declared in the traffic matrix",
        ]);
    });

    it("require-dns-egress reports a pod isolated for egress without DNS", async () => {
        const objs = without(await prodObjects(), "NetworkPolicy", "voting-consumer", "allow-dns-egress");
        assert.deepStrictEqual(violations(requireDnsEgress, objs), [
            "voting-consumer/stream-bootstrap cannot resolve names: no egress rule allows kube-system DNS pods on 53/UDP and 53/TCP",
            "voting-consumer/consumer cannot resolve names: no egress rule allows kube-system DNS pods on 53/UDP and 53/TCP",
            `${VERIFY("voting-consumer")} cannot resolve names: no egress rule allows kube-system DNS pods on 53/UDP and 53/TCP`,
        ]);
    });

    it("require-default-deny-egress keeps voting-data egress-isolated through its namespace-wide DNS policy alone", async () => {
        const objs = (await prodObjects()).map((o) =>
            o.kind === "NetworkPolicy" && o.metadata?.name === "default-deny" && o.metadata.namespace === "voting-data"
                ? withChange(o, (x) => (x.spec.policyTypes = ["Ingress"]))
                : o,
        );
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, objs), []);
    });

    it("require-default-deny-egress names the pods voting-data leaves egress-open without its default-deny and DNS policies", async () => {
        const objs = without(await prodObjects(), "NetworkPolicy", "voting-data", "allow-dns-egress").map((o) =>
            o.kind === "NetworkPolicy" && o.metadata?.name === "default-deny" && o.metadata.namespace === "voting-data"
                ? withChange(o, (x) => (x.spec.policyTypes = ["Ingress"]))
                : o,
        );
        assert.deepStrictEqual(violations(requireDefaultDenyEgress, objs), [
            "Namespace voting-data has no default-deny egress NetworkPolicy, and no policy with policyTypes Egress selects the pods of StatefulSet postgres, StatefulSet redis: they can open connections anywhere",
        ]);
    });

    it("require-enforcing-cni refuses a namespace on a CNI that does not enforce NetworkPolicy, or that declares none", async () => {
        const objs = (await prodObjects()).map((o) =>
            o.kind === "Namespace" && o.metadata?.name === "voting-api"
                ? withChange(o, (x) => (x.metadata!.annotations!["networking.voting-platform.io/cni"] = "flannel"))
                : o.kind === "Namespace" && o.metadata?.name === "voting-data"
                  ? withChange(o, (x) => delete x.metadata!.annotations)
                  : o,
        );
        assert.deepStrictEqual(violations(requireEnforcingCni, objs), [
            'Namespace voting-api runs on CNI "flannel", which does not enforce NetworkPolicy',
            "Namespace voting-data declares no CNI; annotate it networking.voting-platform.io/cni with the cluster's CNI",
        ]);
    });
});
