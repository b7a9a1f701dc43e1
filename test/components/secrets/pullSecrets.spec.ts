import * as assert from "assert";
import { buildPullSecret, buildRegistryGenerator, PULL_SECRET_REFRESH } from "../../../components/secrets/pullSecrets";
import type { CloudConfig } from "../../../config/types";
import { REGISTRY_TOKENS } from "../../../policies/lib/registryTokens";
import { requirePullSecretSource } from "../../../policies/rules/supply-chain/requirePullSecretSource";
import { goDurationMinutes } from "../../../policies/lib/duration";
import { kubernetesObjects } from "../../../tools/lib/render";
import { violations } from "../../helpers/policy";
import { rendered } from "../../helpers/render";
import { validateAgainstSchema } from "../../helpers/schema";
import { renderVariant } from "../../helpers/variant";

const aws: CloudConfig = { provider: "aws", region: "eu-west-1" };
const gcp: CloudConfig = { provider: "gcp", region: "europe-west1", project: "voting-prod-1" };
const azure: CloudConfig = { provider: "azure", region: "westeurope", resourceGroup: "voting" };

describe("PullSecrets (6.3.2)", () => {
    it("renders, in each of the four namespaces, an ECR token generator and an ExternalSecret making the pull secret from it", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        const namespaces = ["voting-api", "voting-consumer", "voting-data", "voting-frontend"];
        const gens = objs.filter((o) => o.kind === "ECRAuthorizationToken");
        assert.deepStrictEqual(
            gens.map((g) => `${g.metadata?.namespace}/${g.metadata?.name}`).sort(),
            namespaces.map((ns) => `${ns}/registry-token`),
        );
        for (const g of gens) assert.deepStrictEqual(g.spec, { region: "eu-west-1" });
        const pull = objs.filter((o) => o.kind === "ExternalSecret" && o.spec.target.name === "ecr-pull");
        assert.deepStrictEqual(pull.map((o) => o.metadata?.namespace).sort(), namespaces);
        for (const es of pull)
            assert.deepStrictEqual(es.spec.dataFrom, [
                {
                    sourceRef: {
                        generatorRef: {
                            apiVersion: "generators.external-secrets.io/v1alpha1",
                            kind: "ECRAuthorizationToken",
                            name: "registry-token",
                        },
                    },
                },
            ]);
        for (const o of [...gens, ...pull]) await validateAgainstSchema(o);
    });

    it("renders the dockerconfigjson the kubelet reads: the registry host, and base64 of user:password", () => {
        const es = buildPullSecret("ecr-pull", "voting-api", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/voting", "ECRAuthorizationToken", "prod");
        const template = es.spec!.target!.template!;
        assert.strictEqual(template.type, "kubernetes.io/dockerconfigjson");
        // What External Secrets' template engine does with the generator's username and password.
        const filled = template.data![".dockerconfigjson"].replace(
            '{{ printf "%s:%s" .username .password | b64enc }}',
            Buffer.from("AWS:token").toString("base64"),
        );
        const config = JSON.parse(filled);
        assert.deepStrictEqual(Object.keys(config.auths), ["123456789012.dkr.ecr.eu-west-1.amazonaws.com"]);
        assert.strictEqual(Buffer.from(config.auths["123456789012.dkr.ecr.eu-west-1.amazonaws.com"].auth, "base64").toString(), "AWS:token");
    });

    it("refreshes each kind of token at a quarter of its lifetime", () => {
        for (const [kind, interval] of Object.entries(PULL_SECRET_REFRESH)) {
            assert.strictEqual(goDurationMinutes(interval), REGISTRY_TOKENS[kind as keyof typeof REGISTRY_TOKENS].lifetimeMinutes / 4, kind);
        }
    });

    it("picks the generator from the registry host: GCR on GCP, ACR, and none for a registry it cannot make tokens for", async () => {
        const gcr = buildRegistryGenerator("europe-docker.pkg.dev/voting-prod-1/voting", gcp, "voting-api", "prod")!;
        assert.deepStrictEqual([gcr.kind, gcr.spec], ["GCRAccessToken", { auth: {}, projectID: "voting-prod-1" }]);
        const acr = buildRegistryGenerator("votingprod.azurecr.io", azure, "voting-api", "prod")!;
        assert.deepStrictEqual([acr.kind, acr.spec], ["ACRAccessToken", { auth: { workloadIdentity: {} }, registry: "votingprod.azurecr.io" }]);
        for (const g of [gcr, acr]) await validateAgainstSchema(g);
        assert.strictEqual(buildRegistryGenerator("europe-docker.pkg.dev/voting-prod-1/voting", aws, "voting-api", "prod"), undefined);
        assert.strictEqual(buildRegistryGenerator("ghcr.io/acme", aws, "voting-api", "prod"), undefined);
    });

    it("creates nothing for another registry, so the pack refuses the stack until its config declares the pull secret a prerequisite", async () => {
        const objs = kubernetesObjects(await renderVariant("ghcr", (c) => (c["voting-platform:images"].registry = "ghcr.io/acme")));
        assert.ok(!objs.some((o) => o.kind === "ECRAuthorizationToken" || (o.kind === "ExternalSecret" && o.spec.target.name === "ecr-pull")));
        assert.strictEqual(violations(requirePullSecretSource, objs).length, 4);
        assert.deepStrictEqual(violations(requirePullSecretSource, objs, { prerequisites: ["ecr-pull"] }), []);
    });
});
