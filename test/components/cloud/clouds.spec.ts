import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { evaluate, resolveRules, type PackConfig } from "../../../policies/lib/evaluate";
import { RULES } from "../../../policies/rules";
import { cloudResources, kubernetesObjects } from "../../../tools/lib/render";
import { PROJECT_ROOT } from "../../../tools/lib/stackConfig";
import { renderedOn, type Cloud } from "../../helpers/clouds";
import { validateAgainstSchema } from "../../helpers/schema";

const prodPack = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "policies", "config", "prod.json"), "utf8")) as PackConfig;

/** What each cloud's created cluster is, by the type token of the resource the pack judges. */
const CLUSTER_TYPES: Record<Cloud, string> = {
    aws: "aws:eks/cluster:Cluster",
    gcp: "gcp:container/cluster:Cluster",
    azure: "azure-native:containerservice:ManagedCluster",
};

const CLUSTER_COMPONENTS: Record<Cloud, string> = { aws: "AwsCluster", gcp: "GkeCluster", azure: "AksCluster" };

describe("prod on AWS, GCP and Azure", () => {
    for (const cloud of ["aws", "gcp", "azure"] as const) {
        for (const cluster of ["created", "existing"] as const) {
            it(`renders on ${cloud} with the cluster ${cluster}: every Kubernetes object valid, the whole pack with 0 violations`, async () => {
                const result = await renderedOn(cloud, cluster);
                const objects = kubernetesObjects(result);
                for (const obj of objects) await validateAgainstSchema(obj);
                const cloudSet = cloudResources(result).map((r) => ({ type: r.type, name: r.name, props: r.state }));
                assert.strictEqual(cloudSet.filter((r) => r.type === CLUSTER_TYPES[cloud]).length, cluster === "created" ? 1 : 0);
                const found = evaluate(resolveRules(RULES, prodPack), objects, cloudSet);
                assert.deepStrictEqual(
                    found.map((v) => `${v.level} ${v.policy}: ${v.message}`),
                    [],
                );
                // One Kubernetes provider: built from the created cluster's kubeconfig, or naming the existing cluster.
                const providers = result.resources.filter((r) => r.type === "pulumi:providers:kubernetes");
                assert.deepStrictEqual(
                    providers.map((p) => [p.parent, p.inputs.context]),
                    [cluster === "created" ? [`voting:cloud:${CLUSTER_COMPONENTS[cloud]}::voting-cluster`, undefined] : [undefined, "voting-prod"]],
                );
            });
        }
    }
});

describe("the collector's Azure connection strings (3.1.2, 6.1.1)", () => {
    it("stay in Key Vault on prod: an ExternalSecret reads them, and the entry expires within the rotation period", async () => {
        const result = await renderedOn("azure", "created");
        const objects = kubernetesObjects(result);
        assert.deepStrictEqual(
            objects.filter((o) => o.metadata?.name === "otel-collector-logs").map((o) => [o.kind, o.spec?.data]),
            [
                [
                    "ExternalSecret",
                    [
                        { secretKey: "APP_LOGS_CONNECTION_STRING", remoteRef: { key: "voting-prod-azure-created-logs", property: "app" } },
                        { secretKey: "AUDIT_LOGS_CONNECTION_STRING", remoteRef: { key: "voting-prod-azure-created-logs", property: "audit" } },
                    ],
                ],
            ],
        );
        const entry = cloudResources(result).find(
            (r) => r.type === "azure-native:keyvault:Secret" && r.state.secretName === "voting-prod-azure-created-logs",
        );
        assert.ok(entry, "the Key Vault entry is written");
        const { notBefore, expires } = (entry.state.properties as { attributes: { notBefore: number; expires: number } }).attributes;
        assert.strictEqual(expires - notBefore, 90 * 24 * 3600);
    });
});
