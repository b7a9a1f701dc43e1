import * as assert from "assert";
import { requireNetworkPolicyTargets } from "../../../../policies/rules/network/requireNetworkPolicyTargets";
import { violations } from "../../../helpers/policy";
import { changed, np, ns, platform } from "./fixtures";

const check = (objs = platform(), cfg?: Record<string, unknown>) => violations(requireNetworkPolicyTargets, objs, cfg);
const API = "NetworkPolicy voting-api/allow-api";
const PG = "NetworkPolicy voting-data/allow-postgres";

describe(requireNetworkPolicyTargets.name, () => {
    it("accepts policies whose selectors, peers and ports all match pods", () => {
        assert.deepStrictEqual(check(), []);
    });

    it("refuses a podSelector that selects no pods of its namespace", () => {
        const objs = changed(platform(), "allow-postgres", "voting-data", (s) => (s.podSelector = { matchLabels: { app: "postgres" } }));
        assert.deepStrictEqual(check(objs), [`${PG}: podSelector {"app":"postgres"} selects no pods in voting-data`]);
        const expr = changed(
            platform(),
            "allow-postgres",
            "voting-data",
            (s) => (s.podSelector = { matchExpressions: [{ key: "tier", operator: "Exists" }] }),
        );
        assert.deepStrictEqual(check(expr), [
            `${PG}: podSelector {"matchExpressions":[{"key":"tier","operator":"Exists"}]} selects no pods in voting-data`,
        ]);
    });

    it("refuses an ingress or egress peer that matches no pod, naming its rule and place", () => {
        const ingress = changed(platform(), "allow-postgres", "voting-data", (s) =>
            s.ingress[0].from.push({ podSelector: { matchLabels: { app: "api" } } }),
        );
        assert.deepStrictEqual(check(ingress), [`${PG}: ingress rule 1, peer 2 ({"podSelector":{"matchLabels":{"app":"api"}}}) matches no pods`]);
        const egress = changed(
            platform(),
            "allow-api",
            "voting-api",
            (s) => (s.egress[0].to = [{ namespaceSelector: { matchLabels: { name: "voting-data" } } }]),
        );
        assert.deepStrictEqual(check(egress), [
            `${API}: egress rule 1, peer 1 ({"namespaceSelector":{"matchLabels":{"name":"voting-data"}}}) matches no pods`,
        ]);
    });

    it("accepts peers that match a declared outside pod, and ipBlock peers", () => {
        const ipBlock = changed(platform(), "allow-api", "voting-api", (s) =>
            s.egress.push({ to: [{ ipBlock: { cidr: "10.0.0.0/8" } }], ports: [{ port: 443 }] }),
        );
        assert.deepStrictEqual(check(ipBlock), []);
        const DNS =
            '{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"kube-system"}},"podSelector":{"matchLabels":{"k8s-app":"kube-dns"}}}';
        const CONTROLLER =
            '{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"ingress-nginx"}},"podSelector":{"matchLabels":{"app.kubernetes.io/name":"ingress-nginx"}}}';
        assert.deepStrictEqual(check(platform(), { outside: [] }), [
            `NetworkPolicy voting-api/allow-dns: egress rule 1, peer 1 (${DNS}) matches no pods`,
            `NetworkPolicy voting-data/allow-dns: egress rule 1, peer 1 (${DNS}) matches no pods`,
            `${API}: ingress rule 1, peer 1 (${CONTROLLER}) matches no pods`,
        ]);
    });

    it("refuses an ingress port the selected pods do not listen on, by number, name or protocol", () => {
        const number = changed(platform(), "allow-postgres", "voting-data", (s) => (s.ingress[0].ports = [{ port: 80 }]));
        assert.deepStrictEqual(check(number), [`${PG}: ingress rule 1 allows port 80/TCP, which none of its selected pods listen on`]);
        const name = changed(platform(), "allow-api", "voting-api", (s) => (s.ingress[0].ports = [{ port: "metrics" }]));
        assert.deepStrictEqual(check(name), [`${API}: ingress rule 1 allows port "metrics"/TCP, which none of its selected pods listen on`]);
        const udp = changed(platform(), "allow-postgres", "voting-data", (s) => (s.ingress[0].ports = [{ port: 5432, protocol: "UDP" }]));
        assert.deepStrictEqual(check(udp), [`${PG}: ingress rule 1 allows port 5432/UDP, which none of its selected pods listen on`]);
        const asString = changed(platform(), "allow-postgres", "voting-data", (s) => (s.ingress[0].ports = [{ port: "5432" }, { protocol: "TCP" }]));
        assert.deepStrictEqual(check(asString), []);
    });

    it("reads a null port as every port, and refuses a port that is neither a number nor a name", () => {
        const nullPort = changed(platform(), "allow-postgres", "voting-data", (s) => (s.ingress[0].ports = [{ port: null, protocol: "TCP" }]));
        assert.deepStrictEqual(check(nullPort), []);
        const listed = changed(platform(), "allow-postgres", "voting-data", (s) => (s.ingress[0].ports = [{ port: [5432] }]));
        assert.deepStrictEqual(check(listed), [`${PG}: ingress rule 1 allows port [5432]/TCP, which none of its selected pods listen on`]);
    });

    it("refuses a peer that selects only a namespace without pods", () => {
        const peer = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "voting-batch" } } };
        const objs = changed([ns("voting-batch"), ...platform()], "allow-postgres", "voting-data", (s) => s.ingress[0].from.push(peer));
        assert.deepStrictEqual(check(objs), [`${PG}: ingress rule 1, peer 2 (${JSON.stringify(peer)}) matches no pods`]);
    });

    it("refuses an egress port its destination pods do not listen on: the egress port of a peer", () => {
        const objs = changed(platform(), "allow-api", "voting-api", (s) => (s.egress[0].ports = [{ port: 80 }]));
        assert.deepStrictEqual(check(objs), [`${API}: egress rule 1 allows port 80/TCP, which none of its destination pods listen on`]);
    });

    it("judges the ports of an egress rule with no peers against every pod", () => {
        const anyone = changed(platform(), "allow-api", "voting-api", (s) => s.egress.push({ ports: [{ port: 5432 }] }, { ports: [{ port: 1 }] }));
        assert.deepStrictEqual(check(anyone), [`${API}: egress rule 3 allows port 1/TCP, which none of its destination pods listen on`]);
    });

    it("does not judge the ports of a rule whose peers match nothing, twice", () => {
        const objs = changed(platform(), "allow-api", "voting-api", (s) => (s.egress[0].to = [{ podSelector: { matchLabels: { app: "nobody" } } }]));
        assert.deepStrictEqual(check(objs), [`${API}: egress rule 1, peer 1 ({"podSelector":{"matchLabels":{"app":"nobody"}}}) matches no pods`]);
    });

    it("accepts an empty podSelector in a namespace without pods", () => {
        assert.deepStrictEqual(
            check([np("empty", "default-deny", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ ports: [{ port: 1 }] }] })]),
            [],
        );
    });

    it("judges only NetworkPolicies", () => {
        const lookalike = { ...np("voting-api", "x", { podSelector: { matchLabels: { app: "nobody" } } }), kind: "Lookalike" };
        assert.deepStrictEqual(check([...platform(), lookalike]), []);
    });

    it("reads a port name with digits at either end as a name", () => {
        for (const name of ["pg5432", "5432pg"]) {
            const objs = platform().map((o) =>
                o.kind === "Deployment" && o.metadata?.name === "postgres"
                    ? {
                          ...o,
                          spec: {
                              ...o.spec,
                              template: { ...o.spec.template, spec: { containers: [{ name: "postgres", ports: [{ name, containerPort: 5432 }] }] } },
                          },
                      }
                    : o,
            );
            assert.deepStrictEqual(check(changed(objs, "allow-postgres", "voting-data", (s) => (s.ingress[0].ports = [{ port: name }]))), [], name);
        }
    });

    it("judges an egress rule's ports against its peers' pods only", () => {
        const objs = changed(platform(), "allow-api", "voting-api", (s) => (s.egress[0].ports = [{ port: 8000 }]));
        assert.deepStrictEqual(check(objs), [`${API}: egress rule 1 allows port 8000/TCP, which none of its destination pods listen on`]);
    });

    it("passes over rules that are not objects", () => {
        assert.deepStrictEqual(check(changed(platform(), "allow-postgres", "voting-data", (s) => s.ingress.unshift(null))), []);
    });
});
