import * as assert from "assert";
import { requireDnsEgress } from "../../../../policies/rules/network/requireDnsEgress";
import { reportedOn, violations } from "../../../helpers/policy";
import { DNS_PEER, DNS_PORTS, changed, np, platform, without } from "./fixtures";

const cannot = (pod: string, what: string) => `${pod} cannot resolve names: no egress rule allows kube-system DNS pods on ${what}`;

describe(requireDnsEgress.name, () => {
    it("accepts pods that may reach kube-dns on 53 over UDP and TCP, and pods with no egress isolation", () => {
        assert.deepStrictEqual(violations(requireDnsEgress, platform()), []);
        const open = platform().filter((o) => o.kind !== "NetworkPolicy");
        assert.deepStrictEqual(violations(requireDnsEgress, open), []);
    });

    it("refuses an egress-isolated pod without DNS, on its workload", () => {
        const objs = without(platform(), "allow-dns", "voting-data");
        assert.deepStrictEqual(violations(requireDnsEgress, objs), [cannot("voting-data/postgres", "53/UDP and 53/TCP")]);
        assert.deepStrictEqual(reportedOn(requireDnsEgress, objs), ["Deployment voting-data/postgres"]);
    });

    it("names the one protocol that is missing", () => {
        const udp = changed(platform(), "allow-dns", "voting-api", (s) => (s.egress[0].ports = [{ port: 53, protocol: "UDP" }]));
        assert.deepStrictEqual(violations(requireDnsEgress, udp), [cannot("voting-api/api", "53/TCP")]);
        const tcp = changed(platform(), "allow-dns", "voting-api", (s) => (s.egress[0].ports = [{ port: 53 }]));
        assert.deepStrictEqual(violations(requireDnsEgress, tcp), [cannot("voting-api/api", "53/UDP")]);
    });

    it("refuses DNS allowed by a hand-set name label, which Kubernetes does not set", () => {
        const named = changed(
            platform(),
            "allow-dns",
            "voting-api",
            (s) => (s.egress[0].to = [{ ...DNS_PEER, namespaceSelector: { matchLabels: { name: "kube-system" } } }]),
        );
        assert.deepStrictEqual(violations(requireDnsEgress, named), [cannot("voting-api/api", "53/UDP and 53/TCP")]);
    });

    it("takes the DNS pods' namespace and labels from the pack config", () => {
        const cfg = { dnsNamespace: "dns", dnsLabels: { app: "coredns" } };
        assert.deepStrictEqual(violations(requireDnsEgress, platform(), cfg), [
            "voting-api/api cannot resolve names: no egress rule allows dns DNS pods on 53/UDP and 53/TCP",
            "voting-data/postgres cannot resolve names: no egress rule allows dns DNS pods on 53/UDP and 53/TCP",
        ]);
        const moved = platform().map((o) =>
            o.kind === "NetworkPolicy" && o.metadata?.name === "allow-dns"
                ? {
                      ...o,
                      spec: {
                          ...o.spec,
                          egress: [
                              {
                                  to: [
                                      {
                                          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "dns" } },
                                          podSelector: { matchLabels: { app: "coredns" } },
                                      },
                                  ],
                              },
                          ],
                      },
                  }
                : o,
        );
        assert.deepStrictEqual(violations(requireDnsEgress, moved, cfg), []);
    });

    it("does not ask the DNS pods to resolve through themselves", () => {
        const dnsIsolated = np("kube-system", "deny-all", { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{ ports: DNS_PORTS }] });
        assert.deepStrictEqual(violations(requireDnsEgress, [...platform(), dnsIsolated]), []);
    });
});
