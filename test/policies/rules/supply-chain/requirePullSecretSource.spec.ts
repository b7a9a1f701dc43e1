import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requirePullSecretSource } from "../../../../policies/rules/supply-chain/requirePullSecretSource";
import { kubernetesObjects } from "../../../../tools/lib/render";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";
import { rendered } from "../../../helpers/render";

const pulling = () => withChange(compliantDeployment(), (x) => (x.spec.template.spec.imagePullSecrets = [{ name: "ecr-pull" }]));
const secret = (type = "kubernetes.io/dockerconfigjson"): K8sObject => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "ecr-pull", namespace: "voting-api" },
    type,
});
const externalSecret = (
    refreshInterval?: string,
    generator: { kind: string; name: string } = { kind: "ECRAuthorizationToken", name: "ecr" },
): K8sObject => ({
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name: "ecr-pull", namespace: "voting-api" },
    spec: {
        ...(refreshInterval === undefined ? {} : { refreshInterval }),
        target: { name: "ecr-pull", template: { type: "kubernetes.io/dockerconfigjson" } },
        dataFrom: [{ sourceRef: { generatorRef: { apiVersion: "generators.external-secrets.io/v1alpha1", ...generator } } }],
    },
});
const MISSING =
    "Secret voting-api/ecr-pull, which Deployment api pulls with, is produced by nothing in the resource set (no dockerconfigjson Secret, no ExternalSecret rendering one), and the pack config does not declare it a prerequisite";

describe("require-pull-secret-source", () => {
    it("accepts a pull secret the resource set creates as a dockerconfigjson Secret, or renders with an ExternalSecret", () => {
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling(), secret()]), []);
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling(), externalSecret("1h")]), []);
    });

    it("refuses a pull secret nothing produces", () => {
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling()]), [MISSING]);
    });

    it("ignores imagePullSecrets entries that name no Secret", () => {
        const unnamed = withChange(pulling(), (x) => x.spec.template.spec.imagePullSecrets.unshift({}, { name: "" }));
        assert.deepStrictEqual(violations(requirePullSecretSource, [unnamed]), [MISSING]);
        assert.deepStrictEqual(violations(requirePullSecretSource, [unnamed, secret()]), []);
    });

    it("finds the ExternalSecret by the Secret it targets, whatever its own name", () => {
        const renderer = withChange(externalSecret("1h"), (x) => (x.metadata!.name = "ecr-pull-renderer"));
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling(), renderer]), []);
    });

    it("accepts one the pack config declares a prerequisite, by name or by namespace/name, and only there", () => {
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling()], { prerequisites: ["ecr-pull"] }), []);
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling()], { prerequisites: ["voting-api/ecr-pull"] }), []);
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling()], { prerequisites: ["voting-data/ecr-pull"] }), [MISSING]);
    });

    it("does not count a producer in another namespace", () => {
        const elsewhere = withChange(secret(), (x) => (x.metadata!.namespace = "voting-data"));
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling(), elsewhere]), [MISSING]);
    });

    it("refuses a Secret or an ExternalSecret of a type the kubelet cannot pull with", () => {
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling(), secret("Opaque")]), [
            "Secret voting-api/ecr-pull, which Deployment api pulls with, has type Opaque; the kubelet reads only kubernetes.io/dockerconfigjson",
        ]);
        const noType = withChange(secret(), (x) => delete x.type);
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling(), noType]), [
            "Secret voting-api/ecr-pull, which Deployment api pulls with, has type Opaque; the kubelet reads only kubernetes.io/dockerconfigjson",
        ]);
        const untyped = withChange(externalSecret("1h"), (x) => delete x.spec.target.template);
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling(), untyped]), [
            "Secret voting-api/ecr-pull, which Deployment api pulls with, is rendered by ExternalSecret voting-api/ecr-pull with type Opaque; set target.template.type: kubernetes.io/dockerconfigjson",
        ]);
    });

    it("judges pull secrets a ServiceAccount names, and names every user of one", () => {
        const sa: K8sObject = {
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: { name: "api", namespace: "voting-api" },
            imagePullSecrets: [{ name: "ecr-pull" }],
        };
        assert.deepStrictEqual(violations(requirePullSecretSource, [sa, pulling()]), [
            "Secret voting-api/ecr-pull, which ServiceAccount api, Deployment api pull with, is produced by nothing in the resource set (no dockerconfigjson Secret, no ExternalSecret rendering one), and the pack config does not declare it a prerequisite",
        ]);
    });

    it("reads imagePullSecrets only where the kubelet does: pod templates and ServiceAccounts", () => {
        // Another kind with such a field (a custom resource, say) makes no pod pull with it.
        const other: K8sObject = {
            apiVersion: "example.com/v1",
            kind: "RegistryMirror",
            metadata: { name: "mirror", namespace: "voting-api" },
            imagePullSecrets: [{ name: "ecr-pull" }],
        };
        assert.deepStrictEqual(violations(requirePullSecretSource, [other]), []);
        assert.deepStrictEqual(violations(requirePullSecretSource, [other, pulling()]), [MISSING]);
    });

    it("refreshes an ECR token within half its 12-hour life: 6h passes, 6h1m does not", () => {
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling(), externalSecret("6h")]), []);
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling(), externalSecret("6h1m")]), [
            "ExternalSecret voting-api/ecr-pull: refreshes every 6h1m, but the ECRAuthorizationToken it renders expires 720 minutes after it is made; refresh at least every 360 minutes",
        ]);
    });

    it("reads an unset refreshInterval as External Secrets' 1h, and refuses 0, which never refreshes", () => {
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling(), externalSecret()]), []);
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling(), externalSecret("0")]), [
            "ExternalSecret voting-api/ecr-pull: never refreshes (refreshInterval 0), so its ECRAuthorizationToken pull token stops working after 720 minutes",
        ]);
    });

    it("refuses a refreshInterval that is not a Go duration", () => {
        const hourly = withChange(externalSecret(), (x) => (x.spec.refreshInterval = 3600));
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling(), externalSecret("1 hour")]), [
            'ExternalSecret voting-api/ecr-pull: has refreshInterval "1 hour", which is not a duration',
        ]);
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling(), hourly]), [
            "ExternalSecret voting-api/ecr-pull: has refreshInterval 3600, which is not a duration",
        ]);
    });

    it("follows a ClusterGenerator to the token it makes: a GCR token lives an hour", () => {
        const gen: K8sObject = {
            apiVersion: "generators.external-secrets.io/v1alpha1",
            kind: "ClusterGenerator",
            metadata: { name: "gcr" },
            spec: { kind: "GCRAccessToken" },
        };
        const es = (interval: string) => externalSecret(interval, { kind: "ClusterGenerator", name: "gcr" });
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling(), gen, es("30m")]), []);
        assert.deepStrictEqual(violations(requirePullSecretSource, [pulling(), gen, es("1h")]), [
            "ExternalSecret voting-api/ecr-pull: refreshes every 1h, but the GCRAccessToken it renders expires 60 minutes after it is made; refresh at least every 30 minutes",
        ]);
    });

    it("judges no refresh where the generator is not a ClusterGenerator of the set making a registry token", () => {
        const gcr: K8sObject = {
            apiVersion: "generators.external-secrets.io/v1alpha1",
            kind: "ClusterGenerator",
            metadata: { name: "gcr" },
            spec: { kind: "GCRAccessToken" },
        };
        const password = withChange(gcr, (x) => {
            x.metadata!.name = "password";
            x.spec.kind = "Password";
        });
        for (const generator of [
            { kind: "Password", name: "gcr" },
            { kind: "ClusterGenerator", name: "missing" },
            { kind: "ClusterGenerator", name: "password" },
        ]) {
            assert.deepStrictEqual(
                violations(requirePullSecretSource, [pulling(), gcr, password, externalSecret("1h", generator)]),
                [],
                generator.name,
            );
        }
    });

    for (const stack of ["prod", "staging"]) {
        it(`finds every pull secret of the rendered ${stack} stack rendered in its namespace from the registry token`, async () => {
            assert.deepStrictEqual(violations(requirePullSecretSource, kubernetesObjects(await rendered(stack))), []);
        });
    }
});
