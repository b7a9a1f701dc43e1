import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesProviderArgs } from "../../../components/cluster/provider";
import { awsProviderArgs, azureProviderArgs, gcpProviderArgs } from "../../../components/cloud/provider";
import type { RenderResult } from "../../../tools/lib/render";
import { writeRender } from "../../../tools/lib/writeRender";
import { rendered } from "../../helpers/render";
import { renderVariant } from "../../helpers/variant";

const K8S_PROVIDER = "pulumi:providers:kubernetes::voting-cluster";

/** Custom resources of a package, by the provider they are created with. */
function providersOf(result: RenderResult, pkg: string): Record<string, number> {
    const count: Record<string, number> = {};
    for (const r of result.resources.filter((x) => x.custom && x.type.startsWith(`${pkg}:`))) {
        const p = r.provider ?? "default provider";
        count[p] = (count[p] ?? 0) + 1;
    }
    return count;
}

const unwrap = <T>(o: pulumi.Input<T> | undefined): Promise<T | undefined> =>
    new Promise((resolve) => pulumi.output(o).apply((v) => resolve(v as T)));

describe("explicit providers", () => {
    for (const stack of ["prod", "staging"]) {
        it(`puts every Kubernetes resource of ${stack} on the stack's cluster provider, none on the default one`, async () => {
            const result = await rendered(stack);
            const k8sCount = result.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:")).length;
            assert.ok(k8sCount > 90, `only ${k8sCount} Kubernetes resources`);
            assert.deepStrictEqual(providersOf(result, "kubernetes"), { [K8S_PROVIDER]: k8sCount });
        });

        it(`puts every AWS resource of ${stack} on a provider pinned to the stack's region and account`, async () => {
            const result = await rendered(stack);
            const aws = result.resources.find((r) => r.key === "pulumi:providers:aws::voting-aws")!;
            assert.deepStrictEqual([aws.inputs.region, aws.inputs.allowedAccountIds], ["eu-west-1", '["123456789012"]']);
            const count = result.resources.filter((r) => r.custom && r.type.startsWith("aws:")).length;
            assert.deepStrictEqual(providersOf(result, "aws"), { "pulumi:providers:aws::voting-aws": count });
        });
    }

    it("targets an existing cluster's named context and cluster with server-side apply, never the kubeconfig's current context", async () => {
        const existing = await renderVariant("existing-cluster", (c) => {
            c["voting-platform:cluster"] = { create: false };
            c["voting-platform:kubernetes"] = {
                context: "arn:aws:eks:eu-west-1:123456789012:cluster/voting-prod",
                cluster: "arn:aws:eks:eu-west-1:123456789012:cluster/voting-prod",
            };
            c["voting-platform:backup"].identity = "arn:aws:iam::123456789012:role/voting-prod-backup";
        });
        const provider = existing.resources.find((r) => r.key === K8S_PROVIDER)!;
        assert.deepStrictEqual(provider.inputs, {
            context: "arn:aws:eks:eu-west-1:123456789012:cluster/voting-prod",
            cluster: "arn:aws:eks:eu-west-1:123456789012:cluster/voting-prod",
            enableServerSideApply: "true",
        });
    });

    it("deploys prod, which creates its EKS cluster, through that cluster's kubeconfig, a secret, with server-side apply", async () => {
        const provider = (await rendered("prod")).resources.find((r) => r.key === K8S_PROVIDER)!;
        assert.strictEqual(provider.parent, "voting:cloud:AwsCluster::voting-cluster");
        assert.deepStrictEqual([provider.redactedInputs.kubeconfig, provider.inputs.enableServerSideApply], ["[secret]", "true"]);
        assert.match(String(provider.inputs.kubeconfig), /"server":"https:\/\/voting-prod\.gr7\.eu-west-1\.eks\.amazonaws\.com"/);
    });

    it("records each resource's provider in resources.json", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "providers-"));
        writeRender(await rendered("prod"), dir);
        const graph: { type: string; name: string; provider?: string }[] = JSON.parse(fs.readFileSync(path.join(dir, "resources.json"), "utf8"));
        const deployment = graph.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === "voting-api-deployment")!;
        assert.strictEqual(deployment.provider, K8S_PROVIDER);
        const k8s = graph.filter((r) => r.type.startsWith("kubernetes:"));
        assert.deepStrictEqual([...new Set(k8s.map((r) => r.provider))], [K8S_PROVIDER]);
    });

    it("on GCP and Azure, puts the backup storage on a provider pinned to the project or subscription", async () => {
        const gcp = await renderVariant("gcp-provider", (c) => {
            c["voting-platform:cloud"] = { provider: "gcp", region: "europe-west1", project: "voting-prod-1234" };
            c["voting-platform:cluster"] = { create: false };
            c["voting-platform:kubernetes"] = { context: "voting-prod", cluster: "voting-prod" };
            c["voting-platform:secrets"] = { backend: "gcp-secret-manager", refreshInterval: "1h", rotationDays: 90 };
        });
        const gcpProvider = gcp.resources.find((r) => r.key === "pulumi:providers:gcp::voting-gcp")!;
        assert.deepStrictEqual([gcpProvider.inputs.project, gcpProvider.inputs.region], ["voting-prod-1234", "europe-west1"]);
        assert.deepStrictEqual(providersOf(gcp, "gcp"), {
            "pulumi:providers:gcp::voting-gcp": gcp.resources.filter((r) => r.custom && r.type.startsWith("gcp:")).length,
        });
        const azure = await renderVariant("azure-provider", (c) => {
            c["voting-platform:cloud"] = {
                provider: "azure",
                region: "westeurope",
                resourceGroup: "voting-prod",
                subscriptionId: "0b1f6471-1bf0-4dda-aec3-cb9272f09590",
            };
            c["voting-platform:cluster"] = { create: false };
            c["voting-platform:kubernetes"] = { context: "voting-prod", cluster: "voting-prod" };
            c["voting-platform:secrets"] = { backend: "azure-key-vault", keyVaultUrl: "https://voting-prod.vault.azure.net" };
        });
        const azureProvider = azure.resources.find((r) => r.key === "pulumi:providers:azure-native::voting-azure")!;
        assert.deepStrictEqual(
            [azureProvider.inputs.subscriptionId, azureProvider.inputs.location],
            ["0b1f6471-1bf0-4dda-aec3-cb9272f09590", "westeurope"],
        );
        assert.deepStrictEqual(providersOf(azure, "azure-native"), {
            "pulumi:providers:azure-native::voting-azure": azure.resources.filter((r) => r.custom && r.type.startsWith("azure-native:")).length,
        });
    });

    it("refuses to render prod on an existing cluster without its cluster target", async () => {
        await assert.rejects(
            renderVariant("no-target", (c) => {
                c["voting-platform:cluster"] = { create: false };
                delete c["voting-platform:kubernetes"];
            }),
            /config `voting-platform:kubernetes` is {}; prod deploys to a named cluster, never the current context of a kubeconfig/,
        );
    });

    describe("kubernetesProviderArgs", () => {
        it("uses the kubeconfig of a cluster the program creates, as a secret, in place of the configured target", async () => {
            const args = kubernetesProviderArgs({
                target: { context: "voting-prod", cluster: "voting-prod" },
                kubeconfig: "apiVersion: v1\nkind: Config\n",
            });
            assert.deepStrictEqual(Object.keys(args).sort(), ["enableServerSideApply", "kubeconfig"]);
            assert.strictEqual(await pulumi.isSecret(pulumi.output(args.kubeconfig)), true);
            assert.strictEqual(await unwrap(args.kubeconfig), "apiVersion: v1\nkind: Config\n");
        });

        it("names only what the target sets, so staging without a target reads the ambient kubeconfig explicitly", () => {
            assert.deepStrictEqual(kubernetesProviderArgs({ target: {} }), { enableServerSideApply: true });
            assert.deepStrictEqual(kubernetesProviderArgs({ target: { context: "ctx" } }), { context: "ctx", enableServerSideApply: true });
        });
    });

    describe("cloud provider arguments", () => {
        it("allows only the configured AWS account, and tags what it creates", () => {
            assert.deepStrictEqual(awsProviderArgs({ provider: "aws", region: "eu-west-1", accountId: "123456789012" }, "prod"), {
                region: "eu-west-1",
                allowedAccountIds: ["123456789012"],
                defaultTags: { tags: { "part-of": "voting-app", stack: "prod" } },
            });
        });

        it("pins GCP to the project and Azure to the subscription", () => {
            assert.deepStrictEqual(gcpProviderArgs({ provider: "gcp", region: "europe-west1", project: "voting-prod-1234" }, "prod"), {
                project: "voting-prod-1234",
                region: "europe-west1",
                defaultLabels: { "part-of": "voting-app", stack: "prod" },
            });
            assert.deepStrictEqual(
                azureProviderArgs({
                    provider: "azure",
                    region: "westeurope",
                    resourceGroup: "rg",
                    subscriptionId: "0b1f6471-1bf0-4dda-aec3-cb9272f09590",
                }),
                { location: "westeurope", subscriptionId: "0b1f6471-1bf0-4dda-aec3-cb9272f09590" },
            );
        });
    });
});
