import * as assert from "assert";
import { AWAIT_READS } from "../../../components/rbac/accessRoles";
import { isClusterScoped, namespaceOf, type K8sObject } from "../../../policies/lib/k8s";
import { kubernetesObjects } from "../../../tools/lib/render";
import { rendered } from "../../helpers/render";
import { renderVariant } from "../../helpers/variant";

interface Rule {
    apiGroups?: string[];
    resources?: string[];
    verbs?: string[];
    resourceNames?: string[];
}

/** RBAC's plural for each kind the stacks render, written out here so that a wrong plural in the program shows. */
const RESOURCES: Record<string, string> = {
    ConfigMap: "configmaps",
    LimitRange: "limitranges",
    Namespace: "namespaces",
    ResourceQuota: "resourcequotas",
    Secret: "secrets",
    Service: "services",
    ServiceAccount: "serviceaccounts",
    Deployment: "deployments",
    StatefulSet: "statefulsets",
    HorizontalPodAutoscaler: "horizontalpodautoscalers",
    Job: "jobs",
    CronJob: "cronjobs",
    PodDisruptionBudget: "poddisruptionbudgets",
    NetworkPolicy: "networkpolicies",
    Ingress: "ingresses",
    Role: "roles",
    RoleBinding: "rolebindings",
    ClusterRole: "clusterroles",
    ClusterRoleBinding: "clusterrolebindings",
    PriorityClass: "priorityclasses",
    StorageClass: "storageclasses",
    Certificate: "certificates",
    Issuer: "issuers",
    ClusterIssuer: "clusterissuers",
    ExternalSecret: "externalsecrets",
    ClusterSecretStore: "clustersecretstores",
    ECRAuthorizationToken: "ecrauthorizationtokens",
    ScaledObject: "scaledobjects",
    TriggerAuthentication: "triggerauthentications",
    ServiceMonitor: "servicemonitors",
    PrometheusRule: "prometheusrules",
    AlertmanagerConfig: "alertmanagerconfigs",
    CiliumNetworkPolicy: "ciliumnetworkpolicies",
};
const APPLY = ["get", "list", "watch", "create", "update", "patch", "delete"];
const NAMESPACES = ["voting-frontend", "voting-api", "voting-consumer", "voting-data"];

const groupOf = (o: K8sObject) => (o.apiVersion?.includes("/") ? o.apiVersion.split("/")[0] : "");
function resourceOf(o: K8sObject): string {
    assert.ok(RESOURCES[o.kind], `the stack renders ${o.kind}; name its RBAC resource in this test`);
    return RESOURCES[o.kind];
}

/** Whether the rules allow a verb on a resource (and, for a named request, that name), as the RBAC authorizer decides. */
function allows(rules: Rule[], group: string, resource: string, verb: string, name?: string): boolean {
    return rules.some(
        (r) =>
            (r.apiGroups ?? []).some((g) => g === group || g === "*") &&
            (r.resources ?? []).some((x) => x === resource || x === "*") &&
            (r.verbs ?? []).some((v) => v === verb || v === "*") &&
            (!r.resourceNames?.length || (name !== undefined && r.resourceNames.includes(name))),
    );
}

/** Whether `holder` holds every permission `rules` grant, so RBAC lets it create a binding to them without `bind`. */
function holdsAll(holder: Rule[], rules: Rule[]): boolean {
    return rules.every((r) =>
        (r.apiGroups ?? []).every((g) =>
            (r.resources ?? []).every((res) =>
                (r.verbs ?? []).every((v) =>
                    r.resourceNames?.length ? r.resourceNames.every((n) => allows(holder, g, res, v, n)) : allows(holder, g, res, v),
                ),
            ),
        ),
    );
}

const role = (objs: K8sObject[], kind: string, name: string, ns?: string) =>
    objs.find((o) => o.kind === kind && o.metadata?.name === name && o.metadata?.namespace === ns)!;
const writes = (rules: Rule[]) => rules.filter((r) => (r.verbs ?? []).some((v) => ["create", "update", "patch", "delete"].includes(v)));

describe("AccessRoles (4.4.2, 6.5.1)", () => {
    it("binds developers to read-only, SRE to the namespace admin role and CI/CD to a deploy role in every voting namespace", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        for (const ns of NAMESPACES) {
            const bindings = objs.filter((o) => o.kind === "RoleBinding" && o.metadata?.namespace === ns);
            assert.deepStrictEqual(
                bindings
                    .map((b) => `${b.metadata?.name} -> ${b.roleRef.kind}/${b.roleRef.name} for ${b.subjects[0].kind}/${b.subjects[0].name}`)
                    .sort(),
                [
                    "voting-deployer -> Role/voting-deployer for ServiceAccount/voting-deployer",
                    "voting-developers -> Role/voting-developer for Group/voting-developers",
                    "voting-sre -> ClusterRole/admin for Group/voting-sre",
                ],
                ns,
            );
        }
        const clusterBindings = objs.filter((o) => o.kind === "ClusterRoleBinding");
        assert.deepStrictEqual(
            clusterBindings.map(
                (b) =>
                    `${b.metadata?.name} -> ${b.roleRef.kind}/${b.roleRef.name} for ${b.subjects[0].kind}/${b.subjects[0].namespace}/${b.subjects[0].name}`,
            ),
            ["voting-deployer-cluster -> ClusterRole/voting-deployer-cluster for ServiceAccount/voting-api/voting-deployer"],
        );
    });

    it("gives developers logs but no Secrets, no exec and no delete, and nothing the deployer does not hold", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        for (const ns of NAMESPACES) {
            const dev = role(objs, "Role", "voting-developer", ns);
            const flat = dev.rules.flatMap((r: Rule) => r.resources!.map((res) => `${res}:${r.verbs!.join(",")}`));
            assert.ok(flat.includes("pods/log:get"));
            assert.ok(
                flat.every((f: string) => !f.startsWith("secrets") && !f.startsWith("pods/exec") && !/create|update|patch|delete/.test(f)),
                flat.join(" "),
            );
            assert.ok(holdsAll(role(objs, "Role", "voting-deployer", ns).rules, dev.rules), ns);
        }
    });

    for (const stack of ["prod", "staging"]) {
        it(`lets CI/CD apply every object ${stack} renders in each namespace, and write nothing else`, async () => {
            const objs = kubernetesObjects(await rendered(stack));
            for (const ns of NAMESPACES) {
                const rules: Rule[] = role(objs, "Role", "voting-deployer", ns).rules;
                const here = objs.filter((o) => namespaceOf(o) === ns);
                for (const o of here)
                    for (const verb of APPLY) {
                        if (o.kind === "Secret" && ["list", "watch"].includes(verb)) continue;
                        assert.ok(
                            allows(rules, groupOf(o), resourceOf(o), verb, o.metadata?.name),
                            `${stack}: cannot ${verb} ${o.kind} ${ns}/${o.metadata?.name}`,
                        );
                    }
                const renderedHere = new Set(here.map((o) => `${groupOf(o)}/${resourceOf(o)}`));
                for (const r of writes(rules))
                    for (const res of r.resources!)
                        assert.ok(renderedHere.has(`${r.apiGroups![0]}/${res}`), `${stack} ${ns}: writes ${res}, which it does not render`);
                const reads = rules.filter((r) => !writes([r]).length).flatMap((r) => r.resources!.map((res) => `${r.apiGroups![0]}/${res}`));
                assert.deepStrictEqual(
                    reads.sort(),
                    [...AWAIT_READS.flatMap((a) => a.resources.map((res) => `${a.group}/${res}`)), "/pods/log"].sort(),
                );
            }
        });

        it(`lets CI/CD apply the cluster-scoped objects ${stack} renders, changing or deleting them by name only`, async () => {
            const objs = kubernetesObjects(await rendered(stack));
            const rules: Rule[] = role(objs, "ClusterRole", "voting-deployer-cluster").rules;
            const cluster = objs.filter((o) => isClusterScoped(o));
            assert.ok(cluster.length >= 8, `${cluster.length}`);
            for (const o of cluster) {
                for (const verb of APPLY)
                    assert.ok(allows(rules, groupOf(o), resourceOf(o), verb, o.metadata?.name), `cannot ${verb} ${o.kind} ${o.metadata?.name}`);
                for (const verb of ["update", "patch", "delete"])
                    assert.ok(!allows(rules, groupOf(o), resourceOf(o), verb, "another-name"), `${verb} ${o.kind} by any name`);
            }
            const renderedKinds = new Set(cluster.map((o) => `${groupOf(o)}/${resourceOf(o)}`));
            for (const r of rules)
                for (const res of r.resources!)
                    assert.ok(renderedKinds.has(`${r.apiGroups![0]}/${res}`), `grants ${res}, which ${stack} does not render`);
        });

        it(`never lets CI/CD bind, escalate, impersonate or exec in ${stack}, and needs bind only for the SRE's admin binding`, async () => {
            const objs = kubernetesObjects(await rendered(stack));
            const cannotBind: string[] = [];
            for (const ns of NAMESPACES) {
                const rules: Rule[] = role(objs, "Role", "voting-deployer", ns).rules;
                for (const verb of ["bind", "escalate", "impersonate", "*"])
                    assert.ok(
                        rules.every((r) => !r.verbs!.includes(verb)),
                        `${ns}: ${verb}`,
                    );
                assert.ok(
                    rules.every((r) => !r.resources!.includes("*") && !r.apiGroups!.includes("*") && !r.resources!.includes("pods/exec")),
                    ns,
                );
                for (const b of objs.filter((o) => o.kind === "RoleBinding" && namespaceOf(o) === ns)) {
                    const bound = b.roleRef.kind === "Role" ? role(objs, "Role", b.roleRef.name, ns) : undefined;
                    if (!bound || !holdsAll(rules, bound.rules)) cannotBind.push(`${ns}/${b.metadata?.name}`);
                }
            }
            assert.deepStrictEqual(
                cannotBind,
                NAMESPACES.map((ns) => `${ns}/voting-sre`),
            );
        });
    }

    for (const stack of ["prod", "staging"]) {
        it(`lets CI/CD apply what ${stack} renders outside the voting namespaces, and only that, through a deploy role there`, async () => {
            const objs = kubernetesObjects(await rendered(stack));
            const elsewhere = objs.filter((o) => !isClusterScoped(o) && !NAMESPACES.includes(namespaceOf(o)!));
            const namespaces = [...new Set(elsewhere.map((o) => namespaceOf(o)!))].sort();
            assert.deepStrictEqual(namespaces, stack === "prod" ? ["cert-manager", "monitoring"] : ["monitoring"]);
            for (const ns of namespaces) {
                const rules: Rule[] = role(objs, "Role", "voting-deployer", ns).rules;
                const here = elsewhere.filter((o) => namespaceOf(o) === ns);
                for (const o of here)
                    for (const verb of APPLY)
                        assert.ok(
                            allows(rules, groupOf(o), resourceOf(o), verb, o.metadata?.name),
                            `${stack}: cannot ${verb} ${o.kind} ${ns}/${o.metadata?.name}`,
                        );
                const renderedHere = new Set(here.map((o) => `${groupOf(o)}/${resourceOf(o)}`));
                for (const r of rules)
                    for (const res of r.resources!) assert.ok(renderedHere.has(`${r.apiGroups![0]}/${res}`), `${ns}: grants ${res}`);
                const bindings = here.filter((o) => o.kind === "RoleBinding");
                assert.deepStrictEqual(
                    bindings.map(
                        (b) =>
                            `${b.metadata?.name} -> ${b.roleRef.kind}/${b.roleRef.name} for ${b.subjects[0].kind}/${b.subjects[0].namespace}/${b.subjects[0].name}`,
                    ),
                    ["voting-deployer -> Role/voting-deployer for ServiceAccount/voting-api/voting-deployer"],
                );
            }
        });
    }

    for (const stack of ["prod", "staging"]) {
        it(`leaves to the cluster's creator only the add-on charts of the cluster ${stack} creates: every other Kubernetes resource is the platform's, which the deploy role covers`, async () => {
            const { resources } = await rendered(stack);
            const byKey = new Map(resources.map((r) => [r.key, r]));
            const ancestors = (key: string | undefined): string[] => {
                const r = key === undefined ? undefined : byKey.get(key);
                return r ? [r.type, ...ancestors(r.parent)] : [];
            };
            const outside = resources
                .filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("pulumi:providers:"))
                .filter((r) => !ancestors(r.parent).includes("voting:index:VotingPlatform"))
                .map((r) => `${r.type} ${r.name} (under ${ancestors(r.parent)[0]})`);
            assert.deepStrictEqual(
                outside,
                stack === "prod"
                    ? [
                          "kubernetes:helm.sh/v3:Release voting-cluster-autoscaler (under voting:cloud:AwsCluster)",
                          "kubernetes:helm.sh/v3:Release voting-cluster-calico (under voting:cloud:AwsCluster)",
                      ]
                    : [],
            );
        });
    }

    it("names every rule of prod's deploy role in cert-manager's namespace, where the data CA is issued: no Secret, no workload", async () => {
        const rules: Rule[] = role(kubernetesObjects(await rendered("prod")), "Role", "voting-deployer", "cert-manager").rules;
        assert.deepStrictEqual(
            rules.map((r) => `${r.apiGroups![0] || "core"}: ${r.resources!.join(" ")}: ${r.verbs!.join(" ")}`),
            [
                "cert-manager.io: certificates issuers: get list watch create update patch delete",
                "rbac.authorization.k8s.io: rolebindings roles: get list watch create update patch delete",
            ],
        );
    });

    it("gives CI/CD no verb on Secrets in prod, which renders none", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        assert.ok(!objs.some((o) => o.kind === "Secret"));
        for (const ns of NAMESPACES) {
            const rules: Rule[] = role(objs, "Role", "voting-deployer", ns).rules;
            for (const verb of APPLY) assert.ok(!allows(rules, "", "secrets", verb, "postgres-auth"), `${ns}: ${verb} secrets`);
        }
    });

    it("lets staging's CI/CD create Secrets and read or change only the ones staging renders", async () => {
        const objs = kubernetesObjects(await rendered("staging"));
        const rules: Rule[] = role(objs, "Role", "voting-deployer", "voting-data").rules;
        assert.deepStrictEqual(
            rules.filter((r) => r.resources!.includes("secrets")),
            [
                { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
                {
                    apiGroups: [""],
                    resources: ["secrets"],
                    resourceNames: ["postgres-auth", "redis-auth"],
                    verbs: ["get", "update", "patch", "delete"],
                },
            ],
        );
        assert.ok(!allows(rules, "", "secrets", "get", "data-ca"));
        assert.ok(!allows(rules, "", "secrets", "list"));
    });

    it("grants a kind as soon as the program renders it: Cilium L7 policies in voting-api", async () => {
        const objs = kubernetesObjects(
            await renderVariant("cilium-l7", (c) => {
                c["voting-platform:cni"] = "cilium";
                c["voting-platform:cluster"] = { create: false };
                c["voting-platform:kubernetes"] = { context: "voting-prod", cluster: "voting-prod" };
                c["voting-platform:features"].ciliumL7Policies = true;
            }),
        );
        const rules: Rule[] = role(objs, "Role", "voting-deployer", "voting-api").rules;
        assert.ok(allows(rules, "cilium.io", "ciliumnetworkpolicies", "patch"));
        assert.ok(!allows(role(objs, "Role", "voting-deployer", "voting-data").rules, "cilium.io", "ciliumnetworkpolicies", "patch"));
    });

    it("names every rule of prod's voting-data deploy role", async () => {
        const rules: Rule[] = role(kubernetesObjects(await rendered("prod")), "Role", "voting-deployer", "voting-data").rules;
        assert.deepStrictEqual(
            writes(rules).map((r) => `${r.apiGroups![0] || "core"}: ${r.resources!.join(" ")}`),
            [
                "core: configmaps limitranges resourcequotas serviceaccounts services",
                "apps: statefulsets",
                "batch: cronjobs",
                "cert-manager.io: certificates",
                "external-secrets.io: externalsecrets",
                "generators.external-secrets.io: ecrauthorizationtokens",
                "networking.k8s.io: networkpolicies",
                "policy: poddisruptionbudgets",
                "rbac.authorization.k8s.io: rolebindings roles",
            ],
        );
    });
});
