import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireSecretReload } from "../../../../policies/rules/security/requireSecretReload";
import { apiClient, asPodKind, containerOf, POD_KINDS, specOf } from "../../../helpers/dataFixtures";
import { violations, withChange } from "../../../helpers/policy";
import { registryMutantBlockers } from "../../../helpers/registryMutants";

const check = (objects: K8sObject[]) => violations(requireSecretReload, objects);
const [plainApi, , externalSecret] = apiClient();
const withAnnotations = (obj: K8sObject, annotations: Record<string, string>) =>
    withChange(obj, (x) => (x.metadata!.annotations = { ...x.metadata!.annotations, ...annotations }));
const api = withAnnotations(plainApi, { "secret.reloader.stakater.com/reload": "app-connections" });
const refreshing = (spec: Record<string, unknown>) => withChange(externalSecret, (x) => Object.assign(x.spec, spec));
const STALE = (kind = "Deployment", vars = "DATABASE_URL, REDIS_URL", by = "ExternalSecret voting-api/app-connections every 1h") =>
    `${kind} voting-api/api: reads Secret app-connections through its environment (${vars}), which ${by} rewrites, and nothing rolls its pods when it changes, so they keep the old value until restarted; annotate it secret.reloader.stakater.com/reload: "app-connections" (Stakater Reloader) or read the Secret from a mounted volume`;

describe(requireSecretReload.name, () => {
    it("accepts a Deployment, StatefulSet or DaemonSet that Reloader rolls on the Secret's change", () => {
        for (const kind of ["Deployment", "StatefulSet", "DaemonSet"] as const)
            assert.deepStrictEqual(check([asPodKind(kind, api), externalSecret]), [], kind);
    });

    it("refuses one that reads a refreshed Secret through its environment with nothing to roll it, and leaves the kinds that start afresh or that Reloader does not roll", () => {
        for (const kind of POD_KINDS) {
            const expected = ["Deployment", "StatefulSet", "DaemonSet"].includes(kind) ? [STALE(kind)] : [];
            assert.deepStrictEqual(check([asPodKind(kind, plainApi), externalSecret]), expected, kind);
        }
    });

    it("reads Reloader's auto annotations as Go's ParseBool does, and a typed auto for Secrets", () => {
        for (const value of ["true", "True", "TRUE", "1", "t", "T"]) {
            assert.deepStrictEqual(check([withAnnotations(plainApi, { "reloader.stakater.com/auto": value }), externalSecret]), [], value);
            assert.deepStrictEqual(check([withAnnotations(plainApi, { "secret.reloader.stakater.com/auto": value }), externalSecret]), [], value);
        }
        for (const value of ["false", "yes", "on", ""]) {
            assert.deepStrictEqual(check([withAnnotations(plainApi, { "reloader.stakater.com/auto": value }), externalSecret]), [STALE()], value);
        }
        // configmap.reloader.stakater.com/auto rolls on ConfigMaps only.
        assert.deepStrictEqual(check([withAnnotations(plainApi, { "configmap.reloader.stakater.com/auto": "true" }), externalSecret]), [STALE()]);
    });

    it("matches the reload annotation as Reloader does: comma-separated whole-name patterns", () => {
        for (const value of ["app-connections", " other , app-connections ", "app-.*", "other,app-conn[a-z]+"]) {
            assert.deepStrictEqual(check([withAnnotations(plainApi, { "secret.reloader.stakater.com/reload": value }), externalSecret]), [], value);
        }
        for (const value of ["app", "connections", "app-connections-old", "app-[", ""]) {
            assert.deepStrictEqual(
                check([withAnnotations(plainApi, { "secret.reloader.stakater.com/reload": value }), externalSecret]),
                [STALE()],
                value,
            );
        }
    });

    it("accepts Reloader's search when the ExternalSecret marks its Secret match, and not otherwise", () => {
        const search = withAnnotations(plainApi, { "reloader.stakater.com/search": "true" });
        const marked = withChange(
            externalSecret,
            (x) => (x.spec.target.template.metadata = { annotations: { "reloader.stakater.com/match": "true" } }),
        );
        assert.deepStrictEqual(check([search, marked]), []);
        assert.deepStrictEqual(check([search, externalSecret]), [STALE()]);
        assert.deepStrictEqual(
            check([withAnnotations(plainApi, { "reloader.stakater.com/search": "True" }), marked]),
            [STALE()],
            "search is compared as text",
        );
    });

    it("reads the pod template's annotations when the workload carries none of Reloader's, as Reloader does", () => {
        const onPods = withChange(
            plainApi,
            (x) => (x.spec.template.metadata.annotations = { "secret.reloader.stakater.com/reload": "app-connections" }),
        );
        assert.deepStrictEqual(check([onPods, externalSecret]), []);
        const masked = withAnnotations(onPods, { "reloader.stakater.com/search": "false" });
        assert.deepStrictEqual(check([masked, externalSecret]), [STALE()], "a Reloader annotation on the workload hides the pod template's");
        const other = withAnnotations(onPods, { "example.com/owner": "team" });
        assert.deepStrictEqual(check([other, externalSecret]), [], "other annotations do not");
    });

    it("judges only Secrets External Secrets keeps rewriting: 1h when unset, not an interval of 0 or a policy that syncs once", () => {
        assert.deepStrictEqual(check([plainApi, refreshing({ refreshInterval: "15m" })]), [
            STALE(undefined, undefined, "ExternalSecret voting-api/app-connections every 15m"),
        ]);
        assert.deepStrictEqual(check([plainApi, refreshing({ refreshPolicy: "Periodic" })]), [STALE()]);
        for (const spec of [
            { refreshInterval: "0" },
            { refreshInterval: "0s" },
            { refreshInterval: "0h0m" },
            { refreshPolicy: "CreatedOnce" },
            { refreshPolicy: "OnChange" },
        ]) {
            assert.deepStrictEqual(check([plainApi, refreshing(spec)]), [], JSON.stringify(spec));
        }
        assert.deepStrictEqual(check([plainApi]), [], "a Secret nothing rewrites");
    });

    it("finds the ExternalSecret by the Secret it writes in the workload's namespace", () => {
        const byOwnName = withChange(externalSecret, (x) => delete x.spec.target.name);
        assert.deepStrictEqual(check([plainApi, byOwnName]), [STALE()]);
        const elsewhere = withChange(externalSecret, (x) => (x.metadata!.namespace = "voting-consumer"));
        assert.deepStrictEqual(check([plainApi, elsewhere]), []);
        const otherTarget = withChange(externalSecret, (x) => (x.spec.target.name = "other"));
        assert.deepStrictEqual(check([plainApi, otherTarget]), []);
    });

    it("accepts a Secret its containers also mount as files, which the kubelet rewrites; a volume no container mounts does not count", () => {
        const mounted = (volume: Record<string, unknown>, mount = true) =>
            withChange(plainApi, (x) => {
                specOf(x).volumes = [{ name: "conn", ...volume }];
                if (mount) containerOf(x).volumeMounts = [{ name: "conn", mountPath: "/conn", readOnly: true }];
            });
        assert.deepStrictEqual(check([mounted({ secret: { secretName: "app-connections" } }), externalSecret]), []);
        assert.deepStrictEqual(check([mounted({ projected: { sources: [{ secret: { name: "app-connections" } }] } }), externalSecret]), []);
        assert.deepStrictEqual(check([mounted({ secret: { secretName: "app-connections" } }, false), externalSecret]), [STALE()]);
        assert.deepStrictEqual(check([mounted({ secret: { secretName: "other" } }), externalSecret]), [STALE()]);
    });

    it("names every variable set from the Secret, envFrom and init containers included", () => {
        const envFrom = withChange(plainApi, (x) => {
            containerOf(x).env = [];
            containerOf(x).envFrom = [{ secretRef: { name: "app-connections" } }];
            specOf(x).initContainers = [
                {
                    name: "wait",
                    image: "busybox",
                    env: [{ name: "DB", valueFrom: { secretKeyRef: { name: "app-connections", key: "DATABASE_URL" } } }],
                },
            ];
        });
        assert.deepStrictEqual(check([envFrom, externalSecret]), [STALE(undefined, 'envFrom of container "api", DB')]);
    });

    it("follows a ClusterExternalSecret into the namespaces it lists or selects", () => {
        const ces = (spec: Record<string, unknown>): K8sObject => ({
            apiVersion: "external-secrets.io/v1",
            kind: "ClusterExternalSecret",
            metadata: { name: "app-connections" },
            spec: { externalSecretSpec: { target: { name: "app-connections" } }, ...spec },
        });
        const namespace = (name: string, labels: Record<string, string> = {}): K8sObject => ({
            apiVersion: "v1",
            kind: "Namespace",
            metadata: { name, labels },
        });
        const by = "ClusterExternalSecret app-connections every 1h";
        assert.deepStrictEqual(check([plainApi, ces({ namespaces: ["voting-api"] })]), [STALE(undefined, undefined, by)]);
        assert.deepStrictEqual(check([plainApi, ces({ namespaces: ["voting-consumer"] })]), []);
        const selected = ces({ namespaceSelectors: [{ matchLabels: { tier: "app" } }] });
        assert.deepStrictEqual(check([plainApi, selected, namespace("voting-api", { tier: "app" })]), [STALE(undefined, undefined, by)]);
        assert.deepStrictEqual(check([plainApi, selected, namespace("voting-api", { tier: "data" })]), []);
        const either = ces({ namespaceSelectors: [{ matchLabels: { tier: "data" } }, { matchLabels: { tier: "app" } }] });
        assert.deepStrictEqual(
            check([plainApi, either, namespace("voting-api", { tier: "app" })]),
            [STALE(undefined, undefined, by)],
            "any selector",
        );
        const byName = ces({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "voting-api" } } });
        assert.deepStrictEqual(check([plainApi, byName, namespace("voting-api")]), [STALE(undefined, undefined, by)]);
        // The Secret is named by the template's target, else the ExternalSecret's name, else the ClusterExternalSecret's.
        const untargeted = {
            apiVersion: "external-secrets.io/v1",
            kind: "ClusterExternalSecret",
            spec: { externalSecretSpec: {}, namespaces: ["voting-api"] },
        };
        assert.deepStrictEqual(check([plainApi, { ...untargeted, metadata: { name: "app-connections" } }]), [STALE(undefined, undefined, by)]);
        assert.deepStrictEqual(
            check([plainApi, { ...untargeted, metadata: { name: "other" }, spec: { ...untargeted.spec, externalSecretName: "app-connections" } }]),
            [STALE(undefined, undefined, "ClusterExternalSecret other every 1h")],
        );
        assert.deepStrictEqual(
            check([plainApi, { ...untargeted, metadata: { name: "app-connections" }, spec: { ...untargeted.spec, externalSecretName: "other" } }]),
            [],
        );
        const named = ces({ externalSecretName: "app-connections", externalSecretSpec: { refreshInterval: "0" }, namespaces: ["voting-api"] });
        assert.deepStrictEqual(check([plainApi, named]), [], "a ClusterExternalSecret that never refreshes");
    });

    it("blocks the registry's mutant of 6.1.3 on the rendered prod stack", async () => {
        assert.deepStrictEqual(
            await registryMutantBlockers("6.1.3", "the consumer keeps the connection URLs it started with when External Secrets rewrites them"),
            [
                'require-secret-reload: Deployment voting-consumer/consumer: reads Secret app-connections through its environment (DATABASE_URL, REDIS_URL), which ExternalSecret voting-consumer/app-connections every 1h rewrites, and nothing rolls its pods when it changes, so they keep the old value until restarted; annotate it secret.reloader.stakater.com/reload: "app-connections" (Stakater Reloader) or read the Secret from a mounted volume',
            ],
        );
    });
});
