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
