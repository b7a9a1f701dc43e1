import * as assert from "assert";
import { externalSecretTarget, secretRefs } from "../../../policies/lib/secretRefs";

describe("secretRefs and externalSecretTarget", () => {
    it("lists every Secret a pod spec reads, in order: each container's env and envFrom (init containers after the others, as containersOf lists them), then the volumes", () => {
        const spec = {
            initContainers: [{ name: "init", envFrom: [{ secretRef: { name: "init-env" } }] }],
            containers: [
                {
                    name: "api",
                    env: [
                        { name: "PLAIN", value: "x" },
                        { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "app-connections", key: "DATABASE_URL" } } },
                        { name: "EXTRA", valueFrom: { secretKeyRef: { name: "extra", key: "k", optional: true } } },
                        { name: "UNNAMED", valueFrom: { secretKeyRef: { name: "", key: "k" } } },
                        { name: "MAP", valueFrom: { configMapKeyRef: { name: "cm", key: "k" } } },
                    ],
                    envFrom: [{ secretRef: { name: "bulk", optional: true } }, { configMapRef: { name: "cm" } }],
                    volumeMounts: [{ name: "tls", mountPath: "/tls" }],
                },
            ],
            volumes: [
                { name: "tls", secret: { secretName: "server-tls" } },
                { name: "unused", secret: { secretName: "spare", optional: true } },
                {
                    name: "bundle",
                    projected: { sources: [{ secret: { name: "ca" } }, { configMap: { name: "cm" } }, { secret: { name: "key", optional: true } }] },
                },
                { name: "scratch", emptyDir: {} },
            ],
        };
        assert.deepStrictEqual(secretRefs(spec), [
            { name: "app-connections", via: "env", optional: false, container: 'container "api"', variable: "DATABASE_URL" },
            { name: "extra", via: "env", optional: true, container: 'container "api"', variable: "EXTRA" },
            { name: "bulk", via: "envFrom", optional: true, container: 'container "api"' },
            { name: "init-env", via: "envFrom", optional: false, container: 'init container "init"' },
            { name: "server-tls", via: "volume", optional: false, volume: "tls", mounted: true },
            { name: "spare", via: "volume", optional: true, volume: "unused", mounted: false },
            { name: "ca", via: "volume", optional: false, volume: "bundle", mounted: false },
            { name: "key", via: "volume", optional: true, volume: "bundle", mounted: false },
        ]);
        assert.deepStrictEqual(secretRefs(undefined), []);
    });

    it("names the Secret an ExternalSecret writes: its target's name, else its own", () => {
        const es = (target?: unknown) => ({
            apiVersion: "external-secrets.io/v1beta1",
            kind: "ExternalSecret",
            metadata: { name: "db" },
            spec: { target },
        });
        assert.strictEqual(externalSecretTarget(es({ name: "app-connections" })), "app-connections");
        assert.strictEqual(externalSecretTarget(es({ creationPolicy: "Owner" })), "db");
        assert.strictEqual(externalSecretTarget(es()), "db");
    });
});
