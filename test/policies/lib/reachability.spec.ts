import * as assert from "assert";
import { record, type K8sObject } from "../../../policies/lib/k8s";
import { KNOWN_OUTSIDE, connectionId, expandFlow, judgeFlow, modelOf, parseFlow, reachable } from "../../../policies/lib/matrix";
import {
    canConnect,
    ciliumAsNetworkPolicy,
    cidrContains,
    clusterOf,
    peerMatchesPod,
    podGroupsOf,
    policyTypes,
    portsAllow,
    reachableConnections,
    selects,
    type PodGroup,
} from "../../../policies/lib/reachability";
import { enforceTrafficMatrix } from "../../../policies/rules/network/enforceTrafficMatrix";
import { requireDnsEgress } from "../../../policies/rules/network/requireDnsEgress";
import { requireNetworkPolicyTargets } from "../../../policies/rules/network/requireNetworkPolicyTargets";
import { declaredMatrix } from "../../../tools/syncPackConfig";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";
import { violations } from "../../helpers/policy";

const ns = (name: string): K8sObject => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
const deployment = (
    namespace: string,
    name: string,
    port: number,
    labels: Record<string, string> = { "app.kubernetes.io/name": name },
): K8sObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: {
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name, image: `${name}:1`, ports: [{ name: "http", containerPort: port }] }] } },
    },
});
const np = (namespace: string, name: string, spec: Record<string, unknown>): K8sObject => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace },
    spec,
});

/** The original Helm chart's policies, as checklist.md describes their defects. */
function originalChart(): K8sObject[] {
    const namespaces = ["voting-frontend", "voting-api", "voting-consumer", "voting-data"];
    return [
        ...namespaces.map(ns),
        deployment("voting-frontend", "frontend", 8080),
        deployment("voting-api", "api", 8000),
        deployment("voting-consumer", "consumer", 8080),
        deployment("voting-data", "postgres", 5432),
        deployment("voting-data", "redis", 6379),
        ...namespaces.map((n) => np(n, "default-deny-ingress", { podSelector: {}, policyTypes: ["Ingress"] })),
        // DNS egress: isolates every pod for egress with DNS as the only allow, and selects kube-system by a `name` label.
        ...namespaces.map((n) =>
            np(n, "dns-egress", {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [
                    {
                        to: [{ namespaceSelector: { matchLabels: { name: "kube-system" } } }],
                        ports: [
                            { port: 53, protocol: "UDP" },
                            { port: 53, protocol: "TCP" },
                        ],
                    },
                ],
            }),
        ),
        // Data-layer allows name `app:` labels that no pod has.
        np("voting-data", "allow-postgres", {
            podSelector: { matchLabels: { app: "postgres" } },
            ingress: [
                {
                    from: [{ namespaceSelector: { matchLabels: { name: "voting-api" } }, podSelector: { matchLabels: { app: "api" } } }],
                    ports: [{ port: 5432 }],
                },
            ],
        }),
        // The frontend allow uses port 80 for a container that listens on 8080.
        np("voting-frontend", "allow-ingress-controller", {
            podSelector: { matchLabels: { "app.kubernetes.io/name": "frontend" } },
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ port: 80 }] }],
        }),
        np("voting-api", "allow-frontend", {
            podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } },
            ingress: [
                { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "voting-frontend" } } }], ports: [{ port: 8000 }] },
            ],
        }),
    ];
}

const CHART_MATRIX = {
    outside: [KNOWN_OUTSIDE["ingress-controller"], KNOWN_OUTSIDE["kube-dns"]],
    allowed: [
        "ingress-nginx/ingress-controller -> voting-frontend/frontend:8080/TCP",
        "voting-frontend/frontend -> voting-api/api:8000/TCP",
        "voting-api/api -> voting-data/postgres:5432/TCP",
        "voting-api/api -> voting-data/redis:6379/TCP",
        "voting-consumer/consumer -> voting-data/postgres:5432/TCP",
        "voting-consumer/consumer -> voting-data/redis:6379/TCP",
        "voting-api/api -> kube-system/kube-dns:53/UDP",
        "voting-consumer/consumer -> kube-system/kube-dns:53/UDP",
    ],
    denied: [
        "voting-frontend/frontend -> voting-data/redis:6379/TCP",
        "voting-frontend/frontend -> voting-data/postgres:5432/TCP",
        "voting-consumer/consumer -> voting-api/api:8000/TCP",
    ],
    strict: false,
};

describe("reachability analyzer", () => {
    it("finds every defect of the original chart's policies, which reading each policy alone does not", () => {
        const objs = originalChart();
        const targets = violations(requireNetworkPolicyTargets, objs);
        assert.ok(
            targets.includes('NetworkPolicy voting-data/allow-postgres: podSelector {"app":"postgres"} selects no pods in voting-data'),
            targets.join("\n"),
        );
        assert.ok(
            targets.includes(
                'NetworkPolicy voting-data/allow-postgres: ingress rule 1, peer 1 ({"namespaceSelector":{"matchLabels":{"name":"voting-api"}},"podSelector":{"matchLabels":{"app":"api"}}}) matches no pods',
            ),
        );
        assert.ok(
            targets.includes(
                "NetworkPolicy voting-frontend/allow-ingress-controller: ingress rule 1 allows port 80/TCP, which none of its selected pods listen on",
            ),
        );
        assert.ok(
            targets.includes(
                'NetworkPolicy voting-api/dns-egress: egress rule 1, peer 1 ({"namespaceSelector":{"matchLabels":{"name":"kube-system"}}}) matches no pods',
            ),
        );

        assert.deepStrictEqual(violations(enforceTrafficMatrix, objs, CHART_MATRIX), [
            "ingress-nginx/ingress-controller → voting-frontend/frontend:8080 is declared but denied: no ingress rule in voting-frontend allows it",
            "voting-frontend/frontend → voting-api/api:8000 is declared but denied: no egress rule in voting-frontend allows it",
            "voting-api/api → voting-data/postgres:5432 is declared but denied: no egress rule in voting-api allows it, and no ingress rule in voting-data allows it",
            "voting-api/api → voting-data/redis:6379 is declared but denied: no egress rule in voting-api allows it, and no ingress rule in voting-data allows it",
            "voting-consumer/consumer → voting-data/postgres:5432 is declared but denied: no egress rule in voting-consumer allows it, and no ingress rule in voting-data allows it",
            "voting-consumer/consumer → voting-data/redis:6379 is declared but denied: no egress rule in voting-consumer allows it, and no ingress rule in voting-data allows it",
            "voting-api/api → kube-system/kube-dns:53/UDP is declared but denied: no egress rule in voting-api allows it",
            "voting-consumer/consumer → kube-system/kube-dns:53/UDP is declared but denied: no egress rule in voting-consumer allows it",
        ]);
        const dns = violations(requireDnsEgress, objs);
        assert.ok(
            dns.includes("voting-api/api cannot resolve names: no egress rule allows kube-system DNS pods on 53/UDP and 53/TCP"),
            dns.join("\n"),
        );
    });

    it("require-network-policy-targets takes a port range up to endPort (inclusive) as covering the ports inside it", () => {
        const range = (port: number, endPort: number) =>
            np("voting-api", "range", {
                podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } },
                ingress: [{ from: [{ podSelector: {} }], ports: [{ port, endPort }] }],
            });
        const pods = [deployment("voting-api", "api", 8080)];
        assert.deepStrictEqual(violations(requireNetworkPolicyTargets, [...pods, range(8000, 9000)]), []);
        assert.deepStrictEqual(violations(requireNetworkPolicyTargets, [...pods, range(8000, 8080)]), []);
        assert.deepStrictEqual(violations(requireNetworkPolicyTargets, [...pods, range(9000, 9100)]), [
            "NetworkPolicy voting-api/range: ingress rule 1 allows port 9000-9100/TCP, which none of its selected pods listen on",
        ]);
    });

    it("reads JSON null as Go decodes it: a null ingress rule allows everything, a null peer matches nothing", () => {
        const pods = [deployment("voting-api", "api", 8000), deployment("voting-frontend", "frontend", 8080)];
        const deny = np("voting-api", "deny", { podSelector: {}, policyTypes: ["Ingress"] });
        const cluster = (extra: K8sObject[]) => clusterOf([...pods, deny, ...extra]);
        const [api, frontend] = cluster([]).pods;
        const port = api.ports[0];
        assert.strictEqual(canConnect(cluster([]), frontend, { pod: api }, port).allowed, false);
        const nullRule = np("voting-api", "open", { podSelector: {}, ingress: [null] });
        const c1 = cluster([nullRule]);
        assert.strictEqual(canConnect(c1, c1.pods[1], { pod: c1.pods[0] }, port).allowed, true);
        const nullPeer = np("voting-api", "peer", { podSelector: {}, ingress: [{ from: [null] }] });
        const c2 = cluster([nullPeer]);
        assert.strictEqual(canConnect(c2, c2.pods[1], { pod: c2.pods[0] }, port).allowed, false);
    });

    it("reports the rendered prod stack's reachable connections as exactly the declared matrix", async () => {
        const objects = kubernetesObjects(await rendered("prod"));
        const matrix = declaredMatrix("prod");
        const model = modelOf(objects, matrix);
        const got = reachable(model).map(connectionId).sort();
        const want = matrix.allowed
            .flatMap((f) => expandFlow(model, parseFlow(f)))
            .map(connectionId)
            .sort();
        assert.deepStrictEqual(got, want);
        for (const d of matrix.denied) assert.strictEqual(judgeFlow(model, parseFlow(d)).allowed, false, d);
        assert.deepStrictEqual(matrix.denied, [
            "voting-frontend/frontend -> voting-data/redis:6379/TCP",
            "voting-frontend/frontend -> voting-data/postgres:5432/TCP",
            "voting-consumer/consumer -> voting-api/api:8000/TCP",
        ]);
    });

    it("knows a Job renamed every release by its app.kubernetes.io/name label, and other workloads by name", () => {
        const pod = { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c" }] } };
        const groups = podGroupsOf([
            {
                apiVersion: "batch/v1",
                kind: "Job",
                metadata: { name: "verify-smoke-1a2b3c4d", namespace: "voting-api", labels: { "app.kubernetes.io/name": "verify-smoke" } },
                spec: { template: pod },
            },
            { apiVersion: "batch/v1", kind: "Job", metadata: { name: "one-off", namespace: "voting-api" }, spec: { template: pod } },
            {
                apiVersion: "apps/v1",
                kind: "Deployment",
                metadata: { name: "api", namespace: "voting-api", labels: { "app.kubernetes.io/name": "other" } },
                spec: { template: pod },
            },
        ]);
        assert.deepStrictEqual(
            groups.map((g) => g.id),
            ["voting-api/verify-smoke", "voting-api/one-off", "voting-api/api"],
        );
    });

    it("ANDs namespaceSelector and podSelector in one peer and ORs separate peers", () => {
        const objs = [
            ns("a"),
            { ...ns("b"), metadata: { name: "b", labels: { team: "x" } } },
            deployment("a", "web", 80, { app: "web" }),
            deployment("b", "web", 80, { app: "web" }),
            deployment("b", "db", 5432, { app: "db" }),
            np("b", "db", {
                podSelector: { matchLabels: { app: "db" } },
                ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "x" } }, podSelector: { matchLabels: { app: "web" } } }] }],
            }),
        ];
        const cluster = clusterOf(objs);
        const pod = (id: string) => cluster.pods.find((p) => p.id === id)!;
        const to = { pod: pod("b/db") };
        assert.strictEqual(canConnect(cluster, pod("b/web"), to, { port: 5432, protocol: "TCP" }).allowed, true);
        assert.strictEqual(canConnect(cluster, pod("a/web"), to, { port: 5432, protocol: "TCP" }).allowed, false, "namespace a lacks team=x");
        const ored = objs.slice(0, 5).concat(
            np("b", "db", {
                podSelector: { matchLabels: { app: "db" } },
                ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "x" } } }, { podSelector: { matchLabels: { app: "web" } } }] }],
            }),
        );
        const c2 = clusterOf(ored);
        assert.strictEqual(
            canConnect(c2, c2.pods.find((p) => p.id === "a/web")!, { pod: c2.pods.find((p) => p.id === "b/db")! }, { port: 5432, protocol: "TCP" })
                .allowed,
            false,
        );
        assert.strictEqual(
            canConnect(c2, c2.pods.find((p) => p.id === "b/web")!, { pod: c2.pods.find((p) => p.id === "b/db")! }, { port: 5432, protocol: "TCP" })
                .allowed,
            true,
        );
    });

    it("defaults policyTypes as the API server does: Egress only with at least one egress rule", () => {
        const base = [deployment("a", "web", 80, { app: "web" }), deployment("a", "db", 5432, { app: "db" })];
        const verdict = (spec: Record<string, unknown>) => {
            const c = clusterOf([...base, np("a", "p", { podSelector: { matchLabels: { app: "web" } }, ...spec })]);
            return canConnect(c, c.pods[0], { pod: c.pods[1] }, { port: 5432, protocol: "TCP" }).allowed;
        };
        assert.strictEqual(verdict({ egress: [] }), true, "an empty egress list does not isolate");
        assert.strictEqual(verdict({ egress: [{ ports: [{ port: 53, protocol: "UDP" }] }] }), false, "one egress rule isolates egress");
        assert.strictEqual(verdict({ policyTypes: ["Egress"] }), false, "declared Egress with no rules denies all egress");
        assert.strictEqual(verdict({ policyTypes: [], ingress: [] }), true, "an empty policyTypes defaults to Ingress only");
        assert.deepStrictEqual(policyTypes(np("a", "p", { egress: [{}] })), ["Ingress", "Egress"], "egress rules add Egress to Ingress");
    });

    it("resolves named ports on the destination, port ranges and protocols", () => {
        const dst: PodGroup = {
            id: "n/d",
            namespace: "n",
            labels: {},
            ports: [
                { name: "http", port: 8080, protocol: "TCP" },
                { name: "dns", port: 53, protocol: "UDP" },
            ],
        };
        assert.strictEqual(portsAllow([{ port: "http" }], { port: 8080, protocol: "TCP" }, dst.ports), true);
        assert.strictEqual(portsAllow([{ port: "http" }], { port: 8081, protocol: "TCP" }, dst.ports), false);
        assert.strictEqual(portsAllow([{ port: 8000, endPort: 8090 }], { port: 8080, protocol: "TCP" }, dst.ports), true);
        assert.strictEqual(portsAllow([{ port: 53 }], { port: 53, protocol: "UDP" }, dst.ports), false, "protocol defaults to TCP");
        assert.strictEqual(portsAllow([], { port: 1, protocol: "SCTP" }, dst.ports), true, "no ports means all");
    });

    it("matches ipBlock with except against addresses outside the pod network", () => {
        assert.strictEqual(cidrContains("10.0.0.0/8", "10.1.2.3"), true);
        assert.strictEqual(cidrContains("0.0.0.0/0", "52.1.2.3"), true);
        assert.strictEqual(cidrContains("10.0.0.0/8", "11.0.0.1"), false);
        const objs = [
            deployment("a", "backup", 80, { app: "backup" }),
            np("a", "egress", {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "169.254.0.0/16"] } }], ports: [{ port: 443 }] }],
            }),
        ];
        const cluster = clusterOf(objs);
        const src = cluster.pods[0];
        const s3 = { address: { id: "s3", ip: "52.95.1.1", ports: [{ port: 443, protocol: "TCP" as const }] } };
        const metadata = { address: { id: "imds", ip: "169.254.169.254", ports: [{ port: 443, protocol: "TCP" as const }] } };
        assert.strictEqual(canConnect(cluster, src, s3, { port: 443, protocol: "TCP" }).allowed, true);
        assert.strictEqual(canConnect(cluster, src, metadata, { port: 443, protocol: "TCP" }).allowed, false);
        assert.strictEqual(canConnect(cluster, src, s3, { port: 80, protocol: "TCP" }).allowed, false);
    });

    it("includes both ends of a port range, and nothing past them", () => {
        const tcp = (port: number) => ({ port, protocol: "TCP" as const });
        const range = [{ port: 8000, endPort: 8090 }];
        assert.deepStrictEqual(
            [7999, 8000, 8001, 8089, 8090, 8091].map((p) => portsAllow(range, tcp(p), [])),
            [false, true, true, true, true, false],
        );
        assert.strictEqual(portsAllow([{ port: "8000" }], tcp(8000), []), true, "a number written as a string");
        assert.strictEqual(portsAllow([{ protocol: "TCP" }], tcp(1), []), true, "a protocol with no port allows every port");
        assert.strictEqual(portsAllow([{ protocol: "UDP" }], tcp(1), []), false);
        assert.strictEqual(
            portsAllow([{ port: "http" }], tcp(8080), [{ name: "http", port: 8080, protocol: "UDP" }]),
            false,
            "a named port of another protocol",
        );
        assert.strictEqual(
            portsAllow([{ port: "http" }], tcp(8080), [{ name: "http", port: 9090, protocol: "TCP" }]),
            false,
            "a named port on another number",
        );
        const http = [{ name: "http", port: 8080, protocol: "TCP" as const }];
        assert.strictEqual(portsAllow([{ port: "metrics" }], tcp(8080), http), false, "a name the destination gives no port");
        assert.strictEqual(portsAllow([{ port: null, protocol: "TCP" }], tcp(1), []), true, "a null port is an absent one");
        assert.strictEqual(portsAllow([{ port: true }], tcp(1), []), false, "a port that is neither a number nor a name");
        for (const name of ["web2", "2web"]) {
            const named = [{ name, port: 8080, protocol: "TCP" as const }];
            assert.strictEqual(portsAllow([{ port: name }], tcp(8080), named), true, `${name} is a name`);
        }
    });

    it("matches a CIDR at its first and last address and at every prefix length, and refuses what is not an IPv4 address", () => {
        assert.deepStrictEqual(
            ["10.0.0.0", "10.255.255.255", "9.255.255.255", "11.0.0.0"].map((ip) => cidrContains("10.0.0.0/8", ip)),
            [true, true, false, false],
        );
        assert.strictEqual(cidrContains("192.168.1.7/32", "192.168.1.7"), true);
        assert.strictEqual(cidrContains("192.168.1.7/32", "192.168.1.8"), false);
        assert.strictEqual(cidrContains("192.168.1.7", "192.168.1.7"), true, "no length means /32");
        assert.strictEqual(cidrContains("192.168.1.0/25", "192.168.1.127"), true);
        assert.strictEqual(cidrContains("192.168.1.0/25", "192.168.1.128"), false);
        assert.strictEqual(cidrContains("128.0.0.0/1", "255.255.255.255"), true);
        assert.strictEqual(cidrContains("128.0.0.0/1", "127.255.255.255"), false);
        for (const [cidr, ip] of [
            ["10.0.0.0/33", "10.0.0.1"],
            ["10.0.0.0/-1", "10.0.0.1"],
            ["10.0.0/8", "10.0.0.1"],
            ["10.0.0.0/8", "10.0.0.256"],
            ["10.0.0.0/8", "10.0.0.-1"],
            ["10.0.0.0/8", "10.0.0.1.5"],
            ["10.0.0.0/8", "10.0.0.x"],
            ["0.0.0.0/0", "10.0.0.x"],
            ["0.0.0.0/0", "10.0.0.-1"],
            ["0.0.0.0/0", "10.0.0"],
            ["0.0.0.0/0", "not-an-address"],
            ["any/0", "10.0.0.1"],
        ]) {
            assert.strictEqual(cidrContains(cidr, ip), false, `${cidr} ${ip}`);
        }
        assert.strictEqual(cidrContains(undefined, "10.0.0.1"), false, "an ipBlock with no cidr");
        assert.strictEqual(cidrContains(10, "10.0.0.1"), false, "a cidr that is not text");
    });

    it("reads a CiliumNetworkPolicy as the NetworkPolicy of its L4 meaning", () => {
        const cnp: K8sObject = {
            apiVersion: "cilium.io/v2",
            kind: "CiliumNetworkPolicy",
            metadata: { name: "api-l7", namespace: "voting-api" },
            spec: {
                endpointSelector: { matchLabels: { app: "api" } },
                ingress: [
                    {
                        fromEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": "ingress-nginx", app: "controller" } }],
                        toPorts: [{ ports: [{ port: "8000", protocol: "TCP" }] }],
                    },
                ],
                egress: [{ toEndpoints: [{ matchLabels: { app: "db" } }], toPorts: [{ ports: [{ port: "postgres" }, {}] }] }],
            },
        };
        assert.deepStrictEqual(ciliumAsNetworkPolicy(cnp), {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: "api-l7", namespace: "voting-api" },
            spec: {
                podSelector: { matchLabels: { app: "api" } },
                policyTypes: ["Ingress", "Egress"],
                ingress: [
                    {
                        from: [
                            {
                                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } },
                                podSelector: { matchLabels: { app: "controller" } },
                            },
                        ],
                        ports: [{ port: 8000, protocol: "TCP" }],
                    },
                ],
                egress: [
                    {
                        to: [{ podSelector: { matchLabels: { app: "db" } } }],
                        ports: [
                            { port: "postgres", protocol: "TCP" },
                            { port: undefined, protocol: "TCP" },
                        ],
                    },
                ],
            },
        });
        const ingressOnly = ciliumAsNetworkPolicy({ ...cnp, spec: { ingress: [{}] } });
        assert.deepStrictEqual(ingressOnly.spec, { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [], ports: [] }] });
        assert.deepStrictEqual(ciliumAsNetworkPolicy({ kind: "CiliumNetworkPolicy", metadata: { name: "n" } }).spec, {
            podSelector: {},
            policyTypes: [],
        });
        const cluster = clusterOf([cnp, deployment("voting-api", "api", 8000, { app: "api" })]);
        assert.deepStrictEqual(
            cluster.policies.map((p) => p.kind),
            ["NetworkPolicy"],
        );
    });

    it("keeps only Ingress and Egress of a declared policyTypes list", () => {
        assert.deepStrictEqual(policyTypes(np("a", "p", { policyTypes: ["Egress", "Other"] })), ["Egress"]);
        assert.deepStrictEqual(policyTypes(np("a", "p", { policyTypes: ["Other"], egress: [{}] })), []);
    });

    it("matches a peer by namespace, by pods, or both, and never by an ipBlock or an empty peer", () => {
        const cluster = clusterOf([ns("a"), { ...ns("b"), metadata: { name: "b", labels: { team: "x" } } }]);
        const pod: PodGroup = { id: "b/web", namespace: "b", labels: { app: "web" }, ports: [] };
        const match = (peer: Record<string, unknown>, policyNs = "a") => peerMatchesPod(peer, policyNs, pod, cluster);
        assert.strictEqual(match({ namespaceSelector: { matchLabels: { team: "x" } } }), true);
        assert.strictEqual(match({ namespaceSelector: {} }), true);
        assert.strictEqual(
            match({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "b" } }, podSelector: { matchLabels: { app: "web" } } }),
            true,
        );
        assert.strictEqual(match({ namespaceSelector: { matchLabels: { team: "x" } }, podSelector: { matchLabels: { app: "db" } } }), false);
        assert.strictEqual(match({ podSelector: { matchLabels: { app: "web" } } }), false, "a podSelector alone means the policy's namespace");
        assert.strictEqual(match({ podSelector: { matchLabels: { app: "web" } } }, "b"), true);
        assert.strictEqual(match({ podSelector: {} }, "b"), true);
        assert.strictEqual(
            match({ namespaceSelector: null, podSelector: { matchLabels: { app: "web" } } }),
            false,
            "a null namespaceSelector is an absent one: the policy's namespace",
        );
        assert.strictEqual(match({}, "b"), false);
        assert.strictEqual(match({ ipBlock: { cidr: "0.0.0.0/0" }, podSelector: {} }, "b"), false);
    });
    it("selects pods of the policy's own namespace only", () => {
        const web = (namespace: string): PodGroup => ({ id: `${namespace}/web`, namespace, labels: { app: "web" }, ports: [] });
        const policy = np("a", "p", { podSelector: { matchLabels: { app: "web" } } });
        assert.deepStrictEqual([selects(policy, web("a")), selects(policy, web("b"))], [true, false]);
    });

    it("reads a null namespaceSelector as absent, so its podSelector picks pods of the policy's namespace only", () => {
        const objs = [
            deployment("a", "web", 80, { app: "web" }),
            deployment("b", "web", 80, { app: "web" }),
            deployment("a", "db", 5432, { app: "db" }),
            np("a", "db", {
                podSelector: { matchLabels: { app: "db" } },
                ingress: [{ from: [{ namespaceSelector: null, podSelector: { matchLabels: { app: "web" } } }] }],
            }),
        ];
        const cluster = clusterOf(objs);
        const pod = (id: string) => cluster.pods.find((p) => p.id === id)!;
        const db = { pod: pod("a/db") };
        assert.strictEqual(canConnect(cluster, pod("a/web"), db, { port: 5432, protocol: "TCP" }).allowed, true);
        assert.strictEqual(canConnect(cluster, pod("b/web"), db, { port: 5432, protocol: "TCP" }).allowed, false);
    });

    it("drops the items of a rule list that are not objects, as the API server's decoder does", () => {
        const objs = [
            deployment("a", "web", 80, { app: "web" }),
            deployment("a", "db", 5432, { app: "db" }),
            np("a", "db", { podSelector: { matchLabels: { app: "db" } }, ingress: ["allow-all"] }),
        ];
        const cluster = clusterOf(objs);
        assert.strictEqual(canConnect(cluster, cluster.pods[0], { pod: cluster.pods[1] }, { port: 5432, protocol: "TCP" }).allowed, false);
    });

    it("lets egress reach an external address through any one of a rule's ipBlock peers or a rule with no peers, never a pod selector", () => {
        const s3 = { address: { id: "s3", ip: "52.95.1.1", ports: [{ port: 443, protocol: "TCP" as const }] } };
        const https = { port: 443, protocol: "TCP" as const };
        const verdict = (egress: unknown[]) => {
            const cluster = clusterOf([
                deployment("a", "backup", 80, { app: "backup" }),
                np("a", "egress", { podSelector: {}, policyTypes: ["Egress"], egress }),
            ]);
            return canConnect(cluster, cluster.pods[0], s3, https);
        };
        const blocks = [{ ipBlock: { cidr: "10.0.0.0/8" } }, { ipBlock: { cidr: "52.0.0.0/8" } }];
        assert.deepStrictEqual(verdict([{ to: blocks }]), { allowed: true, reason: "" });
        assert.deepStrictEqual(verdict([{ ports: [{ port: 443 }] }]), { allowed: true, reason: "" });
        assert.deepStrictEqual(verdict([{ to: [{ podSelector: {} }, { namespaceSelector: {} }] }]), {
            allowed: false,
            reason: "no egress rule in a allows it",
        });
    });

    it("does not isolate a pod for ingress by a policy of type Egress only", () => {
        const objs = [
            deployment("a", "web", 80, { app: "web" }),
            deployment("a", "db", 5432, { app: "db" }),
            np("a", "db-egress", { podSelector: { matchLabels: { app: "db" } }, policyTypes: ["Egress"] }),
        ];
        const cluster = clusterOf(objs);
        assert.deepStrictEqual(canConnect(cluster, cluster.pods[0], { pod: cluster.pods[1] }, { port: 5432, protocol: "TCP" }), {
            allowed: true,
            reason: "",
        });
    });

    it("matches a peer's podSelector by its matchExpressions too", () => {
        const objs = [
            deployment("a", "web", 80, { app: "web" }),
            deployment("a", "batch", 80, { app: "batch" }),
            deployment("a", "db", 5432, { app: "db" }),
            np("a", "db", {
                podSelector: { matchLabels: { app: "db" } },
                ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["web"] }] } }] }],
            }),
        ];
        const cluster = clusterOf(objs);
        assert.deepStrictEqual(reachableConnections(cluster, (_, dst) => dst.id === "a/db").map(connectionId), ["a/web → a/db:5432"]);
    });

    it("admits a pod through any one of a rule's peers, for pods of the cluster and pods judged alone", () => {
        const objs = [
            { ...ns("b"), metadata: { name: "b", labels: { team: "x" } } },
            deployment("a", "web", 80, { app: "web" }),
            deployment("b", "batch", 80, { app: "batch" }),
            deployment("b", "db", 5432, { app: "db" }),
            np("b", "db", {
                podSelector: { matchLabels: { app: "db" } },
                ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "x" } } }, { podSelector: { matchLabels: { app: "web" } } }] }],
            }),
        ];
        const cluster = clusterOf(objs);
        const pod = (id: string) => cluster.pods.find((p) => p.id === id)!;
        const to = { pod: pod("b/db") };
        const pg = { port: 5432, protocol: "TCP" as const };
        assert.strictEqual(canConnect(cluster, pod("b/batch"), to, pg).allowed, true, "by its namespace only");
        assert.strictEqual(canConnect(cluster, pod("a/web"), to, pg).allowed, false);
        const alone = (namespace: string, app: string): PodGroup => ({ id: `${namespace}/${app}`, namespace, labels: { app }, ports: [] });
        assert.strictEqual(canConnect(cluster, alone("b", "cron"), to, pg).allowed, true, "a pod not in the cluster's list, by its namespace");
        assert.strictEqual(canConnect(cluster, alone("b", "web"), to, pg).allowed, true);
        assert.strictEqual(canConnect(cluster, alone("a", "cron"), to, pg).allowed, false);
    });

    it("keeps a peer written alike in two namespaces to each policy's own namespace, and never connects a pod to itself", () => {
        const sameNamespace = (n: string) => np(n, "same-namespace", { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] });
        const objs = [
            deployment("a", "web", 80),
            deployment("a", "db", 5432),
            deployment("b", "web", 80),
            deployment("b", "db", 5432),
            sameNamespace("a"),
            sameNamespace("b"),
        ];
        assert.deepStrictEqual(reachableConnections(clusterOf(objs), () => true).map(connectionId), [
            "a/web → a/db:5432",
            "a/db → a/web:80",
            "b/web → b/db:5432",
            "b/db → b/web:80",
        ]);
    });

    it("matches no pod with an ipBlock peer or an empty peer, not even in the policy's own namespace", () => {
        for (const from of [[{ ipBlock: { cidr: "0.0.0.0/0" } }], [null], [{ namespaceSelector: null, podSelector: null }]]) {
            const cluster = clusterOf([
                deployment("a", "web", 80),
                deployment("a", "db", 5432),
                np("a", "db", { podSelector: {}, ingress: [{ from }] }),
            ]);
            assert.deepStrictEqual(
                reachableConnections(cluster, () => true),
                [],
                JSON.stringify(from),
            );
        }
    });

    it("admits a rule's peers on that rule's ports only, and everyone through a rule with no peers", () => {
        const objs = [
            deployment("a", "web", 80, { app: "web" }),
            deployment("a", "scraper", 80, { app: "scraper" }),
            {
                ...deployment("a", "db", 5432, { app: "db" }),
                spec: {
                    selector: { matchLabels: { app: "db" } },
                    template: {
                        metadata: { labels: { app: "db" } },
                        spec: {
                            containers: [
                                {
                                    name: "db",
                                    ports: [
                                        { name: "pg", containerPort: 5432 },
                                        { name: "metrics", containerPort: 9187 },
                                    ],
                                },
                            ],
                        },
                    },
                },
            },
            np("a", "db", {
                podSelector: { matchLabels: { app: "db" } },
                ingress: [{ from: [{ podSelector: { matchLabels: { app: "web" } } }], ports: [{ port: 5432 }] }, { ports: [{ port: "metrics" }] }],
            }),
        ];
        const got = reachableConnections(clusterOf(objs), (_, dst) => dst.id === "a/db").map(connectionId);
        assert.deepStrictEqual(got, ["a/web → a/db:5432", "a/web → a/db:9187", "a/scraper → a/db:9187"]);
    });

    it("keeps a Namespace's labels when a workload shares its name", () => {
        const objs = [
            { ...ns("web"), metadata: { name: "web", labels: { team: "x" } } },
            deployment("web", "web", 80),
            deployment("db", "db", 5432),
            np("db", "db", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "x" } } }] }] }),
        ];
        const cluster = clusterOf(objs);
        assert.strictEqual(canConnect(cluster, cluster.pods[0], { pod: cluster.pods[1] }, { port: 5432, protocol: "TCP" }).allowed, true);
    });

    it("counts only the container ports the API server would accept: a numeric containerPort of TCP, UDP or SCTP", () => {
        const [group] = podGroupsOf([
            {
                ...deployment("a", "web", 80),
                spec: {
                    template: {
                        metadata: { labels: {} },
                        spec: {
                            initContainers: [{ name: "init", ports: [{ containerPort: 9000, protocol: "SCTP" }] }],
                            containers: [
                                {
                                    name: "web",
                                    ports: [
                                        { name: "http", containerPort: 8080 },
                                        { containerPort: 53, protocol: "UDP" },
                                        { name: "text", containerPort: "8081" },
                                        { name: "icmp", containerPort: 8082, protocol: "ICMP" },
                                    ],
                                },
                            ],
                        },
                    },
                },
            },
        ]);
        assert.deepStrictEqual(group.ports, [
            { name: "http", port: 8080, protocol: "TCP" },
            { port: 53, protocol: "UDP" },
            { port: 9000, protocol: "SCTP" },
        ]);
    });

    it("keeps a Cilium port name with digits at either end a name, and reads digits alone as a number", () => {
        const cnp: K8sObject = {
            apiVersion: "cilium.io/v2",
            kind: "CiliumNetworkPolicy",
            metadata: { name: "p", namespace: "a" },
            spec: { endpointSelector: {}, ingress: [{ toPorts: [{ ports: [{ port: "web2" }, { port: "2web" }, { port: "8000" }] }] }] },
        };
        assert.deepStrictEqual(record(ciliumAsNetworkPolicy(cnp).spec).ingress, [
            {
                from: [],
                ports: [
                    { port: "web2", protocol: "TCP" },
                    { port: "2web", protocol: "TCP" },
                    { port: 8000, protocol: "TCP" },
                ],
            },
        ]);
    });
});
