import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireImagePullSecrets } from "../../../../policies/rules/supply-chain/requireImagePullSecrets";
import { compliantDeployment, inEveryKind, named } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const CFG = { privateRegistries: ["registry.example.com"] };
const sa = (secrets: unknown[] | undefined, namespace = "voting-api", name = "api"): K8sObject => ({
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, namespace },
    ...(secrets ? { imagePullSecrets: secrets } : {}),
});
const pod = withChange(compliantDeployment(), (x) => (x.spec.template.spec.serviceAccountName = "api"));
const NO_SECRET = (account: string, obj = "Deployment voting-api/api") =>
    `${obj}: pulls registry.example.com/voting/api:0.5.1 from a private registry without imagePullSecrets on the pod or ServiceAccount ${account}`;

describe(requireImagePullSecrets.name, () => {
    it("accepts pull secrets on the pod, or on its ServiceAccount", () => {
        assert.deepStrictEqual(violations(requireImagePullSecrets, [pod, sa([{ name: "regcred" }])], CFG), []);
        const own = withChange(pod, (x) => (x.spec.template.spec.imagePullSecrets = [{ name: "regcred" }]));
        assert.deepStrictEqual(violations(requireImagePullSecrets, [own], CFG), []);
    });

    it("asks nothing of images from public registries, or when no registry is private", () => {
        const pub = withChange(pod, (x) => (x.spec.template.spec.containers[0].image = "docker.io/library/redis:7.4"));
        assert.deepStrictEqual(violations(requireImagePullSecrets, [pub], CFG), []);
        assert.deepStrictEqual(violations(requireImagePullSecrets, [pod]), []);
    });

    it("refuses a private image with no pull secret on the pod or its ServiceAccount, or an empty list", () => {
        assert.deepStrictEqual(violations(requireImagePullSecrets, [pod, sa([])], CFG), [NO_SECRET("api")]);
        assert.deepStrictEqual(violations(requireImagePullSecrets, [pod, sa(undefined)], CFG), [NO_SECRET("api")]);
        assert.deepStrictEqual(violations(requireImagePullSecrets, [pod], CFG), [NO_SECRET("api")]);
        const empty = withChange(pod, (x) => (x.spec.template.spec.imagePullSecrets = []));
        assert.deepStrictEqual(violations(requireImagePullSecrets, [empty, sa([])], CFG), [NO_SECRET("api")]);
    });

    it("does not let a ServiceAccount of the same name in another namespace decide", () => {
        assert.deepStrictEqual(violations(requireImagePullSecrets, [pod, sa([{ name: "regcred" }], "voting-frontend")], CFG), [NO_SECRET("api")]);
    });

    it("does not let a ServiceAccount of another name decide, and falls back to default", () => {
        assert.deepStrictEqual(violations(requireImagePullSecrets, [pod, sa([{ name: "regcred" }], "voting-api", "frontend")], CFG), [
            NO_SECRET("api"),
        ]);
        const none = withChange(compliantDeployment(), (x) => delete x.spec.template.spec.serviceAccountName);
        assert.deepStrictEqual(violations(requireImagePullSecrets, [none], CFG), [NO_SECRET("default")]);
        assert.deepStrictEqual(violations(requireImagePullSecrets, [none, sa([{ name: "regcred" }], "voting-api", "default")], CFG), []);
    });

    it("looks at init containers' images too", () => {
        const init = withChange(pod, (x) => {
            x.spec.template.spec.containers[0].image = "redis:7.4";
            x.spec.template.spec.initContainers = [{ name: "migrate", image: "registry.example.com/voting/migrate:1" }];
        });
        assert.deepStrictEqual(violations(requireImagePullSecrets, [init], CFG), [
            "Deployment voting-api/api: pulls registry.example.com/voting/migrate:1 from a private registry without imagePullSecrets on the pod or ServiceAccount api",
        ]);
    });

    it("refuses a private image without pull secrets on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.serviceAccountName = "api"))) {
            assert.deepStrictEqual(violations(requireImagePullSecrets, [obj, sa([])], CFG), [NO_SECRET("api", named(obj))]);
        }
    });
});
